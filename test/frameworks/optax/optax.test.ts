/**
 * optax's schedules. There are no golden files: the table cases are worked out by hand from
 * optax/schedules/_schedule.py and _join.py (formula cited per case; several are the docstrings'
 * own examples), the refusals follow its ValueErrors, and random configs of every kind hold the CPU
 * plan to the oracle and webgpu to the CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { SpecError } from '../../../src/errors.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { optaxRun } from './arbitraries.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally } from '../../helpers/kind-properties.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const cpu = new CpuBackend({ workers: 1 });
const PI = Math.PI;

interface Case {
  name: string;
  spec: Record<string, unknown>;
  steps: number;
  expect: Record<number, number>;
}

const CASES: Case[] = [
  {
    name: 'constant_schedule',
    spec: { kind: 'optax.constant_schedule', value: 5 },
    steps: 101,
    expect: { 0: 5, 100: 5 },
  },
  {
    // polynomial_schedule docstring: (I - E) * (1 - (t - B) / T) ** P + E, clipped to [B, B + T]
    name: 'polynomial_schedule with transition_begin (docstring example)',
    spec: {
      kind: 'optax.polynomial_schedule',
      init_value: 1,
      end_value: 0.01,
      transition_steps: 100,
      transition_begin: 5,
      power: 2,
    },
    steps: 111,
    expect: { 0: 1, 5: 1, 6: 0.99 * 0.99 ** 2 + 0.01, 104: 0.99 * 0.01 ** 2 + 0.01, 105: 0.01, 110: 0.01 },
  },
  {
    // linear_schedule = polynomial_schedule with power 1
    name: 'linear_schedule',
    spec: { kind: 'linear_schedule', init_value: 1, end_value: 0.01, transition_steps: 100 },
    steps: 120,
    expect: { 0: 1, 50: 0.505, 100: 0.01, 119: 0.01 },
  },
  {
    // transition_steps <= 0: optax logs and returns `lambda count: init_value`
    name: 'linear_schedule with transition_steps 0 is constant',
    spec: { kind: 'linear_schedule', init_value: 0.3, end_value: 1, transition_steps: 0 },
    steps: 10,
    expect: { 0: 0.3, 9: 0.3 },
  },
  {
    // cosine_decay_schedule: init * ((1 - alpha) * (0.5 * (1 + cos(pi * min(t, T) / T))) ** p + alpha)
    name: 'cosine_decay_schedule with alpha',
    spec: { kind: 'cosine_decay_schedule', init_value: 2, decay_steps: 10, alpha: 0.1 },
    steps: 21,
    expect: { 0: 2, 5: 2 * (0.9 * 0.5 + 0.1), 10: 0.2, 20: 0.2 },
  },
  {
    name: 'cosine_decay_schedule with exponent 2',
    spec: { kind: 'cosine_decay_schedule', init_value: 2, decay_steps: 10, alpha: 0.1, exponent: 2 },
    steps: 21,
    expect: { 5: 2 * (0.9 * 0.25 + 0.1), 10: 0.2, 20: 0.2 },
  },
  {
    // exponential_decay: init * rate ** ((t - B) / T), init while t - B <= 0
    name: 'exponential_decay, continuous',
    spec: { kind: 'exponential_decay', init_value: 1, transition_steps: 10, decay_rate: 0.5, transition_begin: 5 },
    steps: 30,
    expect: { 0: 1, 5: 1, 15: 0.5, 20: 0.5 ** 1.5, 25: 0.25 },
  },
  {
    // staircase: the exponent is floor((t - B) / T)
    name: 'exponential_decay, staircase',
    spec: { kind: 'exponential_decay', init_value: 1, transition_steps: 10, decay_rate: 0.5, staircase: true },
    steps: 40,
    expect: { 9: 1, 10: 0.5, 19: 0.5, 20: 0.25, 39: 0.125 },
  },
  {
    // end_value is a lower bound when decay_rate < 1 (jnp.maximum)
    name: 'exponential_decay clipped at end_value',
    spec: { kind: 'exponential_decay', init_value: 1, transition_steps: 10, decay_rate: 0.5, end_value: 0.3 },
    steps: 40,
    expect: { 10: 0.5, 17: 0.5 ** 1.7, 18: 0.3, 39: 0.3 },
  },
  {
    // decay_rate == 0: optax returns the constant init_value, end_value not applied
    name: 'exponential_decay with decay_rate 0 is constant',
    spec: { kind: 'exponential_decay', init_value: 1, transition_steps: 10, decay_rate: 0, end_value: 2 },
    steps: 20,
    expect: { 0: 1, 19: 1 },
  },
  {
    // piecewise_constant_schedule docstring: scale applies from count >= boundary
    name: 'piecewise_constant_schedule (docstring example)',
    spec: { kind: 'piecewise_constant_schedule', init_value: 1, boundaries_and_scales: { 100: 0.1, 200: 0.01 } },
    steps: 300,
    expect: { 50: 1, 99: 1, 100: 0.1, 150: 0.1, 250: 0.1 * 0.01 },
  },
  {
    // piecewise_interpolate_schedule docstring: interpolates the cumulative values 1, 0.1, 0.001
    name: 'piecewise_interpolate_schedule, linear (docstring example)',
    spec: {
      kind: 'piecewise_interpolate_schedule',
      interpolate_type: 'linear',
      init_value: 1,
      boundaries_and_scales: { 4: 0.1, 8: 0.01 },
    },
    steps: 11,
    expect: { 0: 1, 2: 0.55, 4: 0.1, 6: 0.0505, 8: 0.001, 10: 0.001 },
  },
  {
    // _cosine_interpolate: end + (start - end) / 2 * (cos(pi * pct) + 1)
    name: 'piecewise_interpolate_schedule, cosine',
    spec: {
      kind: 'piecewise_interpolate_schedule',
      interpolate_type: 'cosine',
      init_value: 1,
      boundaries_and_scales: { 4: 0.1 },
    },
    steps: 8,
    expect: { 0: 1, 1: 0.1 + (0.9 / 2) * (Math.cos(PI / 4) + 1), 2: 0.55, 4: 0.1, 7: 0.1 },
  },
  {
    // join([linear(init, peak, W), cosine_decay(peak, D - W, end / peak)], [W])
    name: 'warmup_cosine_decay_schedule',
    spec: {
      kind: 'warmup_cosine_decay_schedule',
      init_value: 0,
      peak_value: 1,
      warmup_steps: 10,
      decay_steps: 110,
      end_value: 0.1,
    },
    steps: 200,
    expect: { 0: 0, 5: 0.5, 10: 1, 60: 0.9 * 0.5 + 0.1, 110: 0.1, 199: 0.1 },
  },
  {
    name: 'warmup_exponential_decay_schedule',
    spec: {
      kind: 'warmup_exponential_decay_schedule',
      init_value: 0,
      peak_value: 2,
      warmup_steps: 10,
      transition_steps: 10,
      decay_rate: 0.5,
    },
    steps: 40,
    expect: { 5: 1, 10: 2, 20: 1, 30: 0.5 },
  },
  {
    name: 'warmup_constant_schedule',
    spec: { kind: 'warmup_constant_schedule', init_value: 0, peak_value: 2, warmup_steps: 4 },
    steps: 10,
    expect: { 1: 0.5, 4: 2, 9: 2 },
  },
  {
    // sgdr: boundaries at the running sum of decay_steps; a cycle without warmup is
    // linear_schedule(transition_steps=0) = init_value, but join switches to the cosine at count 0
    name: 'sgdr_schedule restarts at the sum of decay_steps',
    spec: {
      kind: 'sgdr_schedule',
      cosine_kwargs: [
        { init_value: 0, peak_value: 1, warmup_steps: 2, decay_steps: 10 },
        { init_value: 0, peak_value: 0.5, warmup_steps: 0, decay_steps: 10 },
      ],
    },
    steps: 30,
    expect: { 1: 0.5, 2: 1, 10: 0.5, 15: 0.5 * 0.5 * (1 + Math.cos(PI * 0.5)), 20: 0, 29: 0 },
  },
  {
    // linear_onecycle: piecewise_interpolate('linear', peak / div, {int(.3 T): div, int(.85 T): 1 / div, T: 1 / final})
    name: 'linear_onecycle_schedule',
    spec: { kind: 'linear_onecycle_schedule', transition_steps: 100, peak_value: 1 },
    steps: 120,
    expect: { 0: 0.04, 15: 0.04 + 0.96 * 0.5, 30: 1, 85: 0.04, 100: 0.04 * 1e-4, 119: 0.04 * 1e-4 },
  },
  {
    // a repeated key keeps its first place and takes the last value: {30: 25, 100: 1e-4}
    name: 'linear_onecycle_schedule with pct_final 1 (dict key collision)',
    spec: { kind: 'linear_onecycle_schedule', transition_steps: 100, peak_value: 1, pct_final: 1 },
    steps: 101,
    expect: { 30: 1, 65: 1 + (1e-4 - 1) * 0.5, 100: 1e-4 },
  },
  {
    // cosine_onecycle: {int(.3 T): div, T: 1 / (div * final)}
    name: 'cosine_onecycle_schedule',
    spec: { kind: 'cosine_onecycle_schedule', transition_steps: 100, peak_value: 1 },
    steps: 101,
    expect: { 0: 0.04, 30: 1, 65: 4e-6 + ((1 - 4e-6) / 2) * (Math.cos(PI * 0.5) + 1), 100: 4e-6 },
  },
  {
    // join_schedules: schedules[1] counts from the boundary
    name: 'join_schedules',
    spec: {
      kind: 'join_schedules',
      schedules: [
        { kind: 'optax.constant_schedule', value: 1 },
        { kind: 'optax.linear_schedule', init_value: 1, end_value: 0, transition_steps: 10 },
      ],
      boundaries: [5],
    },
    steps: 20,
    expect: { 4: 1, 5: 1, 10: 0.5, 15: 0, 19: 0 },
  },
];

// optax's own schedule code (test/golden/optax.json), run in float64 with numpy as jax.numpy
goldenSuite('optax', () => gpu, { cases: 18, rejects: 7 });

describe('optax schedules by hand', () => {
  for (const c of CASES)
    it(c.name, async () => {
      const runs = validateSpecs(c.spec).runs;
      const table = await collectTable(compilePlan(runs, c.steps), cpu);
      for (const [step, want] of Object.entries(c.expect)) {
        const t = Number(step);
        expect(runValueAt(runs[0], t, c.steps), `oracle step ${t}`).toBeCloseTo(want, 14);
        expect(table.values[t], `plan step ${t}`).toBeCloseTo(want, 14);
      }
    });

  it("polynomial schedules round in optax's order, (init - end) * frac ** power + end", async () => {
    // init + (1 - frac) * (end - init) gives 1e-8 at step 0; optax gives (1e-8 - 1) * 1 + 1
    for (const power of [1, 2, 0.5]) {
      const spec = { kind: 'optax.polynomial_schedule', init_value: 1e-8, end_value: 1, transition_steps: 5, power };
      const runs = validateSpecs(spec).runs;
      const table = await collectTable(compilePlan(runs, 7), cpu);
      for (let t = 0; t < 7; t++) {
        const frac = 1 - Math.min(t, 5) / 5;
        const want = (1e-8 - 1) * frac ** power + 1;
        expect(table.values[t], `power ${power} plan step ${t}`).toBe(want);
        expect(runValueAt(runs[0], t, 7), `power ${power} oracle step ${t}`).toBe(want);
      }
    }
  });

  it('staircase decay is one segment however many transitions', () => {
    const runs = validateSpecs({
      kind: 'exponential_decay',
      init_value: 1,
      transition_steps: 3,
      decay_rate: 0.99,
      staircase: true,
    }).runs;
    expect(compilePlan(runs, 100_000).segStart.length).toBeLessThanOrEqual(2);
  });
});

describe('optax refusals', () => {
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      'cosine_decay_schedule with decay_steps 0',
      { kind: 'cosine_decay_schedule', init_value: 1, decay_steps: 0 },
      /^decay_steps: must be positive/,
    ],
    [
      'a negative scale',
      { kind: 'piecewise_constant_schedule', init_value: 1, boundaries_and_scales: { 10: -0.5 } },
      /^boundaries_and_scales\.10: must be >= 0/,
    ],
    [
      'a non-integer boundary',
      { kind: 'piecewise_constant_schedule', init_value: 1, boundaries_and_scales: { '1.5': 0.5 } },
      /^boundaries_and_scales/,
    ],
    [
      'an unknown interpolate_type',
      { kind: 'piecewise_interpolate_schedule', interpolate_type: 'exp', init_value: 1 },
      /^interpolate_type: must be 'cosine' or 'linear'/,
    ],
    [
      'a onecycle with transition_steps 0',
      { kind: 'linear_onecycle_schedule', transition_steps: 0, peak_value: 1 },
      /^transition_steps: /,
    ],
    [
      'warmup_cosine_decay_schedule with decay_steps <= warmup_steps',
      { kind: 'warmup_cosine_decay_schedule', init_value: 0, peak_value: 1, warmup_steps: 10, decay_steps: 10 },
      /^decay_steps: must exceed warmup_steps/,
    ],
    [
      'an sgdr cycle missing decay_steps',
      { kind: 'sgdr_schedule', cosine_kwargs: [{ init_value: 0, peak_value: 1, warmup_steps: 1 }] },
      /^cosine_kwargs\[0\]\.decay_steps: /,
    ],
    [
      'a non-optax schedule inside join_schedules',
      { kind: 'join_schedules', schedules: [{ kind: 'get_constant_schedule', base_lr: 1 }], boundaries: [] },
      /^schedules\[0\]\.kind: must be an optax schedule/,
    ],
    ['join_schedules without schedules', { kind: 'join_schedules', schedules: [], boundaries: [] }, /^schedules: /],
    ['an unknown keyword', { kind: 'constant_schedule', value: 1, init_value: 2 }, /init_value/],
    ['a number as text', { kind: 'constant_schedule', value: '1' }, /^value: /],
    [
      'staircase as text',
      { kind: 'exponential_decay', init_value: 1, transition_steps: 1, decay_rate: 0.5, staircase: 'yes' },
      /^staircase: /,
    ],
    [
      'a negative decay_rate',
      { kind: 'exponential_decay', init_value: 1, transition_steps: 1, decay_rate: -0.5 },
      /^decay_rate: /,
    ],
  ];
  for (const [name, spec, message] of refusals)
    it(`refuses ${name}`, () => {
      expect(() => validateSpecs(spec)).toThrow(SpecError);
      expect(() => validateSpecs(spec)).toThrow(/^\S+: .+, got .+$/);
      expect(() => validateSpecs(spec)).toThrow(message);
    });
});

describe('random optax configs', () => {
  const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 800);
  const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 42);
  it(`cpu plan vs oracle and webgpu vs cpu on ${RUNS} configs`, async () => {
    const tally = await checkRandomSpecs(optaxRun, RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('optax', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.7);
    expect(tally.byKind.size).toBe(14);
  }, 600_000);
});
