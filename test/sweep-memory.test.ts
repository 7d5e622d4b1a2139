/**
 * The streaming promise: writing a table several times larger than 512 MB keeps the process's peak
 * resident memory (VmHWM, read from /proc while it runs) under 512 MB.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from './helpers/cli.js';

describe('sweep memory', () => {
  it('stays under 512 MB peak RSS while writing a 1.6 GB table', async (ctx) => {
    if (!existsSync('/proc/self/status')) {
      console.warn('skipping the memory test: no /proc on this system');
      return ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'schedgpu-mem-'));
    const file = join(dir, 'big.json');
    writeFileSync(
      file,
      JSON.stringify({
        steps: 1_000_000,
        base: { kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, end_value: 1e-6, warmup_percent: 0.05 },
        grid: { max_value: { geomspace: [1e-4, 1e-2, 20] }, warmup_percent: { linspace: [0, 0.1, 20] } },
      }),
    );
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [CLI_PATH, 'sweep', file, '--out', out, '--dtype', 'f32', '--quiet'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the process is gone
      }
    }, 25);
    const code = await exited;
    clearInterval(poll);
    expect(code, stderr).toBe(0);
    const size = statSync(join(out, 'table.npy')).size;
    console.log(`sweep wrote ${(size / 2 ** 30).toFixed(2)} GiB with a peak RSS of ${(peakKb / 1024).toFixed(0)} MiB`);
    expect(size).toBeGreaterThan(3 * 512e6);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(512 * 1024);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
