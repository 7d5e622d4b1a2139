/** Random pytorch_optimizer.lr_scheduler specs (every kind) with a run length. */
import fc from 'fast-check';

/** A double in [min, max] without subnormals (f32 flushes them to 0, which no config means). */
const real = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).map((v) => (Math.abs(v) < 1e-12 ? 0 : v));

const P = 'pytorch_optimizer.lr_scheduler';
const kind = (module: string, name: string) =>
  fc.constantFrom(`${P}.${module}.${name}`, `${P}.${name}`, `pytorch_optimizer.${name}`);
const lr = fc.oneof(fc.constantFrom(1e-3, 3e-4, 1), real(1e-6, 2));
const small = fc.oneof(fc.constant(0), real(0, 0.5));
const steps = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: -5, max: 5 }));

const wsd = fc.record(
  {
    kind: kind('wsd', 'get_wsd_schedule'),
    base_lr: lr,
    num_warmup_steps: steps(300),
    num_stable_steps: fc.integer({ min: -20, max: 1000 }),
    num_decay_steps: fc.integer({ min: -5, max: 800 }),
    min_lr_ratio: fc.oneof(small, real(-0.2, 1.2)),
    num_cycles: fc.oneof(fc.constantFrom(0.5, 1, 0, 1.5), real(-2, 3)),
    cooldown_type: fc.constantFrom('cosine', '1-sqrt', 'linear', '1-square', 'exp'),
  },
  { requiredKeys: ['kind', 'base_lr', 'num_warmup_steps', 'num_stable_steps', 'num_decay_steps'] },
);

const rex = fc.record(
  { kind: kind('rex', 'REXScheduler'), total_steps: steps(3000), max_lr: lr, min_lr: small },
  { requiredKeys: ['kind', 'total_steps'] },
);

const warmupRestarts = fc
  .record({
    kind: kind('cosine_anealing', 'CosineAnnealingWarmupRestarts'),
    first_cycle_steps: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: -3, max: 4 })),
    warmupShare: fc.oneof(fc.constant(0), real(0, 1)),
    negativeWarmup: fc.integer({ min: -3, max: 0 }),
    cycle_mult: fc.oneof(fc.constantFrom(1, 2, 1.5, 0.5), real(0.3, 3), real(-1, 0.3)),
    max_lr: lr,
    min_lr: small,
    gamma: fc.oneof(fc.constantFrom(0.9, 1, 0.5), real(0.2, 1.1)),
  })
  .map(({ warmupShare, negativeWarmup, ...c }) => ({
    ...c,
    warmup_steps:
      c.first_cycle_steps > 0
        ? Math.floor(warmupShare * (c.first_cycle_steps - 1))
        : c.first_cycle_steps + negativeWarmup - 1,
  }));

const warmupFields = {
  t_max: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 6 })),
  max_lr: lr,
  min_lr: small,
  init_lr: small,
  warmup_steps: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 6 })),
};
const required = { requiredKeys: ['kind', 't_max', 'max_lr'] as ('kind' | 't_max' | 'max_lr')[] };
const linearWarmup = fc.oneof(
  fc.record({ kind: kind('linear_warmup', 'LinearScheduler'), ...warmupFields }, required),
  fc.record({ kind: kind('linear_warmup', 'CosineScheduler'), ...warmupFields }, required),
  fc.record(
    {
      kind: kind('linear_warmup', 'PolyScheduler'),
      ...warmupFields,
      poly_order: fc.oneof(fc.constantFrom(0.5, 1, 2), real(0.1, 2)),
    },
    required,
  ),
);

const chebyshev = fc.record(
  {
    kind: kind('chebyshev', 'get_chebyshev_schedule'),
    base_lr: lr,
    num_epochs: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.integer({ min: 20, max: 1500 })),
    is_warmup: fc.boolean(),
  },
  { requiredKeys: ['kind', 'base_lr', 'num_epochs'] },
);

export const pytorchOptimizerSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  wsd,
  rex,
  warmupRestarts,
  linearWarmup,
  chebyshev,
);

export const pytorchOptimizerRun: fc.Arbitrary<[Record<string, unknown>, number]> = fc.tuple(
  pytorchOptimizerSpec,
  fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 })),
);
