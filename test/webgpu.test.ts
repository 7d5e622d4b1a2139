/**
 * The WGSL path against the CPU plan (f64): random specs, the golden cases, runs longer than 2^24
 * steps, tiles smaller than the table, and the segment layout read back field by field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { planTooLarge, WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { SpecError, StepError } from '../src/errors.js';
import { F32_MAX, planMagnitude } from '../src/plan/bounds.js';
import { compilePlan, compileRun, flattenPlan, type Plan } from '../src/plan/compile.js';
import { packSegments, SEGMENT_BYTES, SEGMENT_FIELDS, segmentStructWgsl } from '../src/plan/layout.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { runLength, topLevelSpec } from './helpers/arbitraries.js';
import { sameJumps, worstRelativeError } from './helpers/compare.js';
import { gpuForTests, runKernel } from './helpers/gpu.js';
import { loadGolden } from './helpers/golden.js';

const TOL = 1e-6;
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 7);
const SAMPLES = Number(process.env.SCHEDGPU_GPU_SAMPLES ?? 600);
let worstSeen = { error: 0, where: '' };
let gpu: GpuHandle | null = null;

beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const cpu = new CpuBackend({ workers: 1 });

/** Evaluate a plan on both backends and check every row against the DESIGN.md rule. */
async function checkPlan(plan: Plan, backend: WebGpuBackend, label: string): Promise<number> {
  const [g, c] = [await collectTable(plan, backend), await collectTable(plan, cpu)];
  let worst = 0;
  for (let r = 0; r < plan.rows; r++) {
    const gv = g.values.subarray(r * plan.steps, (r + 1) * plan.steps);
    const cv = c.values.subarray(r * plan.steps, (r + 1) * plan.steps);
    const { worst: e, at, scale } = worstRelativeError(gv, cv);
    if (!(e <= TOL))
      expect.fail(
        `${label} row ${r} (${plan.ids[r]}): step ${at}: webgpu ${gv[at]}, cpu ${cv[at]} (error ${e.toExponential(2)} x max ${scale})`,
      );
    const jumps = sameJumps(gv, cv, TOL * scale + 1e-30);
    if (jumps) expect.fail(`${label} row ${r} (${plan.ids[r]}): ${jumps}`);
    worst = Math.max(worst, e);
    if (e > worstSeen.error)
      worstSeen = { error: e, where: `${label}: ${plan.kinds[r]} (${plan.ids[r]}) at step ${at}` };
  }
  return worst;
}

describe('webgpu backend', () => {
  it('reads every Segment field back as packed', async (ctx) => {
    if (!gpu) return ctx.skip();
    const { runs } = validateSpecs([
      {
        kind: 'PolynomialDecreasingSchedule',
        max_value: 0.123456789012,
        end_value: 1e-7,
        power: 1.5,
        exclude_first: true,
      },
      { kind: 'StepFixedSchedule', start_value: 3, factor: 0.5, steps: [0.25, 0.5] },
      // cycles that start between steps: a nonzero shift
      { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 100, cycle_mul: 1.5, cycle_limit: 5 },
    ]);
    const plan = compilePlan(runs, 1000);
    expect(plan.segShift.some((v) => v !== 0)).toBe(true);
    const packed = packSegments(plan);
    const fields = SEGMENT_FIELDS.map((f) => f.name);
    const words = SEGMENT_BYTES / 4;
    const copies = SEGMENT_FIELDS.map((f) =>
      f.type === 'u32' ? [`bitcast<f32>(s.${f.name})`] : [`s.${f.name}.x`, `s.${f.name}.y`],
    ).flat();
    const code = `${segmentStructWgsl()}
@group(0) @binding(0) var<storage, read> segs: array<Segment>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let s = segs[g.x];
  ${copies.map((c, i) => `out[g.x * ${words}u + ${i}u] = ${c};`).join('\n  ')}
}`;
    expect(copies.length).toBe(words);
    const n = plan.segStart.length;
    const back = new Uint32Array(await runKernel(gpu.device, code, [packed], packed.byteLength, [n]));
    expect(fields.length).toBe(13);
    expect(Array.from(back)).toEqual(Array.from(new Uint32Array(packed)));
  });

  it('matches the cpu plan on the golden noether cases', async (ctx) => {
    if (!gpu) return ctx.skip();
    const backend = new WebGpuBackend(gpu.device);
    for (const c of loadGolden('noether')) {
      const { runs } = validateSpecs(c.spec);
      await checkPlan(compilePlan(runs, c.steps), backend, c.id);
    }
  });

  it('matches the cpu plan on random specs, in one batch and tile by tile', async (ctx) => {
    if (!gpu) return ctx.skip();
    const samples = fc.sample(fc.tuple(topLevelSpec, runLength), { numRuns: SAMPLES, seed: SEED });
    const byLength = new Map<number, unknown[]>();
    let used = 0;
    for (const [raw, length] of samples) {
      // group by run length so that one plan holds many heterogeneous rows
      const bucket = [1, 7, 64, 300, 1000, 3000, 30000].find((b) => length <= b)!;
      try {
        // values beyond float32 (negative overhangs with factor > 1 can get there) are refused by webgpu
        if (!(planMagnitude(compilePlan(validateSpecs(raw).runs, bucket)) <= F32_MAX)) continue;
      } catch (e) {
        if (e instanceof SpecError || e instanceof StepError) continue;
        throw e;
      }
      byLength.set(bucket, [...(byLength.get(bucket) ?? []), raw]);
      used++;
    }
    expect(used).toBeGreaterThan(400);
    let worst = 0;
    for (const [steps, raws] of byLength) {
      const plan = compilePlan(validateSpecs(raws).runs, steps);
      worst = Math.max(
        worst,
        await checkPlan(plan, new WebGpuBackend(gpu.device), `batch of ${raws.length} x ${steps}`),
      );
      // small tiles and odd per-invocation counts exercise tile and chunk edges
      const tiled = new WebGpuBackend(gpu.device, { maxTileValues: 777, valuesPerInvocation: 5 });
      worst = Math.max(worst, await checkPlan(plan, tiled, `tiled batch of ${raws.length} x ${steps}`));
    }
    console.log(
      `webgpu vs cpu: ${used} random specs (seed ${SEED}), largest error ${worst.toExponential(2)} x max|v| (${worstSeen.where})`,
    );
  });

  it('keeps exact boundaries past 2^24 steps', async (ctx) => {
    if (!gpu) return ctx.skip();
    const steps = 2 ** 24 + 4321;
    const { runs } = validateSpecs([
      {
        id: 'lwcd',
        kind: 'LinearWarmupCosineDecaySchedule',
        max_value: 1e-3,
        end_value: 1e-6,
        warmup_steps: 2 ** 24 - 3,
      },
      { id: 'stairs', kind: 'StepIntervalSchedule', start_value: 1, factor: 0.5, update_interval: 0.1 },
      {
        id: 'seq',
        kind: 'SequentialStepSchedule',
        schedule_configs: [
          { schedule: { kind: 'ConstantSchedule', value: 2 }, end_step: 2 ** 24 + 1 },
          {
            schedule: { kind: 'PolynomialDecreasingSchedule', max_value: 1, end_value: 0, power: 0.5 },
            start_step: 2 ** 24 + 3,
          },
        ],
      },
      { id: 'epochs', kind: 'CosineDecreasingSchedule', max_value: 1, interval: 'epoch', updates_per_epoch: 1_000_003 },
    ]);
    const plan = compilePlan(runs, steps);
    const worst = await checkPlan(plan, new WebGpuBackend(gpu.device), `${steps} steps`);
    console.log(`webgpu vs cpu over ${steps} steps: largest error ${worst.toExponential(2)} x max|v|`);
  });
});

describe('periodic cosines whose period is not an integer', () => {
  // the phase of cycle i is x / (d / cycles) with d / cycles fractional: the kernel folds it in
  // double-float (an f32 quotient lost ~1e-6 of the phase by the seventh cycle)
  it('keep their phase over many periods', async (ctx) => {
    if (!gpu) return ctx.skip();
    const steps = 1_000_003;
    const restarts = (cycles: number) => ({
      id: `hard-restarts-${cycles}`,
      kind: 'get_cosine_with_hard_restarts_schedule_with_warmup',
      base_lr: 1,
      num_warmup_steps: 100,
      num_training_steps: steps,
      num_cycles: cycles,
    });
    const { runs } = validateSpecs([
      restarts(7),
      restarts(64),
      restarts(2.5),
      { id: 'past-T_max', kind: 'torch.optim.lr_scheduler.CosineAnnealingLR', base_lr: 1, T_max: 30_001 },
    ]);
    const worst = await checkPlan(compilePlan(runs, steps), new WebGpuBackend(gpu.device), 'periodic');
    expect(worst).toBeLessThan(5e-7);
  });
});

describe('long exponential growth', () => {
  // an lr range test: 1e-7 to 10 over 1,000 steps (ln 1e8 = 18.4 in the exponent); an f32
  // exponent alone was off by 18.4 * 6e-8 of the largest value
  it('keeps f32 accuracy at the top of the range', async (ctx) => {
    if (!gpu) return ctx.skip();
    const steps = 1000;
    const gamma = 1e8 ** (1 / (steps - 1));
    const { runs } = validateSpecs([
      { id: 'range-test', kind: 'ExponentialLR', base_lr: 1e-7, gamma },
      { id: 'exp_range', kind: 'CyclicLR', base_lr: 1e-7, max_lr: 1e-6, step_size_up: 500, mode: 'exp_range', gamma },
    ]);
    const worst = await checkPlan(compilePlan(runs, steps), new WebGpuBackend(gpu.device), 'growth');
    expect(worst).toBeLessThan(5e-7);
  });
});

describe('plans too large to bind', () => {
  it('are named before anything is dispatched', () => {
    // CyclicLR with a fractional step size lists its values step by step: 8 bytes a step
    const { runs } = validateSpecs({ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.1, step_size_up: 20.5 });
    const plan = compilePlan(runs, 10_000);
    const limits = { maxStorageBufferBindingSize: 64 * 1024, maxBufferSize: 2 ** 30 } as GPUSupportedLimits;
    expect(planTooLarge(plan, limits)).toMatch(
      /needs a 78 KiB buffer, over this adapter's 64 KiB storage binding limit/,
    );
    expect(planTooLarge(plan, { ...limits, maxStorageBufferBindingSize: 2 ** 20 })).toBeNull();
  });
});

describe('rows with several tracks (a product of curves)', () => {
  it('multiply on both backends', async (ctx) => {
    const steps = 5000;
    const single = (id: string, spec: unknown) => compileRun(validateSpecs({ id, ...(spec as object) }).runs[0], steps);
    const cosine = single('a', { kind: 'CosineDecreasingSchedule', max_value: 2, end_value: 0.5 });
    const stairs = single('b', { kind: 'StepIntervalSchedule', start_value: 1, factor: 0.5, update_interval: 0.2 });
    const epochs = compileRun(
      validateSpecs({ kind: 'LinearIncreasingSchedule', max_value: 3, interval: 'epoch', updates_per_epoch: 7 })
        .runs[0],
      steps,
    );
    const plan = flattenPlan(
      [
        { id: 'product', kind: 'test', tracks: [...cosine, ...stairs, ...epochs] },
        { id: 'plain', kind: 'test', tracks: cosine },
      ],
      steps,
    );
    expect(Array.from(plan.rowTracks)).toEqual([0, 3, 4]);
    const separate = await Promise.all(
      [cosine, stairs, epochs].map(
        async (tracks) => (await collectTable(flattenPlan([{ id: 'x', kind: 'test', tracks }], steps), cpu)).values,
      ),
    );
    const product = await collectTable(plan, cpu);
    for (let t = 0; t < steps; t++) expect(product.values[t]).toBe(separate[0][t] * separate[1][t] * separate[2][t]);
    expect(Array.from(product.values.subarray(steps))).toEqual(Array.from(separate[0]));
    if (!gpu) return ctx.skip();
    await checkPlan(plan, new WebGpuBackend(gpu.device, { maxTileValues: 999, valuesPerInvocation: 7 }), 'tracks');
  });
});
