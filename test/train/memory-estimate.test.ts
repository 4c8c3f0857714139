import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents, writeEventsParquet } from '../../src/data/index.js';
import { estimateTrainingMemory, parseSize } from '../../src/util/memory-estimate.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-memest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the --max-memory pre-flight estimate', () => {
  it('takes a Parquet file\'s row count from its footer, and samples a CSV file', async () => {
    const rows = ['user_id,track_id,timestamp'];
    for (let i = 0; i < 5000; i++) rows.push(`u${i % 300},t${(i * 7) % 900},${Date.UTC(2026, 0, 1) + i * 1000}`);
    const csv = path.join(dir, 'events.csv');
    writeFileSync(csv, rows.join('\n') + '\n');
    const { log } = await readEvents(csv);
    const pq = path.join(dir, 'events.parquet');
    await writeEventsParquet(log, pq);
    const fromFooter = await estimateTrainingMemory(pq, 'events', 32);
    expect(fromFooter.rows).toBe(5000);
    expect(fromFooter.users).toBeGreaterThanOrEqual(300);
    const sampled = await estimateTrainingMemory(csv, 'events', 32);
    expect(sampled.rows).toBe(5000);
    expect(sampled.users).toBe(300);
    expect(sampled.bytes).toBeGreaterThan(150 * 2 ** 20);
    await expect(estimateTrainingMemory(path.join(dir, 'missing.parquet'), 'events', 32)).rejects.toThrow(/missing\.parquet/);
  });

  it('reads sizes as an operator writes them', () => {
    expect(parseSize('512M')).toBe(512 * 2 ** 20);
    expect(parseSize('4G')).toBe(4 * 2 ** 30);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('1000')).toBe(1000);
    expect(() => parseSize('lots')).toThrow(/not a size: 'lots'/);
  });
});
