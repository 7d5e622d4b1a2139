/**
 * The fitting objective of both papers: a Huber loss (delta 1e-3) on the log-loss residuals
 * r = ln(observed) - ln(predicted), summed over every checkpoint of every run. Here divided by
 * delta^2 so a residual of delta weighs 0.5, which keeps the optimiser's tolerances meaningful.
 */
import type { Law, PreparedCurve } from './types.js';

export const HUBER_DELTA = 1e-3;

export interface FitRun {
  prepared: PreparedCurve;
  /** Observed loss at each checkpoint (> 0). */
  loss: Float64Array;
}

export function huber(r: number, delta = HUBER_DELTA): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** d huber / d r. */
export function huberSlope(r: number, delta = HUBER_DELTA): number {
  return Math.abs(r) <= delta ? r : delta * Math.sign(r);
}

/** f(theta) and its gradient; f is Infinity where a prediction is not positive. */
export function huberObjective(law: Pick<Law, 'params' | 'evaluate'>, runs: readonly FitRun[], delta = HUBER_DELTA) {
  const norm = 1 / (delta * delta);
  const np = law.params.length;
  return (theta: number[]): { f: number; g: number[] } => {
    let f = 0;
    const g = new Array<number>(np).fill(0);
    for (const run of runs) {
      const { pred, jac } = law.evaluate(theta, run.prepared, true);
      for (let i = 0; i < pred.length; i++) {
        if (!(pred[i] > 0)) return { f: Infinity, g };
        const r = Math.log(run.loss[i]) - Math.log(pred[i]);
        f += huber(r, delta) * norm;
        const w = (-huberSlope(r, delta) * norm) / pred[i];
        for (let j = 0; j < np; j++) g[j] += w * jac![i * np + j];
      }
    }
    return { f, g };
  };
}
