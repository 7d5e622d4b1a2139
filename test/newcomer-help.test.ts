/**
 * Every command's `--help` ends with two or three runnable examples (issue 21, item 7), and each
 * runs as written: from a folder holding the clone's examples/, with `schedgpu` on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, ROOT, runCli } from './helpers/cli.js';

const COMMANDS = [
  'eval',
  'fit',
  'kinds',
  'merge',
  'optimize',
  'plot',
  'predict',
  'rank',
  'schema',
  'stats',
  'sweep',
  'triggers',
  'validate',
];

/** A folder with examples/ and a `schedgpu` on the PATH that runs dist/cli.js. */
function sandbox(): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(join(tmpdir(), 'schedgpu-help-'));
  symlinkSync(join(ROOT, 'examples'), join(cwd, 'examples'));
  const bin = join(cwd, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'schedgpu'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`);
  chmodSync(join(bin, 'schedgpu'), 0o755);
  return { cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } };
}

function helpExamples(command: string): string[] {
  const r = runCli([command, '--help']);
  expect(r.code).toBe(0);
  const tail = r.stdout.slice(r.stdout.lastIndexOf('\nExamples:\n'));
  expect(tail.startsWith('\nExamples:\n'), `${command} --help has no Examples section`).toBe(true);
  return tail
    .split('\n')
    .filter((l) => l.startsWith('  $ '))
    .map((l) => l.slice(4));
}

describe('--help examples', () => {
  it('root help lists no command without examples', () => {
    const listed = runCli(['--help'])
      .stdout.match(/^ {2}([a-z]+) /gm)!
      .map((m) => m.trim());
    expect(listed.filter((c) => c !== 'help').sort()).toEqual([...COMMANDS].sort());
  });

  it.each(COMMANDS)('%s --help ends with two or three examples that run', (command) => {
    const lines = helpExamples(command);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    const { cwd, env } = sandbox();
    for (const line of lines) {
      expect(line.startsWith('schedgpu ')).toBe(true);
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', line], { cwd, env, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      // a stack trace (Error: ...), an internal error or a broken pipe; 'relative error' in a report is fine
      expect(r.stderr, line).not.toMatch(/\bError\b|internal error|EPIPE/);
      const out = / --out (\S+)/.exec(line)?.[1] ?? / > (\S+)$/.exec(line)?.[1];
      if (out) expect(existsSync(join(cwd, out)), `${line} wrote ${out}`).toBe(true);
    }
  });
});
