/**
 * A bounded L-BFGS (projected quasi-Newton) minimiser: no maintained npm package offers one with
 * box bounds, so this is ours. Each iteration fixes the variables held at a bound by the gradient,
 * takes the L-BFGS direction in the others, and backtracks along the projected path (Armijo).
 * Variables are scaled by `scale` so parameters of very different size (B ~ 500, beta ~ 0.5) are
 * stepped alike.
 */
export interface BoxResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: 'gradient', 'objective', 'step', 'max-iterations', 'line-search'. */
  reason: string;
}

export interface BoxOptions {
  lower?: number[];
  upper?: number[];
  /** Typical size of each variable (default 1). */
  scale?: number[];
  maxIterations?: number;
  /** Stop when the projected gradient's largest scaled component is below this. */
  gtol?: number;
  /** Stop when an iteration lowers f by less than ftol * max(|f|, 1). */
  ftol?: number;
  memory?: number;
}

export type Objective = (x: number[]) => { f: number; g: number[] };

export function minimizeBox(fg: Objective, x0: number[], opts: BoxOptions = {}): BoxResult {
  const n = x0.length;
  const sc = opts.scale ?? x0.map(() => 1);
  const lo = (opts.lower ?? x0.map(() => -Infinity)).map((v, i) => v / sc[i]);
  const hi = (opts.upper ?? x0.map(() => Infinity)).map((v, i) => v / sc[i]);
  const maxIt = opts.maxIterations ?? 500;
  const gtol = opts.gtol ?? 1e-8;
  const ftol = opts.ftol ?? 1e-12;
  const mem = opts.memory ?? 10;
  const clip = (y: number[]): number[] => y.map((v, i) => Math.min(hi[i], Math.max(lo[i], v)));
  let evaluations = 0;
  // f and gradient in the scaled variables y = x / scale
  const eval_ = (y: number[]): { f: number; g: number[] } => {
    evaluations++;
    const r = fg(y.map((v, i) => v * sc[i]));
    return { f: r.f, g: r.g.map((v, i) => v * sc[i]) };
  };
  let y = clip(x0.map((v, i) => v / sc[i]));
  let { f, g } = eval_(y);
  if (!Number.isFinite(f)) return done(false, 'line-search', 0);
  const S: number[][] = [];
  const Y: number[][] = [];
  const dot = (a: number[], b: number[]): number => a.reduce((acc, v, i) => acc + v * b[i], 0);
  let it = 0;
  let stalled = false;
  function done(converged: boolean, reason: string, iterations: number): BoxResult {
    return { x: y.map((v, i) => v * sc[i]), f, iterations, evaluations, converged, reason };
  }
  for (; it < maxIt; it++) {
    // variables a bound holds: at the bound with the gradient pushing outwards
    const fixed = y.map((v, i) => (v <= lo[i] && g[i] > 0) || (v >= hi[i] && g[i] < 0));
    const pg = g.map((v, i) => (fixed[i] ? 0 : v));
    if (Math.max(...pg.map(Math.abs)) < gtol) return done(true, 'gradient', it);
    // two-loop recursion on the free variables
    const q = pg.slice();
    const alphas: number[] = [];
    for (let j = S.length - 1; j >= 0; j--) {
      const sj = S[j].map((v, i) => (fixed[i] ? 0 : v));
      const yj = Y[j].map((v, i) => (fixed[i] ? 0 : v));
      const sy = dot(sj, yj);
      if (sy <= 1e-300) {
        alphas[j] = 0;
        continue;
      }
      alphas[j] = dot(sj, q) / sy;
      for (let i = 0; i < n; i++) q[i] -= alphas[j] * yj[i];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const sy = dot(S[last], Y[last]);
      const yy = dot(Y[last], Y[last]);
      if (sy > 0 && yy > 0) for (let i = 0; i < n; i++) q[i] *= sy / yy;
    }
    for (let j = 0; j < S.length; j++) {
      const sj = S[j].map((v, i) => (fixed[i] ? 0 : v));
      const yj = Y[j].map((v, i) => (fixed[i] ? 0 : v));
      const sy = dot(sj, yj);
      if (sy <= 1e-300) continue;
      const b = dot(yj, q) / sy;
      for (let i = 0; i < n; i++) q[i] += sj[i] * (alphas[j] - b);
    }
    let d = q.map((v, i) => (fixed[i] ? 0 : -v));
    if (!(dot(d, g) < 0)) {
      // not a descent direction: forget the curvature pairs, take steepest descent
      S.length = 0;
      Y.length = 0;
      d = pg.map((v) => -v);
    }
    // first step without curvature information: at most a unit move in scaled variables
    let t = S.length === 0 ? Math.min(1, 1 / Math.max(...d.map(Math.abs))) : 1;
    let accepted: { y: number[]; f: number; g: number[] } | null = null;
    for (let tries = 0; tries < 60; tries++) {
      const yNew = clip(y.map((v, i) => v + t * d[i]));
      const step = yNew.map((v, i) => v - y[i]);
      if (Math.max(...step.map(Math.abs)) === 0) break;
      const r = eval_(yNew);
      if (Number.isFinite(r.f) && r.f <= f + 1e-4 * dot(g, step)) {
        accepted = { y: yNew, ...r };
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      if (S.length > 0) {
        // a stale curvature model can fail where a plain gradient step succeeds
        S.length = 0;
        Y.length = 0;
        continue;
      }
      // after a stalled step, no descent along the gradient either: that is the minimum
      return done(stalled, stalled ? 'objective' : 'line-search', it);
    }
    stalled = false;
    const quasiNewton = S.length > 0;
    const s = accepted.y.map((v, i) => v - y[i]);
    const yv = accepted.g.map((v, i) => v - g[i]);
    const fOld = f;
    y = accepted.y;
    f = accepted.f;
    g = accepted.g;
    if (dot(s, yv) > 1e-12 * Math.sqrt(dot(s, s) * dot(yv, yv))) {
      S.push(s);
      Y.push(yv);
      if (S.length > mem) {
        S.shift();
        Y.shift();
      }
    }
    if (fOld - f <= ftol * Math.max(Math.abs(f), 1)) {
      // a stalled quasi-Newton step can be a poor curvature model rather than a minimum: stop only
      // when a fresh steepest-descent step stalls too
      if (!quasiNewton) return done(true, 'objective', it + 1);
      S.length = 0;
      Y.length = 0;
      stalled = true;
    }
  }
  return done(false, 'max-iterations', it);
}
