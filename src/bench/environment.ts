/** Where a benchmark ran: CPU, instruction sets, BLAS, Node, package version and commit, load. */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { nativeInfo } from '../native/index.js';
import { packageRoot, packageVersion } from '../util/version.js';
import type { BenchEnvironment } from './report.js';

export function gitCommit(dir: string): string {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8', timeout: 5000 });
  const out = r.status === 0 ? r.stdout.trim() : '';
  return /^[0-9a-f]{40}$/.test(out) ? out : 'unknown';
}

export function loadAverage(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

export function benchEnvironment(threads: number): BenchEnvironment {
  const info = nativeInfo();
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    simd_compiled: info.simdCompiled,
    simd_detected: info.simdDetected,
    blas: info.blas,
    topk_prefilter: info.topkPrefilter,
    threads,
    node: process.version,
    package_version: packageVersion(),
    git_commit: gitCommit(packageRoot()),
    platform: `${process.platform}-${process.arch}`,
    load_average_start: loadAverage(),
  };
}
