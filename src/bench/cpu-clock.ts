/** Process CPU seconds (user + system, all threads) since start. */
export function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

export { peakRssMb } from '../util/peak-rss.js';
