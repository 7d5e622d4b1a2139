/**
 * A WebGPU device lost mid-sweep, for real: the test destroys the device from the sweep's progress
 * hook after a few tiles, while the next tile's read is in flight. Without a fallback the sweep stops
 * with DeviceLost (exit 1) and a manifest whose finished tiles are on disk, and `--resume` on a new
 * device ends byte-identical to an uninterrupted run; with one (the CLI's `--backend auto`) it
 * finishes on the cpu, the table equal to a cpu run's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import { DeviceLost } from '../src/backends/webgpu/lost.js';
import { report } from '../src/cli/errors.js';
import { readManifest, sha256 } from '../src/sweep/manifest.js';
import { runSweep, type SweepOptions } from '../src/sweep/run.js';
import { gpuForTests } from './helpers/gpu.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-device-lost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LWCD = { kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, end_value: 1e-6, warmup_percent: 0.05 };
// 12 tiles of one schedule each: the loss lands mid-run
const SWEEP = { steps: 3000, base: LWCD, grid: { max_value: { linspace: [1e-4, 1e-3, 12] } } };
const TILES = 12;
const LOSE_AFTER = 3;
const common = { tileValues: 3000, version: 'test' } satisfies Partial<SweepOptions>;
const table = (out: string) => readFileSync(join(out, 'table.npy'));

/** Options that destroy the device once LOSE_AFTER tiles are written. */
function losing(device: GPUDevice): Pick<SweepOptions, 'onProgress'> {
  return {
    onProgress(p) {
      if (p.tilesDone === LOSE_AFTER) device.destroy();
    },
  };
}

describe('GPU device lost mid-sweep', () => {
  it('stops with exit 1 and a manifest of verified tiles; --resume on a new device is byte-identical', async (ctx) => {
    const gpu = await gpuForTests();
    if (!gpu) return ctx.skip();
    const out = join(dir, 'stopped');
    const error = await runSweep(SWEEP, {
      ...common,
      outDir: out,
      backend: new WebGpuBackend(gpu.device),
      ...losing(gpu.device),
    }).catch((e: unknown) => e);
    gpu.release();
    expect(error).toBeInstanceOf(DeviceLost);
    expect((error as DeviceLost).message).toMatch(/^webgpu: the device was lost \(destroyed/);
    const lines: string[] = [];
    expect(report(error, { out: () => {}, err: (l) => lines.push(l) }, '')).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^schedgpu: webgpu: the device was lost/)]);

    // every tile the manifest calls done holds what its sha256 says; the rest are still to do
    const manifest = readManifest(out)!;
    expect(manifest.complete).toBe(false);
    const done = manifest.tiles.filter((t) => t.done);
    expect(done.length).toBeGreaterThanOrEqual(LOSE_AFTER);
    expect(done.length).toBeLessThan(TILES);
    const bytes = table(out);
    for (const t of done) {
      const at = manifest.table.dataOffset + (t.row0 * manifest.table.steps + t.step0) * 4;
      expect(sha256(bytes.subarray(at, at + t.rows * t.steps * 4))).toBe(t.sha256);
    }

    const again = await gpuForTests();
    const whole = join(dir, 'whole');
    try {
      const resumed = await runSweep(SWEEP, {
        ...common,
        outDir: out,
        backend: new WebGpuBackend(again!.device),
        resume: true,
      });
      expect(resumed.tilesReused).toBe(done.length);
      expect(resumed.tilesComputed).toBe(TILES - done.length);
      await runSweep(SWEEP, { ...common, outDir: whole, backend: new WebGpuBackend(again!.device) });
    } finally {
      again?.release();
    }
    expect(table(out).equals(table(whole))).toBe(true);
    expect(readManifest(out)!.complete).toBe(true);
  });

  for (const [dtype, precision] of [
    ['float32', 'standard'],
    ['float64', 'high'],
  ] as const)
    it(`with a fallback (--backend auto) a ${dtype} sweep finishes on the cpu with one notice, equal to a cpu run`, async (ctx) => {
      const gpu = await gpuForTests();
      if (!gpu) return ctx.skip();
      const out = join(dir, `fallback-${dtype}`);
      const notices: string[] = [];
      const lost: DeviceLost[] = [];
      let result;
      try {
        result = await runSweep(SWEEP, {
          ...common,
          outDir: out,
          backend: new WebGpuBackend(gpu.device, { precision }),
          dtype,
          ...losing(gpu.device),
          onNotice: (line) => notices.push(line),
          onDeviceLost: async (e) => {
            lost.push(e);
            return new CpuBackend({ workers: 1 });
          },
        });
      } finally {
        gpu.release();
      }
      expect(lost).toHaveLength(1);
      expect(notices).toEqual([
        expect.stringMatching(
          new RegExp(
            `^schedgpu: webgpu: the device was lost \\(destroyed.*\\); computing all ${TILES} tiles again on cpu`,
          ),
        ),
      ]);
      expect(result.backend.name).toBe('cpu');
      const manifest = readManifest(out)!;
      expect(manifest.complete).toBe(true);
      expect(manifest.backend.name).toBe('cpu');
      expect(manifest.table.dtype).toBe(dtype);
      expect(manifest.tiles.every((t) => t.done)).toBe(true);

      // the whole table is the cpu's (f64, rounded to f32 for an f32 table), as `--backend cpu --dtype ...` writes it
      const cpuOut = join(dir, `cpu-${dtype}`);
      await runSweep(SWEEP, { ...common, outDir: cpuOut, backend: new CpuBackend({ workers: 1 }), dtype });
      expect(table(out).equals(table(cpuOut))).toBe(true);
    });
});
