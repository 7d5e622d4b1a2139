/**
 * Progress curves on webgpu where 1 - p or 1 + p * slope cancels near the end of a curve (issue 20.3
 * and its sibling found by tools/differential): webgpu within 1e-6 of max|v| of the cpu plan, the
 * cpu plan within 1e-12 of the oracle, and --precision high within 1e-11.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { runValueAt } from '../src/oracle/index.js';
import { compilePlan } from '../src/plan/compile.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { gpuForTests } from './helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const CASES: [string, Record<string, unknown>, number][] = [
  // a cycle of 4139 * 2.1 steps, power 0.5: was 2.4e-6 of max|v| at its end
  [
    'timm Poly, fractional cycle',
    { kind: 'timm.scheduler.PolyLRScheduler', base_lr: 1, t_initial: 4139, cycle_mul: 2.1, cycle_limit: 2 },
    12831,
  ],
  // t_initial 1000.5, power 0.13: was 2.4e-6
  [
    'timm Poly, fractional t_initial',
    { kind: 'timm.scheduler.PolyLRScheduler', base_lr: 1, t_initial: 1000.5, power: 0.13 },
    1001,
  ],
  // 1000 / (1 - 0.99 p) at p = 145/147: was 2.5e-6
  [
    'pytorch-accelerated WSD, inverse-proportional decay',
    {
      kind: 'pytorch_accelerated.schedulers.WSDLrScheduler',
      base_lr: 1000,
      total_steps: 2949,
      num_warmup_steps: 112,
      decay_phase_ratio: 0.1,
      lr_min: 100,
      warmup_starting_lr: 0.000001,
      use_inverse_sqrt_decay: false,
      num_checkpoints: 4,
    },
    2947,
  ],
];

describe('progress curves that cancel near their end', () => {
  for (const [name, spec, steps] of CASES)
    it(name, async (ctx) => {
      if (!gpu) return ctx.skip();
      const runs = validateSpecs(spec).runs;
      const plan = compilePlan(runs, steps);
      const cpu = (await collectTable(plan, new CpuBackend({ workers: 1 }))).values;
      const worst = (got: ArrayLike<number>) => {
        let max = 0;
        let w = 0;
        for (let t = 0; t < steps; t++) max = Math.max(max, Math.abs(cpu[t]));
        for (let t = 0; t < steps; t++) w = Math.max(w, Math.abs(got[t] - cpu[t]));
        return w / max;
      };
      const oracle = Array.from({ length: steps }, (_, t) => runValueAt(runs[0], t, steps));
      expect(worst(oracle)).toBeLessThan(1e-12);
      const standard = await collectTable(plan, new WebGpuBackend(gpu.device));
      expect(worst(standard.values)).toBeLessThan(1e-6);
      const high = await collectTable(plan, new WebGpuBackend(gpu.device, { precision: 'high' }));
      expect(worst(high.values)).toBeLessThan(1e-11);
    });
});
