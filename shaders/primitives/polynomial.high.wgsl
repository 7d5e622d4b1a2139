// start + (1 - (1 - p)^power) * delta in double-float, from (1 - b^power, b^power)
// (only the half progressValueHigh reads is computed, as in polynomial.wgsl)
fn prim_polynomial_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  if (inCommonCase || ((s.p3.x != 0.0 || s.p3.y != 0.0) && pq[1].x > 0.0)) {
    let y = dfMul(s.p3, dfLog1pNeg(pq[0], pq[1]));
    if (y.x >= -0.6931472) {
      let f = dfNeg(dfExpm1(y));
      return progressValueHigh(s, f, dfSub(df(1.0), f));
    }
    let g = dfExp(y);
    return progressValueHigh(s, dfSub(df(1.0), g), g);
  }
  let fg = dfPowShape(pq[1], pq[0], s.p3);
  return progressValueHigh(s, fg[0], fg[1]);
}

// evaluateRun's fast loop in the double-float build: polynomialRun_standard's multiplications
// (see polynomial.wgsl) in double-float, where log1p and exp are a long series each
fn polynomialRun_high(s: Segment, t0: u32, t1: u32, i0: u32, dx: u32) {
  let n = polynomialFactors(s);
  if (n == 0u) {
    for (var t = t0; t < t1; t += STEP_STRIDE) {
      storeValue(i0 + (t - t0), poolValue(prim_polynomial_high(s, t + dx)));
    }
    return;
  }
  let half = fract(s.p3.x) != 0.0;
  for (var t = t0; t < t1; t += STEP_STRIDE) {
    let pq = progressPairHigh(s, t + dx);
    var r = pq[1];
    var oneMinusR = pq[0];
    if (half) {
      r = dfSqrt(pq[1]);
      oneMinusR = dfDiv(pq[0], dfAdd(df(1.0), r));
    }
    // n <= 8: its top bit starts the sums, the other three are taken as in polynomial.wgsl
    let top = (n & 8u) != 0u;
    var power = select(df(1.0), r, top);
    var sum = select(df(0.0), df(1.0), top);
    for (var bit = 2; bit >= 0; bit--) {
      sum = dfMul(sum, dfAdd(df(1.0), power));
      power = dfMul(power, power);
      let withR = ((n >> u32(bit)) & 1u) != 0u;
      sum = select(sum, dfAdd(dfMul(sum, r), df(1.0)), withR);
      power = select(power, dfMul(power, r), withR);
    }
    storeValue(i0 + (t - t0), poolValue(progressValueHigh(s, dfMul(oneMinusR, sum), power)));
  }
}
