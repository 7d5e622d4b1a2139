/**
 * The momentum law (Tissue et al. 2024, arXiv:2408.11029), as `rank` has it:
 *   L(s) = L0 + A * S1^(-alpha) - C * S2,  S1 = lr[0] + ... + lr[s],  S2 = m_0 + ... + m_s,
 *   m_0 = 0, m_i = lambda * m_(i-1) + (lr[i-1] - lr[i]).
 * One O(T) pass per curve; the gradient in lambda follows dm_i = m_(i-1) + lambda * dm_(i-1).
 */
import type { Law, LawCurve, LawEval, PreparedCurve } from './types.js';

export const TISSUE_PARAMS = ['L0', 'A', 'alpha', 'C', 'lambda'] as const;

interface TissuePrepared extends PreparedCurve {
  /** The checkpoints' order by step, so one pass serves them all. */
  order: Int32Array;
}

function prepareTissue(curve: LawCurve): TissuePrepared {
  const order = Int32Array.from([...curve.at.keys()].sort((a, b) => curve.at[a] - curve.at[b]));
  return { curve, order };
}

export function evaluateTissue(theta: ArrayLike<number>, p: PreparedCurve, gradient: boolean): LawEval {
  const [L0, A, alpha, C, lambda] = Array.from(theta);
  const { lr, at } = p.curve;
  const order = (p as TissuePrepared).order;
  const n = at.length;
  const pred = new Float64Array(n);
  const jac = gradient ? new Float64Array(n * 5) : null;
  let s1 = 0;
  let s2 = 0;
  let m = 0;
  let dm = 0;
  let ds2 = 0;
  let t = -1;
  for (let q = 0; q < n; q++) {
    const i = order[q];
    const s = at[i];
    while (t < s) {
      t++;
      s1 += lr[t];
      if (t > 0) {
        dm = m + lambda * dm;
        m = lambda * m + (lr[t - 1] - lr[t]);
      }
      s2 += m;
      ds2 += dm;
    }
    const powS = Math.pow(s1, -alpha);
    pred[i] = L0 + A * powS - C * s2;
    if (jac) {
      const o = i * 5;
      jac[o] = 1;
      jac[o + 1] = powS;
      jac[o + 2] = -A * powS * Math.log(s1);
      jac[o + 3] = -s2;
      jac[o + 4] = -C * ds2;
    }
  }
  return { pred, jac };
}

export const tissue: Law = {
  name: 'tissue',
  params: TISSUE_PARAMS,
  bounds: (minLoss) => ({
    lower: [0, 1e-12, 1e-6, 0, 0.5],
    upper: [minLoss, Infinity, 3, Infinity, 0.99999],
  }),
  prepare: prepareTissue,
  evaluate: evaluateTissue,
};
