import { Command } from 'commander';

/** The default of each long option of `name` once `register` has added the command to a program. */
export function optionDefaults(register: (program: Command) => void, name: string): (long: string) => unknown {
  const program = new Command();
  register(program);
  const cmd = program.commands.find((c) => c.name() === name)!;
  return (long) => cmd.options.find((o) => o.long === long)!.defaultValue;
}
