/**
 * Megatron-LM's OptimizerParamScheduler: its own values (test/golden/megatron.json, from
 * megatron/core/optimizer_param_scheduler.py on torch 1.13) and refusals, cases worked out by hand
 * from get_lr and get_wd, and random configs holding the CPU plan to the oracle and webgpu to the CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { SpecError } from '../../../src/errors.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { megatronRun } from './arbitraries.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, oracleAndPlanAt, refusedStep } from '../../helpers/kind-properties.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const base = {
  kind: 'OptimizerParamScheduler',
  init_lr: 0,
  max_lr: 1,
  min_lr: 0.1,
  lr_warmup_steps: 10,
  lr_decay_steps: 110,
  lr_decay_style: 'linear',
  start_wd: 0,
  end_wd: 0.5,
  wd_incr_steps: 100,
  wd_incr_style: 'linear',
};

goldenSuite('megatron', () => gpu, { cases: 17, rejects: 16 });

describe('megatron by hand', () => {
  const cases: [string, Record<string, unknown>, number, Record<number, number>][] = [
    // num_steps <= lr_warmup_steps is warmup: step 10 is max_lr from the warmup formula
    [
      'inclusive warmup, linear decay, min_lr past lr_decay_steps',
      base,
      200,
      { 5: 0.5, 10: 1, 60: 0.55, 110: 0.1, 111: 0.1 },
    ],
    // increment 4: num_steps 8, 12 (12 > 10: decay ratio 2 / 100)
    ['increment 4', { ...base, increment: 4 }, 50, { 2: 0.8, 3: 0.1 + 0.98 * 0.9, 28: 0.1 }],
    // get_wd: start_wd + n / wd_incr_steps * delta, end_wd past it
    ['weight decay output', { ...base, output: 'weight_decay' }, 200, { 0: 0, 50: 0.25, 100: 0.5, 150: 0.5 }],
    // WSD with exponential anneal: coeff = 2 * 0.5^r - 1
    [
      'WSD exponential',
      { ...base, lr_decay_style: 'WSD', wsd_decay_steps: 20, lr_wsd_decay_style: 'exponential' },
      200,
      { 50: 1, 90: 1, 100: 0.1 + (2 * 0.5 ** 0.5 - 1) * 0.9, 110: 0.1, 111: 0.1 },
    ],
    // inverse-square-root: max_lr * sqrt(W) / sqrt(n), clamped at min_lr
    [
      'inverse-square-root clamp',
      { ...base, lr_decay_style: 'inverse-square-root' },
      200,
      { 40: 0.5, 101: Math.sqrt(10 / 101), 111: 0.1 },
    ],
  ];
  for (const [name, spec, steps, expected] of cases)
    it(name, async () => {
      const at = Object.keys(expected).map(Number);
      const got = await oracleAndPlanAt(spec, steps, at);
      at.forEach((t, i) => {
        expect(got[i][0], `oracle step ${t}`).toBeCloseTo(expected[t], 12);
        expect(got[i][1], `plan step ${t}`).toBeCloseTo(expected[t], 12);
      });
    });

  it('refuses at the first update past the warmup whose num_steps reaches an unknown style', () => {
    // increment 3: num_steps 9 <= 10, then 12
    expect(refusedStep({ ...base, lr_decay_style: 'step', increment: 3 }, 50)).toBe(4);
    // increment 200 jumps from 0 past lr_decay_steps: get_lr never reaches the style
    expect(refusedStep({ ...base, lr_decay_style: 'step', increment: 200 }, 50)).toBeUndefined();
  });
});

describe('megatron refusals through the spec', () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['init_lr above max_lr', { ...base, init_lr: 2 }, /^init_lr: must be <= max_lr \(1\).*, got 2$/],
    ['warmup not below decay', { ...base, lr_warmup_steps: 110 }, /^lr_warmup_steps: must be < lr_decay_steps/],
    ['a zero increment', { ...base, increment: 0 }, /^increment: must be a positive integer/],
    ['an unknown output', { ...base, output: 'momentum' }, /^output: must be one of lr, weight_decay, got "momentum"$/],
    ['an unknown keyword', { ...base, lr_decay_iters: 5 }, /^lr_decay_iters: is not an argument/],
    ['a missing argument', { ...base, wd_incr_style: undefined }, /^wd_incr_style: is required/],
  ];
  for (const [name, spec, message] of refusals)
    it(`refuses ${name}`, () => {
      const raw = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
      expect(() => validateSpecs(raw)).toThrow(SpecError);
      expect(() => validateSpecs(raw)).toThrow(message);
    });
});

describe('random megatron configs', () => {
  const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
  const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 42);
  it(`cpu plan vs oracle and webgpu vs cpu on ${RUNS} configs`, async () => {
    const tally = await checkRandomSpecs(megatronRun, RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('megatron', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.7);
  }, 600_000);
});
