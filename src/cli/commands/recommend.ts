import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { checkInputFile } from '../../data/input-file.js';
import { onboardingContext, recommendOnboarding } from '../../content/onboarding.js';
import { readCatalog } from '../../data/catalog.js';
import { readIdPairs } from '../../data/read-pairs.js';
import { Model } from '../../model/model.js';
import { STDOUT, openRecommendationWriter, recommendationFormat } from '../recommendation-output.js';
import { int } from '../options.js';
import { createProgress } from '../progress.js';

interface RecommendFlags {
  model: string;
  users?: string;
  n: number;
  out: string;
  onboarding?: string;
  regions?: string;
  catalog?: string;
  json?: boolean;
}

export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('write the top-N unheard tracks for every user (or the listed ones): user_id,rank,track_id,score as CSV, TSV, JSON Lines or Parquet by the --out name')
    .requiredOption('--model <dir>', 'model directory')
    .option('--users <file>', 'file with one user id per line, or a one-column CSV (a header line user_id is allowed; quoted ids are unquoted)')
    .option('--n <n>', 'tracks per user', int(1), 50)
    .option('--onboarding <file>', 'user_id,item_id picks (tracks or artists) of users the model has not seen: they are folded in and included')
    .option('--regions <file>', 'user_id,region of training and onboarding users: onboarding users without usable picks get their region\'s popularity')
    .option('--catalog <file>', 'catalog for expanding artist picks (default: the content model saved with the model)')
    .requiredOption('--out <file>', 'output file: .parquet, .jsonl, .tsv, else CSV; text names ending .gz are gzip-compressed (written atomically); - streams CSV to standard output')
    .option('--json', 'print {users, n, seconds, users_per_second}')
    .action(async (f: RecommendFlags) => {
      // The output's format is known from its name: a bad one fails before the model is loaded.
      recommendationFormat(f.out);
      if (f.out === STDOUT && f.json) throw new Error('--json and --out - would both write to standard output: give --out a file name, or leave out --json');
      if (f.regions && !f.onboarding) throw new Error('--regions is used with --onboarding (it picks the popularity that serves new users)');
      const model = await Model.load(f.model);
      const given = f.users ? await readUserList(f.users) : undefined;
      // A user listed twice gets one list: a second copy of the same lines would double its rows downstream.
      const listed = given ? [...new Set(given)] : undefined;
      const repeated = given && listed ? given.length - listed.length : 0;
      // Listed users the model does not know get no line: say how many, so a wrong list is noticed.
      const users = listed?.filter((id) => model.data.users.get(id) !== undefined);
      const unknownListed = listed ? listed.filter((id) => model.data.users.get(id) === undefined) : [];
      const started = performance.now();
      const total = users ? users.length : model.userIds.length;
      const bar = f.json ? undefined : createProgress('recommending', total, 'users');
      const out = await openRecommendationWriter(f.out, model);
      let count = 0;
      let cold = 0;
      const onboarded = { foldedIn: 0, popularity: 0, regional: 0 };
      try {
        for await (const block of model.recommendAllBlocks({ n: f.n, users })) {
          await out.addBlock(block);
          if (block.cold) for (const c of block.cold) cold += c;
          count += block.users.length;
          bar?.update(count);
        }
        if (f.onboarding) {
          const pairs = await readIdPairs(f.onboarding, 'user_id', 'item_id');
          const regions = f.regions ? await readRegions(f.regions) : undefined;
          const ctx = onboardingContext(model, f.catalog ? await readCatalog(f.catalog) : undefined, regions);
          const known = pairs.left.map((u) => model.data.users.get(u) !== undefined);
          const users = pairs.left.filter((_, i) => !known[i]);
          const picks = pairs.right.filter((_, i) => !known[i]);
          for (const rec of await recommendOnboarding(ctx, users, picks, f.n, regions)) {
            onboarded[rec.strategy === 'fold-in' ? 'foldedIn' : 'popularity']++;
            if (rec.region !== undefined) onboarded.regional++;
            await out.add(rec.userId, rec.items);
            count++;
          }
        }
        await out.commit();
      } catch (err) {
        await out.abort();
        throw err;
      } finally {
        bar?.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const onboarding = f.onboarding ? { onboarding: { folded_in: onboarded.foldedIn, popularity: onboarded.popularity, regional_popularity: onboarded.regional } } : {};
      const unknown = listed ? { unknown_listed_users: unknownListed.length, repeated_listed_users: repeated } : {};
      if (f.json) process.stdout.write(JSON.stringify({ users: count, n: f.n, seconds, users_per_second: count / Math.max(seconds, 1e-9), cold, ...unknown, ...onboarding }) + '\n');
      else {
        let note = f.onboarding
          ? `; onboarding: ${onboarded.foldedIn} users folded in from their picks, ${onboarded.popularity} by popularity (none of their picks is in the model or catalog)` +
            (f.regions ? `, ${onboarded.regional} of them by their region's` : '')
          : '';
        if (cold > 0) note += `; ${cold} users without taste evidence (nothing positive in training) got what the average listener plays`;
        if (repeated > 0) note += `; ${repeated} repeated ids in ${f.users} were listed once`;
        if (unknownListed.length > 0) note += `; ${unknownListed.length} of ${listed!.length} listed users are not in the model (first: ${JSON.stringify(unknownListed[0])})`;
        process.stderr.write(`wrote top-${f.n} for ${count} users in ${seconds.toFixed(2)} s → ${f.out === STDOUT ? 'standard output' : f.out}${note}\n`);
      }
    });
}

async function readUserList(file: string): Promise<string[]> {
  await checkInputFile(file);
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`${file}: ${err.message}`);
  });
  // One id per line, or a one-column CSV: quoted ids ("Smith, J") are unquoted.
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => (l.length >= 2 && l.startsWith('"') && l.endsWith('"') ? l.slice(1, -1).replaceAll('""', '"') : l));
  if (lines[0]?.replace(/^\ufeff/, '') === 'user_id') lines.shift();
  return lines;
}

/** user_id → region from a user_id,region file. */
async function readRegions(file: string): Promise<Map<string, string>> {
  const pairs = await readIdPairs(file, 'user_id', 'region');
  return new Map(pairs.left.map((u, i) => [u, pairs.right[i]]));
}
