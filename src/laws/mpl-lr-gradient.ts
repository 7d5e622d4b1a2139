/**
 * The multi-power law's predicted loss after a whole lr curve (at its last step s = T - 1) and its
 * gradient with respect to every lr value, in O(T): what the schedule optimiser descends.
 *
 * With g_k = lr[k] - lr[k-1], u_k = lr[k]^(-gamma) S_k, z_k = 1 + C u_k, G_k = 1 - z_k^(-beta):
 *   dL/dlr[t] = -alpha A S1^(-alpha-1)
 *             + B (G_t - G_(t+1))                               (lr[t] in g_t and g_(t+1))
 *             - B g_t beta z_t^(-beta-1) C gamma u_t / lr[t]    (lr[t]^(-gamma) in u_t)
 *             + B sum_(k<=t) g_k beta z_k^(-beta-1) C lr[k]^(-gamma)   (lr[t] in every S_k, k <= t)
 */
export function mplFinalLossAndLrGradient(
  theta: ArrayLike<number>,
  lr: Float64Array,
): { loss: number; grad: Float64Array } {
  const [L0, A, alpha, B, C, beta, gamma] = Array.from(theta);
  const T = lr.length;
  const s = T - 1;
  // suffix sums S_k = lr[k] + ... + lr[s], Neumaier-compensated
  const S = new Float64Array(T + 1);
  let acc = 0;
  let comp = 0;
  for (let k = s; k >= 0; k--) {
    const t = acc + lr[k];
    comp += Math.abs(acc) >= Math.abs(lr[k]) ? acc - t + lr[k] : lr[k] - t + acc;
    acc = t;
    S[k] = acc + comp;
  }
  const S1 = S[0];
  const G = new Float64Array(T + 1); // G[T] = 0: no g_(s+1)
  const w = new Float64Array(T); // g_k beta z_k^(-beta-1) C lr[k]^(-gamma)
  const direct = new Float64Array(T);
  let ld = 0;
  for (let k = 1; k <= s; k++) {
    const ep = Math.exp(-gamma * Math.log(lr[k]));
    const u = ep * S[k];
    const z = 1 + C * u;
    const zb = Math.exp(-beta * Math.log(z));
    G[k] = 1 - zb;
    const g = lr[k] - lr[k - 1];
    ld += g * G[k];
    const dGdu = (beta * zb) / z; // d G / d u
    w[k] = g * dGdu * C * ep;
    direct[k] = (-g * dGdu * C * gamma * u) / lr[k];
  }
  const loss = L0 + A * Math.pow(S1, -alpha) + B * ld;
  const grad = new Float64Array(T);
  const d1 = -alpha * A * Math.pow(S1, -alpha - 1);
  let prefix = 0;
  for (let t = 0; t <= s; t++) {
    prefix += w[t];
    grad[t] = d1 + B * ((t >= 1 ? G[t] : 0) - G[t + 1] + direct[t] + prefix);
  }
  return { loss, grad };
}
