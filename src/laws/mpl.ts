/**
 * The multi-power law (Luo et al. 2025, arXiv:2503.12811), indexed as its public code
 * (thu-yao-01-luo/MultiPowerLaw, src/evaluation.py):
 *
 *   L(s) = L0 + A * S1(s)^(-alpha) - B * sum_{k=1..s} (lr[k-1] - lr[k]) * G(lr[k]^(-gamma) * S_k(s))
 *   S1(s) = lr[0] + ... + lr[s]  (the warmup included),  S_k(s) = lr[k] + ... + lr[s],
 *   G(x) = 1 - (C x + 1)^(-beta).
 *
 * Evaluated at checkpoints in O(checkpoints x changes): only the steps where the lr changes
 * contribute, so constant and step schedules cost little and a cosine costs T per checkpoint.
 */
import type { Law, LawCurve, LawEval, PreparedCurve } from './types.js';

export const MPL_PARAMS = ['L0', 'A', 'alpha', 'B', 'C', 'beta', 'gamma'] as const;

export interface MplPrepared extends PreparedCurve {
  /** prefix[i] = lr[0] + ... + lr[i] (f64). */
  prefix: Float64Array;
  /** Steps k >= 1 whose lr differs from the step before, ascending. */
  k: Int32Array;
  /** lr[k] - lr[k-1] at those steps. */
  gap: Float64Array;
  /** ln lr[k]. */
  lnLr: Float64Array;
}

export function prepareMpl(curve: LawCurve): MplPrepared {
  const { lr } = curve;
  const prefix = new Float64Array(lr.length);
  let s = 0;
  let c = 0; // Neumaier compensation: S_k(s) is a difference of two long sums
  for (let i = 0; i < lr.length; i++) {
    const t = s + lr[i];
    c += Math.abs(s) >= Math.abs(lr[i]) ? s - t + lr[i] : lr[i] - t + s;
    s = t;
    prefix[i] = s + c;
  }
  const ks: number[] = [];
  for (let i = 1; i < lr.length; i++) if (lr[i] !== lr[i - 1]) ks.push(i);
  const k = Int32Array.from(ks);
  const gap = new Float64Array(k.length);
  const lnLr = new Float64Array(k.length);
  for (let j = 0; j < k.length; j++) {
    gap[j] = lr[k[j]] - lr[k[j] - 1];
    lnLr[j] = Math.log(lr[k[j]]);
  }
  return { curve, prefix, k, gap, lnLr };
}

export function evaluateMpl(theta: ArrayLike<number>, p: MplPrepared, gradient: boolean): LawEval {
  const [L0, A, alpha, B, C, beta, gamma] = Array.from(theta);
  const { at } = p.curve;
  const n = at.length;
  const pred = new Float64Array(n);
  const jac = gradient ? new Float64Array(n * 7) : null;
  // lr[k]^(-gamma) once per evaluation, not once per (checkpoint, k)
  const etaPow = new Float64Array(p.k.length);
  for (let j = 0; j < p.k.length; j++) etaPow[j] = Math.exp(-gamma * p.lnLr[j]);
  for (let i = 0; i < n; i++) {
    const s = at[i];
    const Ps = p.prefix[s];
    let ld = 0;
    let dC = 0;
    let dBeta = 0;
    let dGamma = 0;
    for (let j = 0; j < p.k.length && p.k[j] <= s; j++) {
      const k = p.k[j];
      const x = etaPow[j] * (Ps - p.prefix[k - 1]);
      const z = 1 + C * x;
      const lz = Math.log(z);
      const zb = Math.exp(-beta * lz);
      ld += p.gap[j] * (1 - zb);
      if (jac) {
        const w = (p.gap[j] * beta * zb) / z; // gap * beta * z^(-beta-1)
        dC += w * x;
        dBeta += p.gap[j] * zb * lz;
        dGamma -= w * C * x * p.lnLr[j];
      }
    }
    const powS = Math.pow(Ps, -alpha);
    pred[i] = L0 + A * powS + B * ld;
    if (jac) {
      const o = i * 7;
      jac[o] = 1;
      jac[o + 1] = powS;
      jac[o + 2] = -A * powS * Math.log(Ps);
      jac[o + 3] = ld;
      jac[o + 4] = B * dC;
      jac[o + 5] = B * dBeta;
      jac[o + 6] = B * dGamma;
    }
  }
  return { pred, jac };
}

export const mpl: Law = {
  name: 'mpl',
  params: MPL_PARAMS,
  bounds: (minLoss) => ({
    lower: [0, 1e-12, 1e-6, 0, 1e-9, 1e-6, 0],
    upper: [minLoss, Infinity, 3, Infinity, 1e6, 10, 3],
  }),
  prepare: prepareMpl,
  evaluate: (theta, p, g) => evaluateMpl(theta, p as MplPrepared, g),
};
