/**
 * The command as a user installs it (issue 21, item 1): `npm pack`, then `npm install -g` of the
 * tarball into a temporary prefix, then the "Check it" lines of docs/install.md through the
 * installed `schedgpu`, from the package's own examples/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readDoc } from './helpers/markdown.js';
import { ROOT, runCli } from './helpers/cli.js';

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network/i;

function npm(args: string[], cwd: string) {
  return spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', timeout: 300_000 });
}

/** The `schedgpu` lines of the sh block under "## Check it". */
function checkLines(): string[] {
  const text = readDoc('docs/install.md');
  const section = text.slice(text.indexOf('## Check it'));
  const block = codeBlocks(section).find((b) => b.lang === 'sh')!;
  return block.code.split('\n').filter((l) => l.startsWith('schedgpu '));
}

describe('npm pack + npm install -g', () => {
  it('installs a schedgpu that runs the docs example', (ctx) => {
    if (spawnSync('npm', ['--version']).status !== 0) return ctx.skip('npm is not on the PATH');
    if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build`');
    const work = mkdtempSync(join(tmpdir(), 'schedgpu-install-'));
    const packed = npm(['pack', '--pack-destination', work], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const tarball = `schedgpu-${version}.tgz`;
    expect(readdirSync(work)).toContain(tarball);

    const prefix = join(work, 'prefix');
    const installed = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', join(work, tarball)], work);
    if (installed.status !== 0 && NETWORK.test(installed.stderr))
      return ctx.skip(`npm could not reach the registry: ${installed.stderr.split('\n')[0]}`);
    expect(installed.status, installed.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'schedgpu');
    expect(existsSync(bin)).toBe(true);

    // a fresh folder, the installed package's examples, and no checkout on the PATH
    const cwd = join(work, 'user');
    spawnSync('mkdir', [cwd]);
    const pkg = join(prefix, 'lib', 'node_modules', 'schedgpu');
    symlinkSync(join(pkg, 'examples'), join(cwd, 'examples'));
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin` };
    const which = spawnSync('sh', ['-c', 'command -v schedgpu'], { cwd, env, encoding: 'utf8' });
    expect(which.stdout.trim()).toBe(bin);

    const lines = checkLines();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const r = spawnSync('sh', ['-c', line], { cwd, env, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    // the installed command writes what the checkout's dist/cli.js writes
    const eval_ = lines
      .find((l) => l.startsWith('schedgpu eval '))!
      .split(/\s+/)
      .slice(1);
    const out = eval_.indexOf('--out') + 1;
    const mine = runCli(eval_.map((w, i) => (i === out ? join(work, 'checkout.csv') : w)));
    expect(mine.code, mine.stderr).toBe(0);
    expect(readFileSync(join(cwd, eval_[out]), 'utf8')).toBe(readFileSync(join(work, 'checkout.csv'), 'utf8'));
  }, 600_000);
});
