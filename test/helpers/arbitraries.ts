/**
 * Random noether specs as a user would write them (short or fully-qualified kinds, nested
 * sequential compositions, overhangs, exclude flags, interval 'epoch'), for property tests.
 * Most are valid; some are refused by validation or at some step, and the tests check that the
 * oracle and the compiler agree on those too.
 */
import fc from 'fast-check';

type Spec = Record<string, unknown>;

const magnitude = fc.constantFrom(1e-6, 1e-4, 3e-4, 1e-3, 0.1, 1, 7.5);
const positive = fc.tuple(fc.double({ min: 0.05, max: 1, noNaN: true }), magnitude).map(([a, m]) => a * m);
/** max and a smaller end/start value (sometimes zero). */
const bounds = fc
  .tuple(positive, fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })))
  .map(([max, frac]) => ({ max, low: max * frac }));

const kindName = (short: string) => fc.constantFrom(short, `noether.core.schedules.${short}`);

const overhang: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 0.6, noNaN: true }).map((p) => ({ overhang_percent: p })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 60 }).map((s) => ({ overhang_steps: s })) },
  { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }).map((s) => ({ overhang_steps: s })) },
);

const flags = fc.record({ exclude_first: fc.boolean(), exclude_last: fc.boolean() });

const progress: fc.Arbitrary<Spec> = fc
  .tuple(
    fc.constantFrom('Linear', 'Cosine', 'Polynomial'),
    fc.boolean(),
    bounds,
    flags,
    overhang,
    fc.constantFrom(0.5, 1, 1.5, 2, 3, 0.25, 4.2),
  )
  .chain(([shape, decreasing, b, f, o, power]) =>
    kindName(`${shape}${decreasing ? 'Decreasing' : 'Increasing'}Schedule`).map((kind) => ({
      kind,
      ...(decreasing ? { max_value: b.max, end_value: b.low } : { start_value: b.low, max_value: b.max }),
      ...f,
      ...o,
      ...(shape === 'Polynomial' ? { power } : {}),
    })),
  );

const interval = fc.oneof(
  fc.double({ min: 0.01, max: 0.6, noNaN: true }),
  fc.constantFrom(0.1, 0.25, 0.3, 0.05, 1 / 3),
);
const factor = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.1, 0.5, 2, 0));

const staircases: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .record({
      kind: kindName('StepDecreasingSchedule'),
      b: bounds,
      factor,
      decreases_interval: interval,
      f: flags,
      o: overhang,
    })
    .map(({ kind, b, factor, decreases_interval, f, o }) => ({
      kind,
      max_value: b.max,
      end_value: b.low,
      factor,
      decreases_interval,
      ...f,
      ...o,
    })),
  fc
    .record({
      kind: kindName('StepIntervalSchedule'),
      start_value: positive,
      factor,
      update_interval: interval,
      o: overhang,
    })
    .map(({ o, ...rest }) => ({ ...rest, ...o })),
  fc
    .record({
      kind: kindName('StepFixedSchedule'),
      start_value: positive,
      factor,
      steps: fc.array(fc.oneof(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.constantFrom(0.25, 0.5, 0.75)), {
        minLength: 1,
        maxLength: 5,
      }),
      o: overhang,
    })
    .map(({ o, ...rest }) => ({ ...rest, ...o })),
);

const leaf: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 1, arbitrary: positive.map((value) => ({ kind: 'ConstantSchedule', value })) },
  { weight: 5, arbitrary: progress },
  { weight: 3, arbitrary: staircases },
  {
    weight: 1,
    arbitrary: fc
      .array(positive, { minLength: 1, maxLength: 400 })
      .map((values) => ({ kind: 'CustomSchedule', values })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        bounds,
        fc.oneof(
          fc.integer({ min: 0, max: 400 }).map((w) => ({ warmup_steps: w })),
          fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ warmup_percent: p })),
        ),
        fc.boolean(),
        overhang,
      )
      .map(([b, warm, zeroStart, o]) => ({
        kind: 'LinearWarmupCosineDecaySchedule',
        max_value: b.max,
        end_value: b.low / 2,
        start_value: zeroStart ? 0 : b.low,
        ...warm,
        ...o,
      })),
  },
);

function sequential(child: fc.Arbitrary<Spec>): fc.Arbitrary<Spec> {
  const percentSeq = fc
    .tuple(
      fc.array(child, { minLength: 1, maxLength: 3 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    )
    .map(([children, cuts, drop]) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      return {
        kind: 'SequentialPercentSchedule',
        schedule_configs: children.map((schedule, i) => ({
          schedule,
          ...(drop[2 * i] ? {} : { start_percent: sorted[2 * i] }),
          ...(drop[2 * i + 1] ? {} : { end_percent: sorted[2 * i + 1] }),
        })),
      };
    });
  const stepSeq = fc
    .tuple(
      fc.array(child, { minLength: 1, maxLength: 3 }),
      fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 6, maxLength: 6 }),
      fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
      overhang,
    )
    .map(([children, cuts, drop, o]) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      return {
        kind: 'SequentialStepSchedule',
        ...o,
        schedule_configs: children.map((schedule, i) => ({
          schedule,
          ...(drop[2 * i] ? {} : { start_step: sorted[2 * i] }),
          ...(drop[2 * i + 1] ? {} : { end_step: sorted[2 * i + 1] }),
        })),
      };
    });
  return fc.oneof(percentSeq, stepSeq);
}

/** A spec of depth <= 2 (sequential of sequential of leaves). */
export const noetherSpec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 3, arbitrary: sequential(leaf) },
  { weight: 1, arbitrary: sequential(fc.oneof(leaf, sequential(leaf))) },
);

/** Mostly short runs, some long ones. */
export const runLength: fc.Arbitrary<number> = fc.oneof(
  { weight: 14, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 5, arbitrary: fc.integer({ min: 300, max: 3000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 3000, max: 30000 }) },
);

/** A top-level spec, sometimes on noether's interval 'epoch'. */
export const topLevelSpec: fc.Arbitrary<Spec> = fc
  .tuple(
    noetherSpec,
    fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) }),
  )
  .map(([spec, upe]) => (upe === null ? spec : { ...spec, interval: 'epoch', updates_per_epoch: upe }));
