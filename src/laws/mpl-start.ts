/**
 * The first stage of the MPL paper's fit (thu-yao-01-luo/MultiPowerLaw, src/fitting.py,
 * initialize_params), written from its description: the surrogate
 *
 *   L(s) = L0 + A * S1(s)^(-alpha) - B * (peak - lr[s])
 *
 * (the loss drop taken as proportional to how far the lr is below its peak) is fitted with the same
 * Huber objective from a grid of 5 x 3 x 3 x 3 starts, by the bounded L-BFGS; the best minimum
 * starts the full law. The grid is centred on a regression of ln(loss - min loss + 0.01) on ln S1.
 */
import { minimizeBox } from './lbfgsb.js';
import { huberObjective } from './objective.js';
import type { LawCurve, LawEval, PreparedCurve } from './types.js';

interface SurrogatePrepared extends PreparedCurve {
  /** S1 at each checkpoint. */
  s1: Float64Array;
  /** peak - lr at each checkpoint. */
  below: Float64Array;
}

export const SURROGATE_PARAMS = ['L0', 'A', 'alpha', 'B'] as const;

export function surrogate(peak: number) {
  return {
    params: SURROGATE_PARAMS,
    prepare(curve: LawCurve): SurrogatePrepared {
      const prefix = new Float64Array(curve.lr.length);
      let sum = 0;
      curve.lr.forEach((v, t) => (prefix[t] = sum += v));
      const s1 = Float64Array.from(curve.at, (s) => prefix[s]);
      const below = Float64Array.from(curve.at, (s) => peak - curve.lr[s]);
      return { curve, s1, below };
    },
    evaluate(theta: ArrayLike<number>, prepared: PreparedCurve, gradient: boolean): LawEval {
      const p = prepared as SurrogatePrepared;
      const [L0, A, alpha, B] = Array.from(theta);
      const n = p.s1.length;
      const pred = new Float64Array(n);
      const jac = gradient ? new Float64Array(n * 4) : null;
      for (let i = 0; i < n; i++) {
        const powS = Math.pow(p.s1[i], -alpha);
        pred[i] = L0 + A * powS - B * p.below[i];
        if (jac) jac.set([1, powS, -A * powS * Math.log(p.s1[i]), -p.below[i]], i * 4);
      }
      return { pred, jac };
    },
  };
}

export interface ObservedCurve extends LawCurve {
  loss: Float64Array;
}

/** Slope and intercept of the least-squares line y ~ slope * x + intercept. */
function regression(x: number[], y: number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

const spread = (centre: number, half: number, k: number): number[] =>
  Array.from({ length: k }, (_, i) => centre - half + (2 * half * i) / (k - 1));

/**
 * L0, A, alpha, B of the surrogate's best fit from the paper's grid. B's grid (100 to 1,000 at the
 * paper's peak 3e-4) is scaled by 3e-4 / peak, so that B * peak, the drop at an lr of 0, spans the same.
 */
export function mplPaperStart(runs: readonly ObservedCurve[]): { x: number[]; f: number; evaluations: number } {
  const peak = Math.max(...runs.map((r) => Math.max(...r.lr)));
  const minLoss = Math.min(...runs.map((r) => Math.min(...r.loss)));
  const law = surrogate(peak);
  const prepared = runs.map((r) => ({ prepared: law.prepare(r), loss: r.loss }));
  const lnS1: number[] = [];
  const lnExcess: number[] = [];
  prepared.forEach(({ prepared: p, loss }) =>
    p.s1.forEach((s, i) => {
      lnS1.push(Math.log(s));
      lnExcess.push(Math.log(loss[i] - minLoss + 0.01));
    }),
  );
  const line = regression(lnS1, lnExcess);
  const objective = huberObjective(law, prepared);
  const bounds = { lower: [0, 0, 0, 0], upper: [Infinity, Infinity, Infinity, Infinity] };
  let best = { x: [minLoss, Math.exp(line.intercept), -line.slope, 0], f: Infinity };
  let evaluations = 0;
  for (const L0 of spread(minLoss, 0.2, 5))
    for (const A of spread(Math.exp(line.intercept), 0.1, 3))
      for (const alpha of spread(-line.slope, 0.1, 3))
        for (const B of spread(550, 450, 3).map((b) => (b * 3e-4) / peak)) {
          const x0 = [L0, A, alpha, B].map((v) => Math.max(v, 0));
          const r = minimizeBox(objective, x0, {
            ...bounds,
            scale: x0.map((v) => Math.max(Math.abs(v), 1e-3)),
            maxIterations: 1000,
            gtol: 1e-6,
            ftol: 1e-12,
          });
          evaluations += r.evaluations;
          if (r.f < best.f) best = { x: r.x, f: r.f };
        }
  return { ...best, evaluations };
}
