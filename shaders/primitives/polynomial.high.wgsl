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
