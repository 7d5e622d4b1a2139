/** Random HF transformers schedule specs (every get_*_schedule* kind) with a run length. */
import fc from 'fast-check';

/** A double in [min, max] without subnormals (f32 flushes them to 0, which no config means). */
export const real = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).map((v) => (Math.abs(v) < 1e-12 ? 0 : v));

const lr = fc.oneof(fc.constantFrom(1e-3, 5e-5, 1), real(1e-6, 2));
const warmup = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 }), fc.integer({ min: -5, max: 5 }));
const training = fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: -3, max: 10 }));
const cycles = fc.oneof(fc.constantFrom(0.5, 1, 2, 0), real(-2, 3));
const ratio = fc.oneof(fc.constantFrom(0, 0.1), real(-0.2, 1.2));
const shape = fc.constantFrom('linear', 'cosine', '1-sqrt');
const kind = (name: string) => fc.constantFrom(name, `transformers.${name}`, `transformers.optimization.${name}`);

/**
 * The periodic cosines past num_training_steps lose f32 phase on the GPU as periods pile up: those
 * kinds get a training length near the run's and at most a few cycles (edge lengths keep 0.5 cycles,
 * whose period folds exactly in integers).
 */
function cosineTimes(steps: number) {
  return fc.oneof(
    fc.integer({ min: steps, max: 2 * steps }).chain((n) =>
      fc.record({
        num_training_steps: fc.constant(n),
        num_warmup_steps: fc.oneof(fc.integer({ min: 0, max: Math.floor(n / 2) }), fc.integer({ min: -5, max: 0 })),
        num_cycles: fc.oneof(fc.constantFrom(0.5, 1, 0), real(-1.5, 1.5)),
      }),
    ),
    fc.record({ num_training_steps: training, num_warmup_steps: warmup, num_cycles: fc.constant(0.5) }),
  );
}

const cosineSpec = (steps: number): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    fc
      .tuple(fc.record({ kind: kind('get_cosine_schedule_with_warmup'), base_lr: lr }), cosineTimes(steps))
      .map(([a, b]) => ({ ...a, ...b })),
    fc
      .tuple(
        fc.record({
          kind: kind('get_cosine_with_min_lr_schedule_with_warmup'),
          base_lr: lr,
          floor: fc.oneof(
            real(0, 1e-3).map((v) => ({ min_lr: v })),
            ratio.map((v) => ({ min_lr_rate: v })),
          ),
        }),
        cosineTimes(steps),
      )
      .map(([{ floor, ...a }, b]) => ({ ...a, ...floor, ...b })),
  );

export const transformersSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ kind: kind('get_constant_schedule'), base_lr: lr }),
  fc.record({ kind: kind('get_constant_schedule_with_warmup'), base_lr: lr, num_warmup_steps: warmup }),
  fc.record({
    kind: kind('get_linear_schedule_with_warmup'),
    base_lr: lr,
    num_warmup_steps: warmup,
    num_training_steps: training,
  }),
  fc.record(
    {
      kind: kind('get_cosine_with_hard_restarts_schedule_with_warmup'),
      base_lr: lr,
      num_warmup_steps: warmup,
      num_training_steps: training,
      num_cycles: fc.oneof(fc.integer({ min: 0, max: 6 }), real(-3, 4)),
    },
    { requiredKeys: ['kind', 'base_lr', 'num_warmup_steps', 'num_training_steps'] },
  ),
  fc.record(
    {
      kind: kind('get_polynomial_decay_schedule_with_warmup'),
      base_lr: lr,
      num_warmup_steps: warmup,
      num_training_steps: training,
      lr_end: fc.oneof(fc.constantFrom(1e-7, 0), real(-0.1, 0.5)),
      power: fc.oneof(fc.constantFrom(1, 2, 0.5, 0, -1), real(-2, 4)),
    },
    { requiredKeys: ['kind', 'base_lr', 'num_warmup_steps', 'num_training_steps'] },
  ),
  fc.record(
    {
      kind: kind('get_inverse_sqrt_schedule'),
      base_lr: lr,
      num_warmup_steps: warmup,
      timescale: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: -50, max: 0 }), fc.constant(null)),
    },
    { requiredKeys: ['kind', 'base_lr', 'num_warmup_steps'] },
  ),
  fc.record(
    {
      kind: kind('get_wsd_schedule'),
      base_lr: lr,
      num_warmup_steps: warmup,
      num_decay_steps: fc.integer({ min: 0, max: 800 }),
      num_training_steps: fc.integer({ min: 0, max: 2500 }),
      num_stable_steps: fc.integer({ min: -20, max: 1000 }),
      warmup_type: shape,
      decay_type: shape,
      min_lr_ratio: ratio,
      num_cycles: cycles,
    },
    { requiredKeys: ['kind', 'base_lr', 'num_warmup_steps', 'num_decay_steps'] },
  ),
);

export const transformersRun: fc.Arbitrary<[Record<string, unknown>, number]> = fc
  .oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 }))
  .chain((steps) => fc.tuple(fc.oneof(transformersSpec, cosineSpec(steps)), fc.constant(steps)));
