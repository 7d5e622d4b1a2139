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
  /** The best member of the standard family and its predicted loss. */
  bestStandard: { name: string; loss: number };
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

/**
 * Standard schedules after the warmup, all ending at minLr: cosine, and warmup-stable-decay with a
 * linear or cosine cooldown over the last 5%..60% of the steps.
 */
export function standardFamily(n: number, peak: number, minLr: number): { name: string; after: Float64Array }[] {
  const out = [
    {
      name: 'cosine',
      after: Float64Array.from(
        { length: n },
        (_, i) => minLr + 0.5 * (peak - minLr) * (1 + Math.cos((Math.PI * i) / Math.max(n - 1, 1))),
      ),
    },
  ];
  for (let pct = 5; pct <= 60; pct += 5)
    for (const shape of ['linear', 'cosine'] as const) {
      const cool = Math.max(1, Math.round((n * pct) / 100));
      const after = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const f = Math.max(0, (i - (n - cool)) / Math.max(cool - 1, 1));
        const w = shape === 'linear' ? 1 - f : 0.5 * (1 + Math.cos(Math.PI * f));
        after[i] = i < n - cool ? peak : minLr + (peak - minLr) * w;
      }
      out.push({ name: `wsd-${shape}-cooldown-${pct}%`, after });
    }
  return out;
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
  const zero = new Array<number>(n).fill(0);
  const startLoss = objective(zero).f;
  // the standard schedules, to say what the free form gains (starting from the best of them
  // converged more slowly than from the constant schedule, the MPL paper's start, on the 400M law)
  let bestStandard = { name: 'constant', loss: startLoss };
  for (const m of standardFamily(n, o.peak, minLr)) {
    const loss = mplFinalLossAndLrGradient(theta, warmupThen(o.peak, o.warmup, m.after)).loss;
    if (loss < bestStandard.loss) bestStandard = { name: m.name, loss };
  }
  const d0 = zero;
  const r = minimizeBox(objective, d0, {
    lower: zero.map(() => 0),
    upper: zero.map(() => o.peak - minLr),
    scale: zero.map(() => o.peak / n),
    maxIterations: o.maxIterations ?? 500,
    gtol: 1e-12,
    ftol: 1e-15,
    memory: 20,
  });
  return {
    lr: build(r.x),
    loss: r.f,
    startLoss,
    bestStandard,
    iterations: r.iterations,
    evaluations: r.evaluations,
    reason: r.reason,
  };
}
