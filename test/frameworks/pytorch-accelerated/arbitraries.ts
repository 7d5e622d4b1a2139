/**
 * Random pytorch_accelerated scheduler specs as a user would write them (short or fully-qualified
 * names, defaults left out), including edge values the schedulers refuse at some step (a zero
 * decay phase, lr_min 0 with the inverse decay, a negative k_decay).
 */
import fc from 'fast-check';

type Spec = Record<string, unknown>;

const name = (short: string) => fc.constantFrom(short, `pytorch_accelerated.schedulers.${short}`);
const baseLr = fc.constantFrom(1, 0.1, 3e-4, 0.01596, 7);
const maybe = <T>(key: string, arb: fc.Arbitrary<T>) =>
  fc.option(arb, { freq: 3 }).map((v) => (v === null ? {} : { [key]: v }));
const merge = (parts: Spec[]) => Object.assign({}, ...parts) as Spec;

const cosine: fc.Arbitrary<Spec> = fc
  .tuple(
    name('CosineLrScheduler'),
    baseLr,
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 1, max: 40 }),
    maybe('k_decay', fc.constantFrom(1, 2, 0.543, 0.5, 0)),
    maybe('lr_min', fc.constantFrom(0, 1e-6, 1e-4)),
    maybe('min_lr_ratio', fc.constantFrom(0.1, 0.01, 0)),
    maybe('num_warmup_epochs', fc.integer({ min: 0, max: 10 })),
    maybe('warmup_starting_lr', fc.constantFrom(0, 1e-6, 1e-5)),
    maybe('warmup_starting_lr_ratio', fc.constantFrom(0.1, 0.5)),
    maybe('num_cooldown_epochs', fc.integer({ min: 0, max: 10 })),
  )
  .map(([kind, base_lr, total_num_epochs, num_update_steps_per_epoch, ...rest]) =>
    merge([{ kind, base_lr, total_num_epochs, num_update_steps_per_epoch }, ...rest]),
  );

const wsd: fc.Arbitrary<Spec> = fc
  .tuple(
    name('WSDLrScheduler'),
    baseLr,
    fc.oneof(
      fc.integer({ min: 1, max: 3000 }).map((total_steps) => ({ total_steps })),
      fc
        .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 50 }))
        .map(([num_epochs, num_update_steps_per_epoch]) => ({ num_epochs, num_update_steps_per_epoch })),
    ),
    maybe('num_warmup_steps', fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constant(null))),
    maybe('decay_phase_ratio', fc.constantFrom(0, 0.1, 0.2, 1 / 3, 0.5, 1)),
    maybe('lr_min', fc.constantFrom(0, 1e-6, 0.1, 0.01)),
    maybe('warmup_starting_lr', fc.constantFrom(0, 1e-6, 1e-4)),
    maybe('use_inverse_sqrt_decay', fc.boolean()),
    maybe('num_checkpoints', fc.integer({ min: 1, max: 6 })),
    maybe('is_continuation_from_checkpoint', fc.boolean()),
  )
  .map(([kind, base_lr, total, ...rest]) => merge([{ kind, base_lr }, total, ...rest]));

export const pytorchAcceleratedSpec: fc.Arbitrary<Spec> = fc.oneof(cosine, wsd);

/** Runs around and past the schedule's own length. */
export const pytorchAcceleratedRunLength = fc.oneof(
  fc.integer({ min: 1, max: 400 }),
  fc.integer({ min: 400, max: 4000 }),
);
