/**
 * noether's golden cases on webgpu (f32): within 1e-6 x max|v| of the f64 cpu plan, jumps at the
 * same steps; and every config any framework refuses is refused by the CLI with exit 2 and one
 * line, before anything is written.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { compilePlan } from '../src/plan/compile.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { runCli } from './helpers/cli.js';
import { sameJumps } from './helpers/compare.js';
import { loadGolden, loadRejects, maxAbs } from './helpers/golden.js';
import { gpuForTests } from './helpers/gpu.js';

const SOURCES = ['noether', 'torch', 'pytorch_accelerated', 'timm', 'megatron', 'torchtitan'];
const dir = mkdtempSync(join(tmpdir(), 'schedgpu-frameworks-'));
let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());
const cpu = new CpuBackend({ workers: 1 });

// torch, pytorch_accelerated and timm run their goldens on webgpu in their own suites (golden-suite.ts)
describe('webgpu vs cpu on the noether goldens', () => {
  for (const source of ['noether'])
    it(`${source}: values within 1e-6 x max|v| and step-changes at the same steps`, async (ctx) => {
      if (!gpu) return ctx.skip();
      const webgpu = new WebGpuBackend(gpu.device);
      let checked = 0;
      for (const c of loadGolden(source)) {
        const plan = compilePlan(validateSpecs(c.spec).runs, c.steps);
        const want = (await collectTable(plan, cpu)).values;
        const got = (await collectTable(plan, webgpu)).values;
        const scale = maxAbs(want);
        for (let t = 0; t < c.steps; t++)
          if (Math.abs(got[t] - want[t]) > 1e-6 * scale)
            expect.fail(`${c.id} step ${t}: webgpu ${got[t]}, cpu ${want[t]}`);
        expect(sameJumps(got, want, 1e-6 * scale), c.id).toBeNull();
        checked++;
      }
      expect(checked).toBe(loadGolden(source).length);
    });
});

describe('refused configs through the CLI', () => {
  for (const source of SOURCES)
    it(`${source}: exit 2, one line, nothing written`, () => {
      for (const r of loadRejects(source)) {
        const spec = join(dir, `${r.id.replace(/\W+/g, '_')}.json`);
        writeFileSync(spec, JSON.stringify(r.spec));
        const out = join(dir, 'never.npy');
        const steps = String(r.steps ?? (r.at_step !== undefined ? r.at_step + 1 : 50));
        const result = runCli(['eval', spec, '--steps', steps, '--backend', 'cpu', '--out', out]);
        expect(result.code, `${r.id}: ${result.stderr}`).toBe(2);
        expect(result.errLines, r.id).toHaveLength(1);
        expect(result.errLines[0], r.id).toMatch(/^\S[^\n]*: [^\n]+, got [^\n]+$/);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(existsSync(out)).toBe(false);
      }
    });
});
