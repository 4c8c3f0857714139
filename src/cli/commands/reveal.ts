/**
 * `mixtape reveal`: map the pseudonym tokens of an output file (recommendations, playlists) back
 * to raw user ids. Needs the key and the raw ids (a list, or the original event log); tokens of
 * ids not in the list stay as they are and are counted.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readUserIds } from '../../data/index.js';
import { loadPseudonymKey, revealFile } from '../../privacy/index.js';
import { readProgress } from '../progress.js';

interface RevealFlags {
  in: string;
  out: string;
  ids?: string;
  events?: string;
  userCol?: string;
  column: string;
  keyFile?: string;
  json?: boolean;
}

export function registerReveal(program: Command): void {
  program
    .command('reveal')
    .description('replace pseudonym tokens (from --pseudonymize) in an output (CSV/TSV, JSON Lines or Parquet) with the raw user ids they stand for; needs the key')
    .requiredOption('--in <file>', 'output with tokens in the user id column (e.g. recommend or weekly output: .csv, .tsv, .jsonl or .parquet)')
    .requiredOption('--out <file>', 'where to write the revealed copy, in the same format (written atomically)')
    .option('--ids <file>', 'raw user ids, one per line (a header line user_id is allowed)')
    .option('--events <file>', 'or: the original event log (CSV/TSV, Parquet, Arrow) whose user ids were pseudonymized; only its user column is read, so an interactions file does too')
    .option('--user-col <name>', 'user id column of --events (default user_id)')
    .option('--column <name>', 'column of --in holding the tokens', 'user_id')
    .option('--key-file <file>', 'file holding the pseudonym key (default: MIXTAPE_PSEUDONYM_KEY)')
    .option('--json', 'print {rows, revealed, unknown} as JSON')
    .action(async (f: RevealFlags) => {
      if ((f.ids === undefined) === (f.events === undefined)) throw new Error('reveal: give exactly one of --ids FILE or --events FILE');
      const key = await loadPseudonymKey({ keyFile: f.keyFile });
      const rawIds = f.ids !== undefined ? await readIdList(f.ids) : await eventUserIds(f.events!, f.userCol, !!f.json);
      const revealing = readProgress('revealing', !!f.json);
      const summary = await revealFile({ input: f.in, out: f.out, rawIds, key, column: f.column, onProgress: revealing.onProgress }).finally(revealing.stop);
      if (f.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        process.stderr.write(
          `revealed ${summary.revealed} of ${summary.rows} rows → ${f.out}` +
            (summary.unknown ? `; ${summary.unknown} rows had ids that are not the token of any given raw id (left unchanged)` : '') +
            '\n',
        );
      }
    });
}

async function readIdList(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot read the id list (${err.code ?? err.message})`);
  });
  // Ids are exact strings: only line ends are removed, never spaces or case.
  const ids = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (ids[0] === 'user_id') ids.shift();
  if (ids.length === 0) throw new Error(`${file}: no user ids`);
  return ids;
}

async function eventUserIds(file: string, userCol: string | undefined, quiet: boolean): Promise<readonly string[]> {
  // Only the user column is read; rows that break a rule still name ids (see readUserIds).
  const reading = readProgress('reading user ids', quiet);
  const ids = await readUserIds(file, { ...(userCol ? { userCol } : {}), onProgress: reading.onProgress }).finally(reading.stop);
  if (ids.length === 0) throw new Error(`${file}: no user ids`);
  return ids;
}
