/**
 * Fitting a law to observed loss curves: a start from linear least squares over a grid of alpha
 * (the law is linear in L0, A and B or C once alpha and the rest are fixed), then the bounded
 * L-BFGS on the Huber objective with analytic gradients, from a few starts of the remaining
 * parameters; the best minimum wins.
 */
import { minimizeBox, type BoxResult } from './lbfgsb.js';
import { huberObjective, type FitRun } from './objective.js';
import { lawByName } from './registry.js';
import type { Law, LawCurve, LawParams } from './types.js';

export interface ObservedRun extends LawCurve {
  id: string;
  /** Observed loss at each checkpoint (`at`), > 0. */
  loss: Float64Array;
}

export interface CurveMetrics {
  /** Mean of |pred - loss| / loss. */
  mean_rel_err: number;
  /** Largest |pred - loss| / loss. */
  worst_rel_err: number;
  /** Coefficient of determination of pred against loss. */
  r2: number;
}

export interface FitResult {
  params: LawParams;
  /** The Huber objective at the optimum (divided by delta^2). */
  objective: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
  runs: (CurveMetrics & { id: string })[];
}

export function curveMetrics(pred: ArrayLike<number>, loss: ArrayLike<number>): CurveMetrics {
  const n = loss.length;
  let sum = 0;
  let worst = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += loss[i] / n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(pred[i] - loss[i]) / loss[i];
    sum += e;
    worst = Math.max(worst, e);
    ssRes += (pred[i] - loss[i]) ** 2;
    ssTot += (loss[i] - mean) ** 2;
  }
  return { mean_rel_err: sum / n, worst_rel_err: worst, r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN };
}

/** Solve the small symmetric system M c = b (Gaussian elimination, partial pivoting). */
function solve(M: number[][], b: number[]): number[] | null {
  const n = b.length;
  const a = M.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (Math.abs(a[p][c]) < 1e-300) return null;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const m = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= m * a[c][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

/**
 * Least squares of loss ~ L0 + A * S1^-alpha + w * feature over a grid of alpha (relative residuals),
 * the feature being the MPL paper's start (-(peak - lr[s])) or the momentum law's -S2.
 */
function linearStart(runs: readonly ObservedRun[], feature: (run: ObservedRun) => Float64Array) {
  const rows: { s1: number; f: number; y: number }[] = [];
  for (const run of runs) {
    const feat = feature(run);
    let s = 0;
    let t = 0;
    for (let i = 0; i < run.at.length; i++) {
      while (t <= run.at[i]) s += run.lr[t++];
      rows.push({ s1: s, f: feat[i], y: run.loss[i] });
    }
  }
  const minLoss = Math.min(...rows.map((r) => r.y));
  let best = { err: Infinity, L0: minLoss * 0.9, A: 1, alpha: 0.5, w: 0 };
  for (let alpha = 0.05; alpha <= 1.5 + 1e-9; alpha += 0.01) {
    const M = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const b = [0, 0, 0];
    for (const r of rows) {
      const x = [1, Math.pow(r.s1, -alpha), r.f];
      const w = 1 / (r.y * r.y);
      for (let i = 0; i < 3; i++) {
        b[i] += w * x[i] * r.y;
        for (let j = 0; j < 3; j++) M[i][j] += w * x[i] * x[j];
      }
    }
    const c = solve(M, b);
    if (!c || !(c[0] > 0 && c[0] < minLoss && c[1] > 0 && c[2] >= 0)) continue;
    let err = 0;
    for (const r of rows) err += ((c[0] + c[1] * Math.pow(r.s1, -alpha) + c[2] * r.f - r.y) / r.y) ** 2;
    if (err < best.err) best = { err, L0: c[0], A: c[1], alpha, w: c[2] };
  }
  return best;
}

function starts(law: Law, runs: readonly ObservedRun[]): number[][] {
  if (law.name === 'mpl') {
    const peak = Math.max(...runs.map((r) => Math.max(...r.lr)));
    const s = linearStart(runs, (run) => Float64Array.from(run.at, (t) => -(peak - run.lr[t])));
    return [
      [s.L0, s.A, s.alpha, s.w, 1, 0.5, 0.5],
      [s.L0, s.A, s.alpha, s.w, 2, 0.6, 0.65],
    ];
  }
  // lambda sets how fast a decay shows in the loss; the objective has minima at several, and a
  // momentum-law evaluation is O(T), so every start of this grid is tried
  return [0.99, 0.995, 0.999, 0.9995].map((lambda) => {
    const s = linearStart(runs, (run) => {
      // S2 at each checkpoint: the law itself with L0 = A = 0, C = -1
      return law.evaluate([0, 0, 1, -1, lambda], law.prepare(run), false).pred;
    });
    return [s.L0, s.A, s.alpha, s.w, lambda];
  });
}

export interface FitOptions {
  maxIterations?: number;
}

export function fitLaw(lawName: string, runs: readonly ObservedRun[], options: FitOptions = {}): FitResult {
  const law = lawByName(lawName);
  const minLoss = Math.min(...runs.map((r) => Math.min(...r.loss)));
  const { lower, upper } = law.bounds(minLoss);
  const fitRuns: FitRun[] = runs.map((r) => ({ prepared: law.prepare(r), loss: r.loss }));
  const objective = huberObjective(law, fitRuns);
  let best: BoxResult | null = null;
  for (const x0 of starts(law, runs)) {
    // MPL: the later starts only when the earlier did not converge (each costs seconds)
    if (law.name === 'mpl' && best?.converged) break;
    const clipped = x0.map((v, i) => Math.min(upper[i], Math.max(lower[i], v)));
    const scale = clipped.map((v) => Math.max(Math.abs(v), 1e-3));
    const r = minimizeBox(objective, clipped, {
      lower,
      upper,
      scale,
      maxIterations: options.maxIterations ?? 1000,
      gtol: 1e-6,
      ftol: 1e-10,
    });
    if (best === null || r.f < best.f || (!best.converged && r.converged && r.f <= best.f)) best = r;
  }
  const res = best!;
  const params: LawParams = { law: law.name };
  law.params.forEach((p, i) => (params[p] = res.x[i]));
  const diagnostics = runs.map((run, i) => ({
    id: run.id,
    ...curveMetrics(law.evaluate(res.x, fitRuns[i].prepared, false).pred, run.loss),
  }));
  return {
    params,
    objective: res.f,
    iterations: res.iterations,
    evaluations: res.evaluations,
    converged: res.converged && Number.isFinite(res.f),
    reason: res.reason,
    runs: diagnostics,
  };
}
