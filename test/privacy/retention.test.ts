/**
 * --max-age DAYS: events older than as-of − max-age are dropped at ingest, before anything is
 * stored, so a trained model never holds users or tracks known only from expired events.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestPrivacyOptions } from '../../src/config/interaction-source.js';
import { Model } from '../../src/model/model.js';
import { cliIn } from '../util/cli-process.js';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2024, 5, 1);
let dir: string;

const mixtape = cliIn(() => dir);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-retention-'));
  const rows = ['user_id,track_id,timestamp'];
  // recent-* users listen within the last 20 days; old-* users only 60–90 days before as-of, and
  // old-track is heard only then.
  for (let u = 0; u < 12; u++) for (let t = 0; t < 8; t++) rows.push(`recent-${u},t${(u + t) % 10},${AS_OF - (1 + ((u * 8 + t) % 20)) * DAY}`);
  for (let u = 0; u < 4; u++) {
    rows.push(`old-${u},old-track,${AS_OF - (60 + u * 10) * DAY}`);
    rows.push(`old-${u},t1,${AS_OF - (61 + u * 7) * DAY}`);
  }
  writeFileSync(path.join(dir, 'events.csv'), rows.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--max-age', () => {
  it('drops expired events before training: their users and tracks never reach the model', async () => {
    const common = ['train', '--interactions', 'events.csv', '--format', 'events', '--as-of', new Date(AS_OF).toISOString(), '--factors', '3', '--iterations', '2', '--threads', '1'];
    const all = mixtape(...common, '--out', 'all');
    expect(all.stderr).toMatch(/trained 16 users/);
    const kept = mixtape(...common, '--max-age', '30', '--out', 'recent');
    expect(kept.code).toBe(0);
    const model = await Model.load(path.join(dir, 'recent'));
    expect(model.userIds.filter((u) => u.startsWith('old-'))).toEqual([]);
    expect(model.userIds).toHaveLength(12);
    expect(model.trackIds).not.toContain('old-track');
    expect((await Model.load(path.join(dir, 'all'))).trackIds).toContain('old-track');
  });

  it('is refused for counts files (no timestamps) and negative ages', () => {
    expect(() => ingestPrivacyOptions({ maxAge: 30 }, 'counts')).toThrow(/--max-age needs timestamps/);
    expect(ingestPrivacyOptions({ maxAge: 1.5 }, 'events')).toEqual({ maxAgeMs: 1.5 * DAY });
    const neg = mixtape('train', '--interactions', 'events.csv', '--format', 'events', '--max-age', '-1', '--out', 'x');
    expect(neg.code).not.toBe(0);
    expect(neg.stderr).toMatch(/--max-age <days>' argument '-1' is invalid/);
  });
});
