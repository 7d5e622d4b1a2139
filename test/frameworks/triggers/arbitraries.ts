/** Random trigger specs (PAMIQ step/time interval schedulers, noether PeriodicCallback). */
import fc from 'fast-check';

export const triggerSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('StepIntervalScheduler', 'pamiq_core.utils.schedulers.StepIntervalScheduler'),
    interval: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.double({ min: 0.1, max: 40, noNaN: true })),
  }),
  fc
    .record({
      interval: fc.double({ min: 0, max: 20, noNaN: true }),
      clock: fc.oneof(
        fc.double({ min: 0, max: 3, noNaN: true }).map((s) => ({ seconds_per_step: s })),
        fc
          .array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 6 })
          .map((l) => ({ step_seconds: l })),
      ),
    })
    .map(({ interval, clock }) => ({ kind: 'TimeIntervalScheduler', interval, ...clock })),
  fc
    .record({
      which: fc.constantFrom('every_n_epochs', 'every_n_updates', 'every_n_samples'),
      n: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 50, max: 5000 })),
      batch_size: fc.integer({ min: 1, max: 512 }),
      updates_per_epoch: fc.integer({ min: 1, max: 200 }),
    })
    .map(({ which, n, batch_size, updates_per_epoch }) => ({
      kind: 'noether.core.callbacks.PeriodicCallback',
      [which]: n,
      batch_size,
      updates_per_epoch,
    })),
);
