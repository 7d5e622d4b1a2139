/** Random torchtitan LRSchedulersContainer specs (every decay type, clamps, total_steps null or set) with a run length. */
import fc from 'fast-check';
import { real } from '../transformers/arbitraries.js';

export const torchtitanRun: fc.Arbitrary<[Record<string, unknown>, number]> = fc
  .oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 400, max: 3000 }))
  .chain((steps) =>
    fc.tuple(
      fc.record(
        {
          kind: fc.constantFrom(
            'LRSchedulersContainer',
            'torchtitan.components.optimizer.lr_scheduler.LRSchedulersContainer',
          ),
          base_lr: fc.oneof(fc.constantFrom(3e-4, 1), real(1e-6, 2)),
          // warmup beyond total_steps leaves no decay: its assert fires past total_steps, so keep that rare
          warmup_steps: fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: Math.ceil(steps / 2) }), weight: 8 },
            { arbitrary: fc.integer({ min: 0, max: 2 * steps + 5 }), weight: 1 },
          ),
          total_steps: fc.oneof(
            { arbitrary: fc.constant(null), weight: 4 },
            { arbitrary: fc.integer({ min: steps, max: 2 * steps }), weight: 4 },
            { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 1 },
          ),
          decay_ratio: fc.oneof(fc.constant(null), fc.constantFrom(0.1, 0.2, 0.5), real(0, 1.2)),
          decay_type: fc.constantFrom('linear', 'sqrt', 'cosine'),
          min_lr_factor: fc.oneof(fc.constant(0), real(0, 1)),
        },
        { requiredKeys: ['kind', 'base_lr'] },
      ),
      fc.constant(steps),
    ),
  );
