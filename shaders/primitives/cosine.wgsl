// start + (1 - (1 + cos(pi * p)) / 2) * delta with p = (x / d)^k (k = 1 except timm's and
// pytorch-accelerated's k-decay). The shape is sin(pi/2 * p)^2 and its complement
// sin(pi/2 * (1 - p))^2: the same numbers without the cancellation of 1 - cos near either end, from
// our own sine. Past p = 1 (torch's CosineAnnealingLR after T_max, noether's negative overhang)
// sin^2 repeats with period 2: x folds into [0, d] in integers when d is an integer, so that a
// curve many periods long keeps its phase exactly, and in double-float otherwise.
// k = 1 and an integer period: folded in integers
fn cosineIntegerPeriod(s: Segment) -> bool {
  return s.p3.x == 1.0 && s.denom != 0u && s.denom < 0x80000000u;
}

// the common case: an integer period, and a run within the first one (no modulo)
fn cosineCommon(s: Segment, xLast: u32) -> bool {
  return cosineIntegerPeriod(s) && xLast < 2u * s.denom;
}

fn prim_cosine(s: Segment, x: u32) -> f32 {
  var pq: vec2<f32>;
  if (inCommonCase || cosineIntegerPeriod(s)) {
    // integer modulo is slow where SIMD lanes emulate it (lavapipe): only past one period, and
    // its mere presence slowed the loop, so the common case's loop leaves it out
    var folded = x;
    if (!inCommonCase && folded >= 2u * s.denom) {
      folded = x % (2u * s.denom);
    }
    if (folded > s.denom) {
      folded = 2u * s.denom - folded;
    }
    pq = vec2<f32>(f32(folded) / f32(s.denom), f32(s.denom - folded) / f32(s.denom));
  } else {
    pq = progressPair(s, x);
    if (s.p3.x != 1.0) {
      // (p^k, 1 - p^k) without cancellation: powShape gives (1 - b^k, b^k) for b = p
      let shaped = powShape(pq.x, pq.y, s.p3.x);
      pq = vec2<f32>(shaped.y, shaped.x);
    }
    if (pq.x > 1.0) {
      // many periods without an integer denominator (HF's hard restarts over a run that the
      // cycles do not divide): an f32 x / d loses the phase by ~p ulps, so the progress is redone
      // and folded in double-float, and only the folded value is rounded to f32
      var p = df(pq.x);
      if (s.p3.x == 1.0) {
        p = progressPairHigh(s, x)[0];
      }
      let folded = dfFoldPeriod(p);
      pq = vec2<f32>(folded[0].x + folded[0].y, folded[1].x + folded[1].y);
    }
  }
  // progressValue reads sin^2(pi/2 p) below the middle and its complement sin^2(pi/2 (1 - p))
  // above: one sine of the smaller angle serves, and the other is 1 - w, exact near 0.5 (Sterbenz)
  let low = pq.x <= 0.5;
  let r = sinSmall(select(pq.y, pq.x, low) * HALF_PI);
  let w = r * r;
  return progressValue(s, select(1.0 - w, w, low), select(w, 1.0 - w, low));
}
