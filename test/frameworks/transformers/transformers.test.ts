/**
 * HF transformers' schedule functions. There are no golden files: the table cases below are worked
 * out by hand from the lr_lambda functions in transformers/optimization.py (cited per case), the
 * refusals follow its ValueErrors, and random configs of every kind hold the CPU plan to the oracle
 * and webgpu to the CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { SpecError, StepError } from '../../../src/errors.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { transformersRun } from './arbitraries.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, oracleAndPlanAt } from '../../helpers/kind-properties.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

interface Case {
  name: string;
  spec: Record<string, unknown>;
  steps: number;
  expect: Record<number, number>;
}

const PI = Math.PI;
const CASES: Case[] = [
  {
    // _get_constant_lambda returns 1
    name: 'get_constant_schedule is base_lr',
    spec: { kind: 'get_constant_schedule', base_lr: 0.25 },
    steps: 5,
    expect: { 0: 0.25, 4: 0.25 },
  },
  {
    // _get_constant_schedule_with_warmup_lr_lambda: step / max(1, W) below W, else 1
    name: 'constant with warmup',
    spec: { kind: 'get_constant_schedule_with_warmup', base_lr: 3, num_warmup_steps: 3 },
    steps: 10,
    expect: { 0: 0, 1: 1, 2: 2, 3: 3, 9: 3 },
  },
  {
    // _get_linear_schedule_with_warmup_lr_lambda: max(0, (T - step) / max(1, T - W)) from W on
    name: 'linear with warmup, 0 from T on',
    spec: {
      kind: 'transformers.get_linear_schedule_with_warmup',
      base_lr: 0.1,
      num_warmup_steps: 10,
      num_training_steps: 110,
    },
    steps: 200,
    expect: { 0: 0, 5: 0.1 * (5 / 10), 10: 0.1 * (100 / 100), 60: 0.1 * (50 / 100), 110: 0, 199: 0 },
  },
  {
    // _get_cosine_schedule_with_warmup_lr_lambda: 0.5 * (1 + cos(pi * num_cycles * 2 * progress)),
    // and nothing stops progress at 1: past T the half cosine rises again
    name: 'cosine with warmup rises again past num_training_steps',
    spec: { kind: 'get_cosine_schedule_with_warmup', base_lr: 1, num_warmup_steps: 0, num_training_steps: 100 },
    steps: 201,
    expect: { 0: 1, 50: 0.5 * (1 + Math.cos(PI * 0.5)), 100: 0, 150: 0.5 * (1 + Math.cos(PI * 1.5)), 200: 1 },
  },
  {
    // _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda: cos(pi * ((cycles * progress) % 1)),
    // 0 once progress >= 1
    name: 'hard restarts: two cycles, restart at step 50',
    spec: {
      kind: 'get_cosine_with_hard_restarts_schedule_with_warmup',
      base_lr: 2,
      num_warmup_steps: 0,
      num_training_steps: 100,
      num_cycles: 2,
    },
    steps: 120,
    expect: {
      0: 2,
      25: 2 * 0.5 * (1 + Math.cos(PI * 0.5)),
      49: 2 * 0.5 * (1 + Math.cos(PI * ((2 * 0.49) % 1))),
      50: 2,
      75: 2 * 0.5 * (1 + Math.cos(PI * 0.5)),
      100: 0,
      119: 0,
    },
  },
  {
    // _get_polynomial_decay_schedule_with_warmup_lr_lambda: (lr_init - lr_end) * remaining ** power
    // + lr_end through T, then lr_end / lr_init (times lr_init by LambdaLR)
    name: 'polynomial decay, lr_end past the end',
    spec: {
      kind: 'get_polynomial_decay_schedule_with_warmup',
      base_lr: 1,
      num_warmup_steps: 2,
      num_training_steps: 12,
      lr_end: 0.1,
      power: 2,
    },
    steps: 20,
    expect: { 1: 0.5, 2: 1, 7: 0.9 * 0.25 + 0.1, 12: 0.1, 13: 0.1, 19: 0.1 },
  },
  {
    // _get_inverse_sqrt_schedule_lr_lambda: 1 / sqrt((step + timescale - W) / timescale),
    // timescale = num_warmup_steps
    name: 'inverse sqrt, timescale from the warmup',
    spec: { kind: 'get_inverse_sqrt_schedule', base_lr: 1, num_warmup_steps: 4 },
    steps: 20,
    expect: { 2: 0.5, 4: 1, 12: 1 / Math.sqrt(3), 16: 1 / Math.sqrt(4) },
  },
  {
    // timescale = num_warmup_steps or 10_000: 10_000 when there is no warmup
    name: 'inverse sqrt, timescale 10000 without warmup',
    spec: { kind: 'get_inverse_sqrt_schedule', base_lr: 1, num_warmup_steps: 0 },
    steps: 30001,
    expect: { 0: 1, 30000: 0.5 },
  },
  {
    // _get_wsd_scheduler_lambda: factor * (1 - m) + m in warmup and decay; 1 in between; m after
    name: 'wsd: linear warmup from min_lr_ratio, cosine decay',
    spec: {
      kind: 'get_wsd_schedule',
      base_lr: 1,
      num_warmup_steps: 10,
      num_decay_steps: 20,
      num_training_steps: 100,
      min_lr_ratio: 0.1,
    },
    steps: 120,
    expect: {
      0: 0.1,
      5: 0.5 * 0.9 + 0.1,
      10: 1,
      79: 1,
      80: 1,
      90: 0.5 * (1 + Math.cos(PI * 0.5)) * 0.9 + 0.1,
      100: 0.1,
      119: 0.1,
    },
  },
  {
    // warmup_type 1-sqrt: 1 - sqrt(1 - progress); decay_type 1-sqrt: 1 - sqrt(progress)
    name: 'wsd: 1-sqrt warmup and decay, num_stable_steps given',
    spec: {
      kind: 'get_wsd_schedule',
      base_lr: 2,
      num_warmup_steps: 4,
      num_stable_steps: 6,
      num_decay_steps: 4,
      warmup_type: '1-sqrt',
      decay_type: '1-sqrt',
    },
    steps: 20,
    expect: {
      3: 2 * (1 - Math.sqrt(0.25)),
      4: 2,
      9: 2,
      10: 2,
      11: 2 * (1 - Math.sqrt(0.25)),
      13: 2 * (1 - Math.sqrt(0.75)),
      14: 0,
    },
  },
  {
    // get_cosine_with_min_lr_schedule_with_warmup: min_lr_rate = min_lr / lr
    name: 'cosine with min_lr',
    spec: {
      kind: 'get_cosine_with_min_lr_schedule_with_warmup',
      base_lr: 1,
      num_warmup_steps: 0,
      num_training_steps: 100,
      min_lr: 0.2,
    },
    steps: 101,
    expect: { 0: 1, 50: 0.5 * 0.8 + 0.2, 100: 0.2 },
  },
  {
    name: 'cosine with min_lr_rate',
    spec: {
      kind: 'transformers.optimization.get_cosine_with_min_lr_schedule_with_warmup',
      base_lr: 0.5,
      num_warmup_steps: 10,
      num_training_steps: 110,
      min_lr_rate: 0.5,
    },
    steps: 111,
    expect: { 5: 0.25, 10: 0.5, 110: 0.25 },
  },
];

// transformers' own values (test/golden/transformers.json, from transformers/optimization.py on torch 1.13)
goldenSuite('transformers', () => gpu, { cases: 20, rejects: 9 });

describe('transformers schedules by hand', () => {
  for (const c of CASES)
    it(c.name, async () => {
      const at = Object.keys(c.expect).map(Number);
      const got = await oracleAndPlanAt(c.spec, c.steps, at);
      at.forEach((t, i) => {
        const [oracle, plan] = got[i];
        expect(oracle, `oracle step ${t}`).toBeCloseTo(c.expect[t], 14);
        expect(plan, `plan step ${t}`).toBeCloseTo(c.expect[t], 14);
      });
    });

  it('resolves full, package and short names to one kind', () => {
    for (const kind of [
      'transformers.optimization.get_linear_schedule_with_warmup',
      'transformers.get_linear_schedule_with_warmup',
      'get_linear_schedule_with_warmup',
    ])
      expect(validateSpecs({ kind, base_lr: 1, num_warmup_steps: 1, num_training_steps: 5 }).runs[0].spec.kind).toBe(
        'transformers.optimization.get_linear_schedule_with_warmup',
      );
  });
});

describe('transformers refusals', () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      'lr_end not below the optimizer lr (ValueError)',
      { kind: 'get_polynomial_decay_schedule_with_warmup', base_lr: 1e-7, num_warmup_steps: 0, num_training_steps: 5 },
      /^lr_end: must be smaller than initial lr/,
    ],
    [
      'wsd without num_training_steps or num_stable_steps',
      { kind: 'get_wsd_schedule', base_lr: 1, num_warmup_steps: 0, num_decay_steps: 5 },
      /^num_training_steps: either num_training_steps or num_stable_steps/,
    ],
    [
      'wsd with an unknown warmup_type',
      {
        kind: 'get_wsd_schedule',
        base_lr: 1,
        num_warmup_steps: 0,
        num_decay_steps: 5,
        num_stable_steps: 1,
        warmup_type: 'exp',
      },
      /^warmup_type: must be 'linear', 'cosine' or '1-sqrt'.*, got "exp"$/,
    ],
    [
      'both min_lr and min_lr_rate',
      {
        kind: 'get_cosine_with_min_lr_schedule_with_warmup',
        base_lr: 1,
        num_warmup_steps: 0,
        num_training_steps: 5,
        min_lr: 0.1,
        min_lr_rate: 0.1,
      },
      /^min_lr: only one of min_lr or min_lr_rate/,
    ],
    [
      'neither min_lr nor min_lr_rate',
      { kind: 'get_cosine_with_min_lr_schedule_with_warmup', base_lr: 1, num_warmup_steps: 0, num_training_steps: 5 },
      /^min_lr_rate: one of min_lr or min_lr_rate must be set/,
    ],
    ['an unknown keyword (TypeError)', { kind: 'get_constant_schedule', base_lr: 1, lr: 2 }, /lr/],
    [
      'a missing keyword (TypeError)',
      { kind: 'get_linear_schedule_with_warmup', base_lr: 1, num_warmup_steps: 2 },
      /^num_training_steps: /,
    ],
    [
      'a number as text (no coercion)',
      { kind: 'get_constant_schedule_with_warmup', base_lr: 1, num_warmup_steps: '10' },
      /^num_warmup_steps: /,
    ],
    [
      'resuming (last_epoch != -1)',
      { kind: 'get_constant_schedule', base_lr: 1, last_epoch: 3 },
      /^last_epoch: must be -1/,
    ],
  ];
  for (const [name, spec, message] of refusals)
    it(`refuses ${name}`, () => {
      expect(() => validateSpecs(spec)).toThrow(SpecError);
      expect(() => validateSpecs(spec)).toThrow(/^\S+: .+, got .+$/);
      expect(() => validateSpecs(spec)).toThrow(message);
    });

  const atStep: [string, Record<string, unknown>, number, RegExp][] = [
    [
      // decay_steps = T - W = 0: (step - W) / 0 at step T
      'polynomial decay with num_training_steps == num_warmup_steps',
      { kind: 'get_polynomial_decay_schedule_with_warmup', base_lr: 1, num_warmup_steps: 10, num_training_steps: 10 },
      10,
      /ZeroDivisionError/,
    ],
    [
      // pct_remaining = 0 at step T: 0.0 ** -1
      'polynomial decay with a negative power',
      {
        kind: 'get_polynomial_decay_schedule_with_warmup',
        base_lr: 1,
        num_warmup_steps: 2,
        num_training_steps: 8,
        power: -1,
      },
      8,
      /ZeroDivisionError: 0.0 cannot be raised/,
    ],
    [
      // (step - 5) / -5 reaches 0 at step 5: 1.0 / sqrt(0.0)
      'inverse sqrt with a negative timescale',
      { kind: 'get_inverse_sqrt_schedule', base_lr: 1, num_warmup_steps: 0, timescale: -5 },
      5,
      /ZeroDivisionError/,
    ],
  ];
  for (const [name, spec, step, reason] of atStep)
    it(`refuses step ${step} of ${name}`, () => {
      const runs = validateSpecs(spec).runs;
      let error: unknown;
      try {
        compilePlan(runs, 50);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).step).toBe(step);
      expect((error as StepError).reason).toMatch(reason);
      expect(() => runValueAt(runs[0], step, 50)).toThrow(reason);
      expect(() => compilePlan(runs, step)).not.toThrow();
    });
});

describe('random transformers configs', () => {
  const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 800);
  const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 42);
  it(`cpu plan vs oracle and webgpu vs cpu on ${RUNS} configs`, async () => {
    const tally = await checkRandomSpecs(transformersRun, RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('transformers', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.7);
    // every kind took part
    expect(tally.byKind.size).toBe(9);
  }, 600_000);
});
