/** Run the built CLI (dist/cli.js) as a user would. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CLI = CLI_PATH;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr without Dawn's adapter warnings (printed by the native binding whenever an adapter is requested). */
  errLines: string[];
}

export function runCli(args: string[], options: { env?: Record<string, string> } = {}): CliResult {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 1 << 28,
  });
  const errLines = r.stderr.split('\n').filter((l) => l !== '' && !/^Warning: max\w+ artificially reduced/.test(l));
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, errLines };
}

/** python3 with numpy, if this machine has them. */
export function numpyPython(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0 ? 'python3' : null;
}
