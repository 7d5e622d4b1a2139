// start + (1 - (1 + cos(pi * p)) / 2) * delta in double-float: sin(pi/2 p)^2 and its complement,
// folded into one period in integers like the f32 path (see cosine.wgsl)
fn prim_cosine_high(s: Segment, x: u32) -> vec2<f32> {
  var pq: array<vec2<f32>, 2>;
  if (inCommonCase || cosineIntegerPeriod(s)) {
    // integer modulo is slow where SIMD lanes emulate it (lavapipe): only past one period, and
    // not at all in the common case (see cosine.wgsl)
    var folded = x;
    if (!inCommonCase && folded >= 2u * s.denom) {
      folded = x % (2u * s.denom);
    }
    if (folded > s.denom) {
      folded = 2u * s.denom - folded;
    }
    let inv = dfDiv(df(1.0), dfFromU32(s.denom)); // once per run, as in progressPairHigh
    pq = array<vec2<f32>, 2>(dfMul(dfFromU32(folded), inv), dfMul(dfFromU32(s.denom - folded), inv));
  } else {
    pq = progressPairHigh(s, x);
    if (s.p3.x != 1.0) {
      // (p^k, 1 - p^k) without cancellation: dfPowShape gives (1 - b^k, b^k) for b = p
      let shaped = dfPowShape(pq[0], pq[1], s.p3);
      pq = array<vec2<f32>, 2>(shaped[1], shaped[0]);
    }
    if (pq[0].x > 1.0) {
      // beyond one period without an integer denominator: fold in double-float
      pq = dfFoldPeriod(pq[0]);
    }
  }
  // one sine of the smaller angle, as in cosine.wgsl
  let low = pq[0].x <= 0.5;
  var r: vec2<f32>;
  if (low) {
    r = dfSinSmall(dfMul(pq[0], DF_HALF_PI));
  } else {
    r = dfSinSmall(dfMul(pq[1], DF_HALF_PI));
  }
  let w = dfMul(r, r);
  let rest = dfSub(df(1.0), w);
  if (low) {
    return progressValueHigh(s, w, rest);
  }
  return progressValueHigh(s, rest, w);
}
