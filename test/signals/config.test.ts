import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSignalsConfig, loadSignalsConfig, signalsConfigSchema } from '../../src/signals/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'signals-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('signals config', () => {
  it('fills every field of a partial file with defaults', () => {
    const file = write('partial.json', JSON.stringify({ halfLifeDays: 30, weights: { like: 5 }, anomaly: { zStrong: 8 } }));
    const config = loadSignalsConfig(file);
    const defaults = defaultSignalsConfig();
    expect(config.halfLifeDays).toBe(30);
    expect(config.weights).toEqual({ ...defaults.weights, like: 5 });
    expect(config.anomaly).toEqual({ ...defaults.anomaly, zStrong: 8 });
    expect(config.play).toEqual(defaults.play);
    expect(signalsConfigSchema.parse(config)).toEqual(config);
  });

  it('has the documented defaults', () => {
    const d = defaultSignalsConfig();
    expect(d.weights).toEqual({ play: 1, like: 3, playlist_add: 3, share: 2, skip: -0.5, dislike: -4, other: 0 });
    expect(d.halfLifeDays).toBe(10);
    expect(d.decay).toBe(true);
    expect(d.skip).toEqual({ earlyMs: 30_000, earlyFraction: 0.25, negative: true });
    expect(d.play.typicalDurationMs).toBe(210_000);
    expect(d.capPlaysPerTrackPerDay).toBe(20);
    expect(d.artistDislikeMin).toBe(2);
  });

  it('names the file and the bad key', () => {
    const wrongType = write('type.json', JSON.stringify({ weights: { like: 'lots' } }));
    expect(() => loadSignalsConfig(wrongType)).toThrow(`${wrongType}: weights.like:`);
    const wrongSign = write('sign.json', JSON.stringify({ weights: { skip: 1 } }));
    expect(() => loadSignalsConfig(wrongSign)).toThrow(`${wrongSign}: weights.skip:`);
    const unknown = write('unknown.json', JSON.stringify({ anomaly: { zStrng: 8 } }));
    expect(() => loadSignalsConfig(unknown)).toThrow(`${unknown}: anomaly.zStrng: unknown key`);
    const badMode = write('mode.json', JSON.stringify({ repeat: { mode: 'sqrt' } }));
    expect(() => loadSignalsConfig(badMode)).toThrow(`${badMode}: repeat.mode:`);
  });

  it('reports JSON syntax errors with line and column', () => {
    const broken = write('broken.json', '{\n  "halfLifeDays": 30,\n  oops\n}');
    expect(() => loadSignalsConfig(broken)).toThrow(`${broken}:3:3: invalid JSON`);
    const notObject = write('array.json', '[1, 2]');
    expect(() => loadSignalsConfig(notObject)).toThrow(`${notObject}: signals config must be a JSON object`);
    const missing = path.join(dir, 'missing.json');
    expect(() => loadSignalsConfig(missing)).toThrow(`${missing}: cannot read signals config`);
  });
});
