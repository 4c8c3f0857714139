#!/usr/bin/env node
/**
 * The mixtape command line. Each command lives in its own module under commands/; errors end
 * the process with one line on stderr and a non-zero exit code.
 */
import { Command, CommanderError } from 'commander';
import { installInterruptHandler, isInterrupted } from './interrupt.js';
import { packageVersion } from '../util/version.js';
import { errorMessage } from '../util/error-message.js';
import { checkPathOptions } from './options.js';
import { OutputClosedError } from '../util/stdout-writer.js';

async function main(argv: string[]): Promise<number> {
  installInterruptHandler();
  const program = new Command('mixtape')
    .description('Weekly discovery playlists from listening logs')
    .version(packageVersion())
    // Usage errors are one line like every other error: commander's own would be two
    // ("error: …" and a help hint on the next line).
    .configureOutput({ outputError: (str, write) => write(`mixtape: ${str.replace(/^error: /, '').trimEnd()} (run with --help for usage)\n`) })
    .exitOverride()
    .hook('preAction', (_program, action) => checkPathOptions(action));
  try {
    // Loaded here so that a broken installation (e.g. a missing native build) is reported as one
    // line like every other error.
    const { registerCommands } = await import('./commands/index.js');
    registerCommands(program);
    await program.parseAsync(argv);
    return process.exitCode && process.exitCode !== 0 ? Number(process.exitCode) : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode;
    }
    // An interrupted run ends by its signal, with its own line; what the interruption broke is not news.
    if (isInterrupted()) return new Promise<number>(() => {});
    // The reader of a pipe took what it wanted (`| head`): quiet, with the status of a process ended by SIGPIPE.
    if (err instanceof OutputClosedError) return 128 + 13;
    const msg = errorMessage(err);
    process.stderr.write(`mixtape: ${msg.split('\n')[0]}\n`);
    if (process.env.MIXTAPE_DEBUG) console.error(err);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
