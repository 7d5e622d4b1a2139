/**
 * Megatron's and torchtitan's schedules over runs past 2^24 steps (issue 16): the CPU plan against
 * the oracle at every boundary and a spread of steps (1e-9 x max|v|), webgpu f32 against the CPU
 * (1e-6, jumps on the same steps) and --precision high (1e-11). Boundaries sit past 2^24, where f32
 * can no longer count steps, and an increment of 32 puts them between updates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import { WebGpuBackend } from '../../../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { sameJumps, worstRelativeError } from '../../helpers/compare.js';
import { gpuForTests } from '../../helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const STEPS = 2 ** 24 + 4321;
const common = { kind: 'OptimizerParamScheduler', init_lr: 0, max_lr: 3e-4, min_lr: 3e-5, start_wd: 0.1, end_wd: 0.1 };
const SPECS = [
  {
    ...common,
    id: 'cosine',
    lr_warmup_steps: 2 ** 24 - 3,
    lr_decay_steps: 2 ** 24 + 3000,
    lr_decay_style: 'cosine',
    wd_incr_steps: 1,
    wd_incr_style: 'constant',
  },
  {
    ...common,
    id: 'wsd-samples',
    increment: 32,
    lr_warmup_steps: 32 * 1000 + 5,
    lr_decay_steps: 32 * (2 ** 24 + 1000) + 17,
    lr_decay_style: 'WSD',
    wsd_decay_steps: 32 * 3_000_000 + 9,
    lr_wsd_decay_style: 'exponential',
    wd_incr_steps: 1,
    wd_incr_style: 'constant',
  },
  {
    ...common,
    id: 'weight-decay',
    output: 'weight_decay',
    start_wd: 0.01,
    lr_warmup_steps: 10,
    lr_decay_steps: 100,
    lr_decay_style: 'linear',
    wd_incr_steps: 2 ** 24 + 7,
    wd_incr_style: 'cosine',
  },
  {
    id: 'torchtitan',
    kind: 'LRSchedulersContainer',
    base_lr: 3e-4,
    warmup_steps: 2 ** 24 - 100,
    decay_ratio: 0.0002,
    decay_type: 'sqrt',
    min_lr_factor: 0.1,
  },
];

/** Every 65537th step plus a few either side of every place the oracle's value jumps or kinks. */
function sampleSteps(): number[] {
  const near = [
    0,
    1000,
    1001,
    2 ** 24 - 3,
    2 ** 24 - 2,
    2 ** 24 + 1000,
    2 ** 24 + 1001,
    2 ** 24 + 3000,
    2 ** 24 + 3001,
  ];
  const out = new Set<number>();
  for (let t = 0; t < STEPS; t += 65537) out.add(t);
  // wd_incr_steps; torchtitan's warmup end and decay start (STEPS + 1 - round(STEPS * 0.0002));
  // the WSD anneal's first update (num_steps > lr_decay_steps - wsd_decay_steps)
  for (const c of [...near, 2 ** 24 + 7, 2 ** 24 - 100, STEPS - 3355, 2 ** 24 - 2999000 + 1])
    for (let d = -3; d <= 3; d++) if (c + d >= 0 && c + d < STEPS) out.add(c + d);
  return [...out].sort((a, b) => a - b);
}

describe(`megatron and torchtitan over ${STEPS} steps`, () => {
  const { runs } = validateSpecs(SPECS);
  const plan = compilePlan(runs, STEPS);
  let cpuValues: Float64Array;

  it('cpu plan vs oracle within 1e-9 x max|v|', async () => {
    cpuValues = (await collectTable(plan, new CpuBackend({ workers: 1 }))).values as Float64Array;
    const at = sampleSteps();
    runs.forEach((run, r) => {
      const row = cpuValues.subarray(r * STEPS, (r + 1) * STEPS);
      const ref = at.map((t) => runValueAt(run, t, STEPS));
      const scale = Math.max(...ref.map(Math.abs));
      at.forEach((t, i) => {
        if (!(Math.abs(row[t] - ref[i]) <= 1e-9 * scale))
          expect.fail(`${run.id} step ${t}: plan ${row[t]}, oracle ${ref[i]}`);
      });
    });
  }, 600_000);

  for (const precision of ['f32', 'high'] as const)
    it(`webgpu ${precision} vs cpu`, async (ctx) => {
      if (!gpu) return ctx.skip();
      const backend = new WebGpuBackend(gpu.device, precision === 'high' ? { precision: 'high' } : {});
      const g = (await collectTable(plan, backend)).values;
      const tol = precision === 'high' ? 1e-11 : 1e-6;
      runs.forEach((run, r) => {
        const gv = g.subarray(r * STEPS, (r + 1) * STEPS);
        const cv = cpuValues.subarray(r * STEPS, (r + 1) * STEPS);
        const { worst, at, scale } = worstRelativeError(gv, cv, 1e-19);
        if (!(worst <= tol))
          expect.fail(`${run.id} step ${at}: webgpu ${gv[at]}, cpu ${cv[at]} (${worst.toExponential(2)} x max)`);
        expect(sameJumps(gv, cv, tol * scale + 1e-30), run.id).toBeNull();
      });
    }, 600_000);
});
