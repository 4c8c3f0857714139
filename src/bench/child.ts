/**
 * Child-process entry of `mixtape bench`: runs the one case given as JSON in argv[2] and prints
 * its result as the last line of stdout, so the peak RSS it reports is that case's alone.
 */
import { closeBenchPools } from './pools.js';
import { runCaseHere, type InProcessSpec } from './run-case.js';

const spec = JSON.parse(process.argv[2] ?? 'null') as InProcessSpec | null;
if (!spec || typeof spec !== 'object' || !spec.body) {
  process.stderr.write('bench child: expected a case spec as JSON in the first argument\n');
  process.exit(2);
}
const result = await runCaseHere(spec, 'case');
await closeBenchPools();
process.stdout.write(`\n${JSON.stringify(result)}\n`);
// Exit now rather than wait on stray handles.
process.exit(0);
