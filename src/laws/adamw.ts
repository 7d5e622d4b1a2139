/**
 * AdamW with an early stop, the second stage of the MPL paper's fit (thu-yao-01-luo/MultiPowerLaw,
 * src/fitting.py: torch.optim.AdamW, decoupled weight decay, one learning rate per parameter group).
 * A fixed budget of steps, not a minimiser run to convergence: on the paper's data the early stop is
 * what keeps the shape parameters near their start, and that generalises (docs/laws.md).
 * Each update is projected onto the box, which the paper's unbounded fit never needed on its data.
 */
import type { Objective } from './lbfgsb.js';

export interface AdamWOptions {
  lower: number[];
  upper: number[];
  /** Step size of each variable. */
  lr: number[];
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  maxSteps?: number;
  /** Stop when this many steps in a row did not lower the objective. */
  patience?: number;
  /** Stop when the gradient's Euclidean norm falls below this. */
  gradTol?: number;
  /**
   * Keep the parameters after the update that followed the lowest objective (what the paper's
   * loop records, and so what its published parameters are) rather than those evaluated there.
   */
  keepAfterStep?: boolean;
}

export interface AdamWResult {
  x: number[];
  /** The lowest objective evaluated (at x only when keepAfterStep is false). */
  bestF: number;
  steps: number;
  evaluations: number;
  /** 'patience', 'gradient', 'max-steps' or 'non-finite' (an objective that was not finite). */
  reason: string;
}

export function adamW(fg: Objective, x0: number[], o: AdamWOptions): AdamWResult {
  const n = x0.length;
  const wd = o.weightDecay ?? 0.01;
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  const maxSteps = o.maxSteps ?? 200;
  const patience = o.patience ?? 20;
  const gradTol = o.gradTol ?? 0;
  const clip = (v: number, i: number): number => Math.min(o.upper[i], Math.max(o.lower[i], v));
  let x = x0.map(clip);
  const m = new Array<number>(n).fill(0);
  const v = new Array<number>(n).fill(0);
  let best = x.slice();
  let bestF = Infinity;
  let lowest = Infinity;
  let sinceLower = 0;
  let step = 0;
  let reason = 'max-steps';
  for (; step < maxSteps; step++) {
    const { f, g } = fg(x);
    if (!Number.isFinite(f)) {
      reason = 'non-finite';
      break;
    }
    const evaluated = x;
    const c1 = 1 - b1 ** (step + 1);
    const c2 = 1 - b2 ** (step + 1);
    x = x.map((xi, i) => {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const decayed = xi * (1 - o.lr[i] * wd);
      return clip(decayed - (o.lr[i] * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps), i);
    });
    // the paper's order: count the steps without improvement, stop, and only then record the best
    if (f < lowest) {
      lowest = f;
      sinceLower = 0;
    } else sinceLower++;
    if (step > patience && sinceLower >= patience) {
      reason = 'patience';
      break;
    }
    if (Math.hypot(...g) < gradTol) {
      reason = 'gradient';
      break;
    }
    if (f < bestF) {
      bestF = f;
      best = o.keepAfterStep ? x.slice() : evaluated.slice();
    }
  }
  return { x: best, bestF, steps: step, evaluations: Math.min(step + 1, maxSteps), reason };
}
