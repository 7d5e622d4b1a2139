/** Random optax schedule specs (every optax kind, join_schedules nesting them) with a run length. */
import fc from 'fast-check';
import { real } from '../transformers/arbitraries.js';

const value = fc.oneof(fc.constantFrom(1, 1e-3, 0), real(-2, 2));
const positive = fc.oneof(fc.constantFrom(1, 1e-3), real(1e-6, 3));
const steps = fc.oneof(
  fc.integer({ min: 1, max: 400 }),
  fc.integer({ min: 400, max: 2000 }),
  fc.integer({ min: -2, max: 3 }),
);
const begin = fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 500 }));
const kind = (name: string) => fc.constantFrom(name, `optax.${name}`, `optax.schedules.${name}`);
const scales = fc.oneof(
  fc.constant(null),
  fc.dictionary(
    fc.integer({ min: -10, max: 2500 }).map(String),
    fc.oneof(fc.constantFrom(0.1, 0.5, 2, 0), real(0, 2)),
    { maxKeys: 4 },
  ),
);
/** Decay rates, with growth only slow enough to stay finite over a run. */
const exponentialArgs = fc
  .record({
    transition_steps: steps,
    decay_rate: fc.oneof(fc.constantFrom(0.5, 0.9, 0.99, 1, 0), real(0.01, 1)),
    transition_begin: begin,
    staircase: fc.boolean(),
    end_value: fc.oneof(fc.constant(null), value),
  })
  .chain((r) =>
    fc.oneof(
      fc.constant(r),
      real(1, 1.05).map((g) => ({ ...r, decay_rate: g, transition_steps: Math.max(50, Math.abs(r.transition_steps)) })),
    ),
  );
const warmupCosineArgs = fc
  .record({
    init_value: value,
    peak_value: positive,
    warmup_steps: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -3, max: 3 })),
    length: fc.integer({ min: 1, max: 1500 }),
    end_value: fc.oneof(fc.constantFrom(0, 1e-5), real(0, 0.5)),
    exponent: fc.oneof(fc.constant(1), fc.constant(1), real(0, 3)),
  })
  .map(({ length, ...r }) => ({ ...r, decay_steps: r.warmup_steps + length }));

const leaf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ kind: kind('constant_schedule'), value }),
  fc.record(
    {
      kind: kind('linear_schedule'),
      init_value: value,
      end_value: value,
      transition_steps: steps,
      transition_begin: begin,
    },
    { requiredKeys: ['kind', 'init_value', 'end_value', 'transition_steps'] },
  ),
  fc.record(
    {
      kind: kind('polynomial_schedule'),
      init_value: value,
      end_value: value,
      power: fc.oneof(fc.constantFrom(1, 2, 0.5, 0), real(0, 4)),
      transition_steps: steps,
      transition_begin: begin,
    },
    { requiredKeys: ['kind', 'init_value', 'end_value', 'power', 'transition_steps'] },
  ),
  fc.record(
    {
      kind: kind('cosine_decay_schedule'),
      init_value: value,
      decay_steps: fc.integer({ min: 1, max: 1500 }),
      alpha: fc.oneof(fc.constant(0), real(-0.5, 1.5)),
      exponent: fc.oneof(fc.constant(1), real(0, 3)),
    },
    { requiredKeys: ['kind', 'init_value', 'decay_steps'] },
  ),
  fc
    .tuple(kind('exponential_decay'), value, exponentialArgs)
    .map(([k, init_value, r]) => ({ kind: k, init_value, ...r })),
  fc.record({ kind: kind('piecewise_constant_schedule'), init_value: value, boundaries_and_scales: scales }),
  fc.record({
    kind: kind('piecewise_interpolate_schedule'),
    interpolate_type: fc.constantFrom('linear', 'cosine'),
    init_value: value,
    boundaries_and_scales: scales,
  }),
  fc.record({ kind: kind('warmup_constant_schedule'), init_value: value, peak_value: value, warmup_steps: steps }),
  fc.tuple(kind('warmup_cosine_decay_schedule'), warmupCosineArgs).map(([k, r]) => ({ kind: k, ...r })),
  fc
    .tuple(kind('warmup_exponential_decay_schedule'), value, positive, steps, exponentialArgs)
    .map(([k, init_value, peak_value, warmup_steps, r]) => ({ kind: k, init_value, peak_value, warmup_steps, ...r })),
  fc.record({
    kind: kind('sgdr_schedule'),
    cosine_kwargs: fc.array(warmupCosineArgs, { minLength: 1, maxLength: 4 }),
  }),
  fc.record(
    {
      kind: kind('linear_onecycle_schedule'),
      transition_steps: fc.integer({ min: 1, max: 2500 }),
      peak_value: positive,
      pct_start: real(0, 1),
      pct_final: real(0, 1),
      div_factor: fc.oneof(fc.constant(25), real(0.5, 100)),
      final_div_factor: fc.oneof(fc.constant(1e4), real(1, 1e4)),
    },
    { requiredKeys: ['kind', 'transition_steps', 'peak_value'] },
  ),
  fc.record(
    {
      kind: kind('cosine_onecycle_schedule'),
      transition_steps: fc.integer({ min: 1, max: 2500 }),
      peak_value: positive,
      pct_start: real(0, 1),
      div_factor: fc.oneof(fc.constant(25), real(0.5, 100)),
      final_div_factor: fc.oneof(fc.constant(1e4), real(1, 1e4)),
    },
    { requiredKeys: ['kind', 'transition_steps', 'peak_value'] },
  ),
);

export const optaxSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: kind('join_schedules'),
      schedules: fc.array(leaf, { minLength: 1, maxLength: 4 }),
      boundaries: fc.array(fc.oneof(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: -5, max: 5 })), {
        maxLength: 4,
      }),
    }),
  },
);

export const optaxRun: fc.Arbitrary<[Record<string, unknown>, number]> = fc.tuple(
  optaxSpec,
  fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 })),
);
