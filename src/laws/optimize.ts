/**
 * The free-form schedule that minimises the multi-power law's predicted final loss, as the MPL
 * paper parameterises it: a linear warmup from 0 to the peak over `warmup` steps (numpy.linspace,
 * both ends included), then lr[W + i] = max(peak - (d_0 + ... + d_i), minLr) with every d_i >= 0,
 * which keeps the schedule non-increasing. The bounded L-BFGS descends the analytic gradient.
 */
import { SpecError } from '../errors.js';
import { minimizeBox } from './lbfgsb.js';
import { mplFinalLossAndLrGradient } from './mpl-lr-gradient.js';

export interface OptimizeOptions {
  steps: number;
  peak: number;
  warmup: number;
  minLr?: number;
  maxIterations?: number;
}

export interface OptimizeResult {
  /** lr at every step 0..steps-1. */
  lr: Float64Array;
  loss: number;
  /** The constant schedule's predicted loss (the starting point). */
  startLoss: number;
  iterations: number;
  evaluations: number;
  reason: string;
}

export function warmupThen(peak: number, warmup: number, after: ArrayLike<number>): Float64Array {
  const lr = new Float64Array(warmup + after.length);
  // numpy.linspace's last value is the end point itself
  for (let i = 0; i < warmup; i++) lr[i] = i === warmup - 1 ? peak : (peak * i) / (warmup - 1);
  lr.set(after, warmup);
  return lr;
}

export function optimizeMplSchedule(theta: ArrayLike<number>, o: OptimizeOptions): OptimizeResult {
  const minLr = o.minLr ?? 1e-10;
  if (!Number.isInteger(o.steps) || o.steps < 2) throw new SpecError('steps', 'must be an integer >= 2', o.steps);
  if (!(o.peak > 0)) throw new SpecError('peak', 'must be > 0', o.peak);
  if (!Number.isInteger(o.warmup) || o.warmup < 0 || o.warmup >= o.steps)
    throw new SpecError('warmup', `must be an integer in [0, ${o.steps - 1}]`, o.warmup);
  if (!(minLr > 0 && minLr < o.peak)) throw new SpecError('minLr', 'must be in (0, peak)', minLr);
  const n = o.steps - o.warmup;
  const build = (d: number[]): Float64Array => {
    const after = new Float64Array(n);
    let c = 0;
    for (let i = 0; i < n; i++) {
      c += d[i];
      after[i] = Math.max(o.peak - c, minLr);
    }
    return warmupThen(o.peak, o.warmup, after);
  };
  const objective = (d: number[]): { f: number; g: number[] } => {
    const lr = build(d);
    const { loss, grad } = mplFinalLossAndLrGradient(theta, lr);
    // d lr[W + i] / d d_j = -1 for j <= i while lr is above the floor: a reverse cumulative sum
    const g = new Array<number>(n);
    let acc = 0;
    for (let i = n - 1; i >= 0; i--) {
      if (lr[o.warmup + i] > minLr) acc -= grad[o.warmup + i];
      g[i] = acc;
    }
    return { f: loss, g };
  };
  const d0 = new Array<number>(n).fill(0);
  const startLoss = objective(d0).f;
  const r = minimizeBox(objective, d0, {
    lower: d0.map(() => 0),
    upper: d0.map(() => o.peak - minLr),
    scale: d0.map(() => o.peak / n),
    maxIterations: o.maxIterations ?? 500,
    gtol: 1e-12,
    ftol: 1e-15,
    memory: 20,
  });
  return { lr: build(r.x), loss: r.f, startLoss, iterations: r.iterations, evaluations: r.evaluations, reason: r.reason };
}
