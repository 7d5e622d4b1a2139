/**
 * From errors to what the user sees: library errors name the library's options (`steps`,
 * `backend`, `at`, ...); here the codes that concern an option are mapped to this CLI's flag.
 * Exit codes: 2 bad input (one line `path: problem, got value`), 1 a runtime failure (a device too
 * small for the request included), 0 help and version.
 */
import { CommanderError } from 'commander';
import { formatGot, RuntimeFailure, SpecError, type ErrorCode } from '../errors.js';
import type { Io } from './io.js';

/** The flag or argument a library error's first path name stands for, by error code. */
const FLAG_OF_CODE: Partial<Record<ErrorCode, string>> = {
  'steps-out-of-range': '--steps',
  'unknown-backend': '--backend',
  'beyond-float32': '--backend',
  'unknown-precision': '--precision',
  'at-out-of-range': '--at',
  'rank-step-out-of-range': '--at',
  'window-out-of-range': '--window',
  'lambda-out-of-range': '--lambda',
  'bad-shard': '--shard',
  'empty-shard': '--shard',
  'resume-shard': '--shard',
  'resume-format': '--resume',
  'resume-dtype': '--dtype',
  'dtype-needs-float64': '--dtype',
  'resume-tile': '--tile-values',
  'sweep-dir-taken': '--out',
  'merge-shards': '<dir>',
  'merge-dir-taken': 'OUT',
};

/** The error as the CLI words it: its first path name replaced by the flag it came from. */
export function inFlags(e: SpecError): SpecError {
  const flag = FLAG_OF_CODE[e.code];
  return flag === undefined ? e : e.renamed(flag);
}

/** Commander's own errors, as `path: problem, got value`. */
function commanderLine(e: CommanderError, commands: string): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  const name = quoted.split(/\s/)[0];
  switch (e.code) {
    case 'commander.missingArgument':
      return `<${quoted}>: is required, got nothing`;
    case 'commander.optionMissingArgument':
      return `${name}: needs a value, got nothing`;
    case 'commander.missingMandatoryOptionValue':
      return `${name}: is required, got nothing`;
    case 'commander.unknownOption':
      return `${name}: is not an option of this command (see --help), got ${name}`;
    case 'commander.unknownCommand':
      return `command: must be one of ${commands}, got ${formatGot(quoted)}`;
    case 'commander.excessArguments':
      return `arguments: too many (see --help), got ${formatGot(e.message.replace(/^error:\s*/, ''))}`;
    default:
      return `schedgpu: ${e.message.replace(/^error:\s*/, '')}`;
  }
}

/** Tell the user what went wrong, in one line, and return the exit code. */
export function report(e: unknown, io: Io, commands: string): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    io.err(commanderLine(e, commands));
    return 2;
  }
  if (e instanceof SpecError) {
    io.err(inFlags(e).message);
    return 2;
  }
  if (e instanceof RuntimeFailure)
    // the library says which backend; the user asked for it with --backend
    io.err(e.code === 'no-adapter' ? `schedgpu: --backend ${e.message}` : `schedgpu: ${e.message}`);
  else io.err(`schedgpu: internal error: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.SCHEDGPU_DEBUG && e instanceof Error) io.err(e.stack ?? '');
  // a run stopped by a signal exits as a shell expects (130 for SIGINT, 143 for SIGTERM)
  const exitCode = (e as { exitCode?: unknown }).exitCode;
  return e instanceof RuntimeFailure && typeof exitCode === 'number' ? exitCode : 1;
}
