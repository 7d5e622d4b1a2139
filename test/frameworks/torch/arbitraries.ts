/**
 * Random torch.optim.lr_scheduler specs as a user would write them (short or fully-qualified
 * names, defaults left out, SequentialLR/ChainedScheduler compositions), including edge values
 * torch refuses at some step (step_size 0, start_factor 0, T_max 0, negative power).
 */
import fc from 'fast-check';

type Spec = Record<string, unknown>;

const name = (short: string) => fc.constantFrom(short, `torch.optim.lr_scheduler.${short}`);
const baseLr = fc.constantFrom(1, 0.1, 3e-4, 1.749e-8, 0.5782, 7);
// values stay well inside f32's range: the GPU check needs representable curves
const decay = fc.oneof(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.constantFrom(0.1, 0.5, 1, 0));
const smallGrowth = fc.double({ min: 1, max: 1.002, noNaN: true });
const fraction = fc.oneof(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.constantFrom(0, 1, 1 / 3, 0.5));
const iters = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 3000 }), fc.constant(5));
/** Optional keys: a default left out, or a value. */
const maybe = <T>(key: string, arb: fc.Arbitrary<T>) =>
  fc.option(arb, { freq: 3 }).map((v) => (v === null ? {} : { [key]: v }));

const merge = (parts: Spec[]) => Object.assign({}, ...parts) as Spec;

/** The multiplicative schedulers, without base_lr (children) — torch composes them by multiplication. */
const multiplicative: fc.Arbitrary<Spec> = fc.oneof(
  fc
    .tuple(name('StepLR'), fc.oneof(fc.integer({ min: 1, max: 500 }), fc.constantFrom(0, -3)), maybe('gamma', decay))
    .map(([kind, step_size, g]) => ({ kind, step_size, ...g })),
  fc
    .tuple(
      name('MultiStepLR'),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(0, 1, 3, 3)), { maxLength: 6 }),
      maybe('gamma', decay),
    )
    .map(([kind, milestones, g]) => ({ kind, milestones, ...g })),
  fc
    .tuple(name('ConstantLR'), maybe('factor', fraction), maybe('total_iters', iters))
    .map(([kind, ...rest]) => merge([{ kind }, ...rest])),
  fc
    .tuple(
      name('LinearLR'),
      maybe('start_factor', fraction),
      maybe('end_factor', fraction),
      maybe('total_iters', iters),
    )
    .map(([kind, ...rest]) => merge([{ kind }, ...rest])),
  fc
    .tuple(name('ExponentialLR'), fc.oneof(decay, smallGrowth, fc.double({ min: 0.99, max: 1, noNaN: true })))
    .map(([kind, gamma]) => ({ kind, gamma })),
  fc
    .tuple(
      name('PolynomialLR'),
      maybe('total_iters', iters),
      maybe('power', fc.oneof(fc.constantFrom(1, 2, 0.5, 0, -1), fc.double({ min: 0.05, max: 4, noNaN: true }))),
    )
    .map(([kind, ...rest]) => merge([{ kind }, ...rest])),
);

const cosine: fc.Arbitrary<Spec> = fc
  .tuple(
    name('CosineAnnealingLR'),
    fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.constantFrom(1, 2, 0, -7)),
    maybe('eta_min', fc.constantFrom(0, 1e-6, 1e-3)),
  )
  .map(([kind, T_max, e]) => ({ kind, T_max, ...e }));

const warmRestarts: fc.Arbitrary<Spec> = fc
  .tuple(
    name('CosineAnnealingWarmRestarts'),
    fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constant(1)),
    maybe('T_mult', fc.integer({ min: 1, max: 3 })),
    maybe('eta_min', fc.constantFrom(0, 1e-6, 1e-3)),
  )
  .map(([kind, T_0, ...rest]) => merge([{ kind, T_0 }, ...rest]));

/** Children of a SequentialLR: anything but the constructors that rewrite the optimizer. */
const sequentialChild = fc.oneof({ weight: 3, arbitrary: multiplicative }, cosine, warmRestarts);

const cyclic: fc.Arbitrary<Spec> = fc
  .tuple(
    name('CyclicLR'),
    fc.constantFrom(1e-4, 0.1, 1),
    fc.double({ min: 1, max: 20, noNaN: true }),
    fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constantFrom(1, 2, 7.5)),
    fc.option(fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constant(3.25))),
    fc.constantFrom('triangular', 'triangular2', 'exp_range'),
    maybe('gamma', fc.oneof(fc.double({ min: 0.99, max: 1, noNaN: true }), fc.constantFrom(1.3, 2))),
  )
  .map(([kind, base_lr, ratio, up, down, mode, g]) => ({
    kind,
    base_lr,
    max_lr: base_lr * ratio,
    step_size_up: up,
    ...(down === null ? {} : { step_size_down: down }),
    mode,
    ...g,
  }));

const oneCycle: fc.Arbitrary<Spec> = fc
  .tuple(
    name('OneCycleLR'),
    baseLr,
    fc.constantFrom(0.01, 1, 2.5),
    fc.oneof(
      fc.integer({ min: 1, max: 3000 }).map((n) => ({ total_steps: n })),
      fc
        .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 100 }))
        .map(([epochs, steps_per_epoch]) => ({ epochs, steps_per_epoch })),
    ),
    maybe('pct_start', fc.oneof(fc.constantFrom(0, 0.25, 0.3, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }))),
    maybe('anneal_strategy', fc.constantFrom('cos', 'linear')),
    maybe('three_phase', fc.boolean()),
    maybe('div_factor', fc.constantFrom(25, 10, 1)),
    maybe('final_div_factor', fc.constantFrom(1e4, 100)),
  )
  .map(([kind, base_lr, max_lr, length, ...rest]) => merge([{ kind, base_lr, max_lr }, length, ...rest]));

const withBase = (arb: fc.Arbitrary<Spec>) => fc.tuple(arb, baseLr).map(([s, base_lr]) => ({ ...s, base_lr }));

const sequential: fc.Arbitrary<Spec> = fc
  .tuple(
    name('SequentialLR'),
    baseLr,
    fc.array(sequentialChild, { minLength: 1, maxLength: 4 }),
    fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 3, maxLength: 3 }),
  )
  .map(([kind, base_lr, schedulers, ms]) => ({
    kind,
    base_lr,
    schedulers,
    milestones: ms.slice(0, schedulers.length - 1).sort((a, b) => a - b),
  }));

const chained: fc.Arbitrary<Spec> = fc
  .tuple(name('ChainedScheduler'), baseLr, fc.array(multiplicative, { minLength: 1, maxLength: 3 }))
  .map(([kind, base_lr, schedulers]) => ({ kind, base_lr, schedulers }));

export const torchSpec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 6, arbitrary: withBase(multiplicative) },
  { weight: 2, arbitrary: withBase(cosine) },
  { weight: 2, arbitrary: withBase(warmRestarts) },
  { weight: 2, arbitrary: cyclic },
  { weight: 2, arbitrary: oneCycle },
  { weight: 3, arbitrary: sequential },
  { weight: 2, arbitrary: chained },
);

export const torchRunLength = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 3000 }));
