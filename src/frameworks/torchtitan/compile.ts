/**
 * Plan compiler for torchtitan's LRSchedulersContainer: warmup [0, W), stable [W, W + S), decay
 * from W + S on (S includes the virtual last step), with Config.build's integer lengths. Both the
 * warmup and the decay read step + 1, so their curves count x from one step before the phase.
 */
import { StepError } from '../../errors.js';
import { decayRaises, phaseLengths, type ContainerConfig } from './configs.js';
import { constant, curve, phases } from '../../plan/phases.js';
import type { Tracks } from '../../plan/segments.js';

export function compileContainer(c: ContainerConfig, total: number, lo: number, hi: number): Tracks {
  const p = phaseLengths(c, total);
  const lr = c.base_lr;
  const m = c.min_lr_factor;
  const from = p.warmup + p.stable;
  const first = Math.max(0, from);
  const raised = decayRaises(c, p, first);
  if (raised && first >= lo && first < hi) {
    const field = p.decay === 0 ? 'decay_ratio' : c.decay_type === 'sqrt' ? 'decay_ratio' : 'decay_type';
    throw new StepError([field], raised.message, c[field], first);
  }
  const origin = from - 1; // progress = (step + 1 - from) / D
  const decay =
    c.decay_type === 'linear'
      ? curve('linear', origin, [lr * (m + (1 - m) * 1), -lr * (1 - m), p.decay, 0])
      : c.decay_type === 'cosine'
        ? curve('cosine', origin, [lr, lr * (m - 1), p.decay, 1])
        : (start: number) => [
            {
              start,
              prim: 'kpoly' as const,
              offset: start - origin,
              quantum: 1,
              p: [lr * m, lr * (1 - m), p.decay, 1] as [number, number, number, number],
              levels: Float64Array.from([0.5]),
            },
          ];
  return phases(lo, hi, [
    { from: -Infinity, make: curve('linear', -1, [0, lr, p.warmup, 0]) },
    { from: p.warmup, make: constant(lr * 1) },
    { from, make: decay },
  ]);
}
