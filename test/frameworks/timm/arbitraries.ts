/** Random timm.scheduler specs (short or fully-qualified names, defaults left out, noise on or off). */
import fc from 'fast-check';

type Spec = Record<string, unknown>;

const name = (short: string) => fc.constantFrom(short, `timm.scheduler.${short}`);
const baseLr = fc.constantFrom(1, 0.1, 3e-4, 7);
const maybe = <T>(key: string, arb: fc.Arbitrary<T>) =>
  fc.option(arb, { freq: 3 }).map((v) => (v === null ? {} : { [key]: v }));
const merge = (parts: Spec[]) => Object.assign({}, ...parts) as Spec;

const warmup = [
  maybe('warmup_t', fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(2.5, 7.25))),
  maybe('warmup_lr_init', fc.constantFrom(0, 1e-6, 1e-3)),
  maybe('warmup_prefix', fc.boolean()),
  maybe(
    'noise_range_t',
    fc.oneof(
      fc.integer({ min: 0, max: 300 }),
      fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 })),
    ),
  ),
  maybe('noise_pct', fc.constantFrom(0.67, 0.1, 1, 0.01)),
  maybe('noise_seed', fc.constant(null)),
  maybe('noise_seed', fc.integer({ min: 0, max: 1000 })),
];
const cycles = [
  maybe('lr_min', fc.constantFrom(0, 1e-5)),
  maybe('cycle_mul', fc.constantFrom(1, 1, 1.5, 2, 3, 0.7, 1.37)),
  maybe('cycle_decay', fc.constantFrom(1, 0.5)),
  maybe('cycle_limit', fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 5, max: 40 }), fc.constant(2.5))),
];

const cycleKind = (short: string, extra: fc.Arbitrary<Spec>[]) =>
  fc
    .tuple(
      name(short),
      baseLr,
      fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(12.5, 33.3)),
      ...cycles,
      ...warmup,
      ...extra,
    )
    .map(([kind, base_lr, t_initial, ...rest]) => merge([{ kind, base_lr, t_initial }, ...(rest as Spec[])]));

export const timmSpec: fc.Arbitrary<Spec> = fc.oneof(
  cycleKind('CosineLRScheduler', [maybe('k_decay', fc.constantFrom(1, 2, 0.5))]),
  cycleKind('PolyLRScheduler', [
    maybe('k_decay', fc.constantFrom(1, 2, 0.5)),
    maybe('power', fc.constantFrom(0.5, 1, 2)),
  ]),
  cycleKind('TanhLRScheduler', [maybe('lb', fc.constantFrom(-7, -5, -1)), maybe('ub', fc.constantFrom(3, 5, 0))]),
  fc
    .tuple(
      name('StepLRScheduler'),
      baseLr,
      fc.integer({ min: 1, max: 100 }),
      maybe('decay_rate', fc.constantFrom(0.5, 0.1, 1)),
      ...warmup,
    )
    .map(([kind, base_lr, decay_t, ...rest]) => merge([{ kind, base_lr, decay_t }, ...(rest as Spec[])])),
  fc
    .tuple(
      name('MultiStepLRScheduler'),
      baseLr,
      fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 5 }).map((a) => a.sort((x, y) => x - y)),
      maybe('decay_rate', fc.constantFrom(0.5, 0.1, 1)),
      ...warmup,
    )
    .map(([kind, base_lr, decay_t, ...rest]) => merge([{ kind, base_lr, decay_t }, ...(rest as Spec[])])),
);

export const timmRunLength = fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 }));
