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

// evaluateRun's fast loop in the double-float build (common case: an integer period d, x < 2d).
// An invocation's steps are STEP_STRIDE apart, a fixed angle delta = (pi / 2) * STEP_STRIDE / d: (sin, cos) of
// the first step's angle is rotated by it from step to step, and the shape is sin^2 and cos^2 (its
// complement, without cancellation), where a double-float sine series per value cost most of the
// loop. Over at most perInvocation rotations the rounding grows to some 1e-12 of the curve's size.
fn cosineRun_high(s: Segment, t0: u32, t1: u32, i0: u32, dx: u32) {
  if (s.denom < 2u * STEP_STRIDE) {
    // delta past pi / 4, beyond dfSinSmall
    for (var t = t0; t < t1; t += STEP_STRIDE) {
      storeValue(i0 + (t - t0), poolValue(prim_cosine_high(s, t + dx)));
    }
    return;
  }
  let inv = dfDiv(df(1.0), dfFromU32(s.denom));
  let delta = dfMul(dfMulF(inv, f32(STEP_STRIDE)), DF_HALF_PI);
  let sinDelta = dfSinSmall(delta);
  let cosDelta = dfCosSmall(delta);
  // the first angle, mirrored into [0, d] (sin^2 is symmetric there) with the sign of cos restored
  let x0 = t0 + dx;
  let mirrored = x0 > s.denom;
  let m = select(x0, 2u * s.denom - x0, mirrored);
  let p = dfMul(dfFromU32(m), inv);
  let q = dfMul(dfFromU32(s.denom - m), inv);
  var sine = dfSinHalfPi(p, q);
  var cosine = dfSinHalfPi(q, p);
  if (mirrored) {
    cosine = dfNeg(cosine);
  }
  for (var t = t0; t < t1; t += STEP_STRIDE) {
    storeValue(i0 + (t - t0), poolValue(progressValueHigh(s, dfMul(sine, sine), dfMul(cosine, cosine))));
    let next = dfAdd(dfMul(sine, cosDelta), dfMul(cosine, sinDelta));
    cosine = dfSub(dfMul(cosine, cosDelta), dfMul(sine, sinDelta));
    sine = next;
  }
}
