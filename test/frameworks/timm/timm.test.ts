/**
 * timm: the real values (test/golden/timm.json) against the oracle, the plan on the CPU and
 * webgpu; the framework's refusals (rejects.json); random specs on the oracle, the CPU plan and webgpu.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { timmRunLength, timmSpec } from './arbitraries.js';
import { loadGolden, loadRejects } from '../../helpers/golden.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, oracleAndPlanAt, refusedStep } from '../../helpers/kind-properties.js';

const cases = loadGolden('timm');
const rejects = loadRejects('timm');
const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1301);

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

goldenSuite('timm', () => gpu, { cases: 9, rejects: 2 });

describe('random timm schedulers', () => {
  it('plan on cpu agrees with the oracle, webgpu with the cpu', async () => {
    const tally = await checkRandomSpecs(fc.tuple(timmSpec, timmRunLength), RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('timm', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.6);
  }, 600_000);
});

describe("timm's Python arithmetic, worked from timm/scheduler/*.py", () => {
  it('takes the cycle index from a correctly rounded log: math.log(243, 3) = 4.999999999999999', async () => {
    // cosine_lr.py: i = floor(log(1 - t / t_initial * (1 - m), m)); t = 242: log(243, 3) < 5, so
    // i = 4, t_i = 3^4 * 2 = 162, t_curr = 242 - (1 - 81) / (1 - 3) * 2 = 162: the end of cycle 4
    const spec = { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 2, cycle_mul: 3, cycle_limit: 10 };
    for (const [oracle, plan] of await oracleAndPlanAt(spec, 300, [242])) {
      expect(oracle).toBe(0);
      expect(plan).toBe(0);
    }
  });

  it("uses Python's float floor division and bisect_right, and float step counts", async () => {
    // step_lr.py: decay_rate ** (t // decay_t); 1 // 0.1 == 9.0 in Python (fmod-based)
    const step = { kind: 'StepLRScheduler', base_lr: 1, decay_t: 0.1, decay_rate: 0.9 };
    for (const v of (await oracleAndPlanAt(step, 5, [1]))[0]) expect(v).toBeCloseTo(0.9 ** 9, 15);
    // cosine_lr.py with a float t_initial: i = 3 // 2.5 = 1.0, t_curr = 3 - 2.5 * 1.0 = 0.5
    const cos = { kind: 'CosineLRScheduler', base_lr: 1, t_initial: 2.5, cycle_limit: 3 };
    for (const v of (await oracleAndPlanAt(cos, 10, [3]))[0])
      expect(v).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.2)), 15);
    // a float warmup_t: t = 2 < 2.5 still warms up (0.1 + 2 * (1 - 0.1) / 2.5), t = 3 is past it
    const warm = { ...cos, t_initial: 10, warmup_t: 2.5, warmup_lr_init: 0.1, warmup_prefix: true };
    const [w2, w3] = await oracleAndPlanAt(warm, 10, [2, 3]);
    for (const v of w2) expect(v).toBeCloseTo(0.1 + (2 * 0.9) / 2.5, 15);
    for (const v of w3) expect(v).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * 0.5) / 10)), 15);
    // multistep_lr.py: bisect.bisect_right([5, 1, 2], 0 + 1) == 2 (a binary search, unsorted list)
    const multi = { kind: 'MultiStepLRScheduler', base_lr: 1, decay_t: [5, 1, 2], decay_rate: 0.5 };
    for (const v of (await oracleAndPlanAt(multi, 5, [0]))[0]) expect(v).toBe(0.25);
  });

  it('raises where timm raises, past cycle_limit too', () => {
    // cosine_lr.py computes gamma = cycle_decay ** i before the limit test: 10.0 ** 309 overflows
    expect(refusedStep({ kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 1, cycle_decay: 10 }, 400)).toBe(309);
    // step_lr.py: 10.0 ** 309 again
    expect(refusedStep({ kind: 'StepLRScheduler', base_lr: 0.1, decay_t: 1, decay_rate: 10 }, 400)).toBe(309);
    // cycle_mul 0.5: log(1 - t / 10 * 0.5, 0.5) leaves its domain at t = 20
    const shrinking = { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 10, cycle_mul: 0.5, cycle_limit: 3 };
    expect(refusedStep(shrinking, 30)).toBe(20);
    expect(refusedStep(shrinking, 20)).toBeUndefined();
  });

  it("refuses what timm's constructors refuse", () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      // tanh_lr.py __init__ calls _get_lr(warmup_t) without warmup_prefix: log of a negative here
      [
        { kind: 'TanhLRScheduler', base_lr: 0.1, t_initial: 2, cycle_mul: 0.5, warmup_t: 5 },
        /^warmup_t: .*ValueError: math domain error, got 5$/,
      ],
      [{ kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 5, noise_type: 'uniform' }, /^noise_type: /],
      [{ kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 5, initialize: false }, /^initialize: .*KeyError/],
      [{ kind: 'CosineLRScheduler', base_lr: -0.1, t_initial: 5 }, /^base_lr: .*Invalid learning rate/],
    ];
    for (const [spec, message] of refusals) expect(() => validateSpecs(spec)).toThrow(message);
    // None means 42; a longer noise_range_t list is read as its first two entries
    const [a, b] = [
      { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 50, noise_range_t: [3, 9, 20], noise_seed: null },
      { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 50, noise_range_t: [3, 9], noise_seed: 42 },
    ].map((s) => validateSpecs(s).runs[0]);
    for (let t = 0; t < 20; t++) expect(runValueAt(a, t, 20)).toBe(runValueAt(b, t, 20));
  });
});
