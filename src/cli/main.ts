/**
 * schedgpu: argument parsing -> library call -> sink, one module per command under commands/.
 * Exit codes: 0 ok, 1 runtime failure, 2 bad input (one line `path: problem, got value` on stderr,
 * nothing written); errors.ts maps library errors to flags and codes.
 */
import { Command } from 'commander';
import { SpecError } from '../errors.js';
import * as evalCommand from './commands/eval.js';
import * as fitCommand from './commands/fit.js';
import * as predictCommand from './commands/predict.js';
import * as optimizeCommand from './commands/optimize.js';
import * as kindsCommand from './commands/kinds.js';
import * as mergeCommand from './commands/merge.js';
import * as plotCommand from './commands/plot.js';
import * as rankCommand from './commands/rank.js';
import * as schemaCommand from './commands/schema.js';
import * as statsCommand from './commands/stats.js';
import * as sweepCommand from './commands/sweep.js';
import * as triggersCommand from './commands/triggers.js';
import * as validateCommand from './commands/validate.js';
import { report } from './errors.js';
import { processIo, type Io } from './io.js';

declare const SCHEDGPU_VERSION: string;
const VERSION = typeof SCHEDGPU_VERSION === 'string' ? SCHEDGPU_VERSION : '0.0.0-dev';

/** In the order `--help` lists them. */
const COMMANDS = [
  evalCommand,
  validateCommand,
  sweepCommand,
  mergeCommand,
  triggersCommand,
  statsCommand,
  rankCommand,
  fitCommand,
  predictCommand,
  optimizeCommand,
  plotCommand,
  schemaCommand,
  kindsCommand,
];

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command('schedgpu')
    .description(
      'Evaluate training schedules (lr, weight decay, momentum, EMA, ...) for thousands of configs at once, on WebGPU or the CPU.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: () => {},
    });
  for (const command of COMMANDS) command.register(program, { io, version: VERSION });
  const names = program.commands.map((c) => c.name()).join(', ');

  try {
    if (argv.length === 0) throw new SpecError('command', `is required (one of ${names}; see --help)`, undefined);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return report(e, io, names);
  }
}
