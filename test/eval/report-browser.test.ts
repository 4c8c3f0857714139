import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/eval/report.js';
import { buildReportData, CHARTS } from './report-fixture.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!chromium) console.warn('skipping report browser test: Chromium is not installed (/usr/bin/chromium)');

function runChromium(args: string[], profile: string): string {
  return execFileSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
}

describe.skipIf(!chromium)('report in headless Chromium', () => {
  it('renders every chart with data marks and saves a screenshot', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-report-'));
    try {
      const file = path.join(dir, 'report.html');
      fs.writeFileSync(file, renderReport(buildReportData()));
      const url = `file://${file}`;
      const dom = runChromium(['--dump-dom', url], path.join(dir, 'profile-dom'));
      const svgs = [...dom.matchAll(/<svg[^>]*data-chart="([^"]+)"[\s\S]*?<\/svg>/g)];
      expect(svgs.map((m) => m[1]).sort()).toEqual([...CHARTS].sort());
      for (const m of svgs) expect((m[0].match(/class="(pt|series|bar)"/g) ?? []).length, m[1]).toBeGreaterThan(0);

      const outDir = path.join(repoRoot, 'test-output');
      fs.mkdirSync(outDir, { recursive: true });
      const shot = path.join(outDir, 'report.png');
      fs.rmSync(shot, { force: true });
      runChromium([`--screenshot=${shot}`, '--window-size=1280,2000', '--hide-scrollbars', url], path.join(dir, 'profile-shot'));
      const png = fs.readFileSync(shot);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
