/**
 * Peak resident memory of this process in MB (one decimal).
 *
 * On Linux this is VmHWM from /proc/self/status: getrusage's maxrss survives execve, so a child
 * spawned by a large parent (a benchmark driver holding a generated log) would report the
 * parent's peak instead of its own. Elsewhere, getrusage.
 */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  let kb = process.resourceUsage().maxRSS;
  if (process.platform === 'linux') {
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) kb = Number(m[1]);
    } catch {
      // /proc not mounted: keep getrusage's figure
    }
  }
  return Math.round((kb / 1024) * 10) / 10;
}
