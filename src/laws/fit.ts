/**
 * Fitting a law to observed loss curves, by one of two protocols (docs/laws.md):
 *
 * - `converge`: a start from linear least squares over a grid of alpha (the law is linear in L0, A
 *   and B or C once alpha and the rest are fixed), then the bounded L-BFGS on the Huber objective
 *   with analytic gradients to its minimum, from a few starts of the remaining parameters.
 * - `paper` (the multi-power law only): the MPL paper's two stages, the surrogate's grid of starts
 *   by the bounded L-BFGS (mpl-start.ts), then AdamW with its early stop (adamw.ts).
 */
import { SpecError } from '../errors.js';
import { adamW } from './adamw.js';
import { minimizeBox, type BoxResult } from './lbfgsb.js';
import { mplPaperStart } from './mpl-start.js';
import { HUBER_DELTA, huberObjective, type FitRun } from './objective.js';
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

export type FitProtocol = 'paper' | 'converge';
export const FIT_PROTOCOLS: readonly FitProtocol[] = ['paper', 'converge'];

export interface FitResult {
  params: LawParams;
  protocol: FitProtocol;
  /** The Huber objective at the optimum (divided by delta^2). */
  objective: number;
  /** L-BFGS iterations (converge) or AdamW steps (paper). */
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
  /** Default: `paper` for the multi-power law, `converge` for the momentum law. */
  protocol?: FitProtocol;
  /** L-BFGS iterations per start (converge, default 1000) or AdamW steps (paper, default 200). */
  maxIterations?: number;
}

/** The bounded L-BFGS to the Huber objective's minimum from the law's starts; the best wins. */
function fitConverge(
  law: Law,
  objective: ReturnType<typeof huberObjective>,
  runs: readonly ObservedRun[],
  bounds: { lower: number[]; upper: number[] },
  maxIterations: number | undefined,
): BoxResult {
  const { lower, upper } = bounds;
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
      maxIterations: maxIterations ?? 1000,
      gtol: 1e-6,
      ftol: 1e-10,
    });
    if (best === null || r.f < best.f || (!best.converged && r.converged && r.f <= best.f)) best = r;
  }
  return best!;
}

/**
 * The MPL paper's protocol (src/fitting.py of thu-yao-01-luo/MultiPowerLaw): the surrogate's start,
 * C = 1, beta = gamma = 0.5, then AdamW on the unscaled Huber sum (its eps of 1e-8 and gradient-norm
 * stop of 1e-5 are in those units) with lr 5e-2 for L0, A, B, C and 5e-3 for the exponents, weight
 * decay 0.01, at most 200 steps, stopped after 20 without improvement.
 */
function fitPaper(
  objective: ReturnType<typeof huberObjective>,
  runs: readonly ObservedRun[],
  bounds: { lower: number[]; upper: number[] },
  maxIterations: number | undefined,
): BoxResult {
  const start = mplPaperStart(runs);
  const d2 = HUBER_DELTA * HUBER_DELTA;
  const raw = (x: number[]) => {
    const { f, g } = objective(x);
    return { f: f * d2, g: g.map((v) => v * d2) };
  };
  const r = adamW(raw, [...start.x, 1, 0.5, 0.5], {
    ...bounds,
    lr: [5e-2, 5e-2, 5e-3, 5e-2, 5e-2, 5e-3, 5e-3],
    weightDecay: 0.01,
    maxSteps: maxIterations ?? 200,
    patience: 20,
    gradTol: 1e-5,
    keepAfterStep: true,
  });
  // the kept parameters are one update past the lowest objective seen: report their own objective
  const f = objective(r.x).f;
  return {
    x: r.x,
    f,
    iterations: r.steps,
    evaluations: start.evaluations + r.evaluations + 1,
    converged: Number.isFinite(f) && r.reason !== 'non-finite',
    reason: r.reason,
  };
}

export function fitLaw(lawName: string, runs: readonly ObservedRun[], options: FitOptions = {}): FitResult {
  const law = lawByName(lawName);
  const protocol = options.protocol ?? (law.name === 'mpl' ? 'paper' : 'converge');
  if (protocol === 'paper' && law.name !== 'mpl')
    throw new SpecError(
      'protocol',
      "paper is the multi-power law paper's protocol; fit the momentum law with converge",
      protocol,
    );
  const minLoss = Math.min(...runs.map((r) => Math.min(...r.loss)));
  const bounds = law.bounds(minLoss);
  const fitRuns: FitRun[] = runs.map((r) => ({ prepared: law.prepare(r), loss: r.loss }));
  const objective = huberObjective(law, fitRuns);
  const res =
    protocol === 'paper'
      ? fitPaper(objective, runs, bounds, options.maxIterations)
      : fitConverge(law, objective, runs, bounds, options.maxIterations);
  const params: LawParams = { law: law.name };
  law.params.forEach((p, i) => (params[p] = res.x[i]));
  const diagnostics = runs.map((run, i) => ({
    id: run.id,
    ...curveMetrics(law.evaluate(res.x, fitRuns[i].prepared, false).pred, run.loss),
  }));
  return {
    params,
    protocol,
    objective: res.f,
    iterations: res.iterations,
    evaluations: res.evaluations,
    converged: res.converged && Number.isFinite(res.f),
    reason: res.reason,
    runs: diagnostics,
  };
}
