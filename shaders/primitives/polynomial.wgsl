// start + (1 - (1 - p) ^ power) * delta with p = x / d. With b = 1 - p (from integers, see
// progressPair) the shape is 1 - b^power = -expm1(power * log1p(-p)) and its complement b^power =
// exp(power * log1p(-p)): neither cancels near p = 0 or p = 1.
// the common case: a nonzero power, integer progress, and a run that ends before the curve does
// (so b > 0 and the general powShape is not needed)
fn polynomialCommon(s: Segment, xLast: u32) -> bool {
  return s.denom != 0u && s.p3.x != 0.0 && xLast < s.denom;
}

// progressValue reads 1 - b^power below the middle (y = power * log1p(-p) >= -ln 2) and b^power
// above: only that one is computed, the other as its complement (exact near 0.5, Sterbenz).
fn prim_polynomial(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  if (inCommonCase || (s.p3.x != 0.0 && pq.y > 0.0)) {
    let y = s.p3.x * log1pOwn(-pq.x, pq.y);
    if (y >= -0.6931472) {
      let f = -expm1Own(y);
      return progressValue(s, f, 1.0 - f);
    }
    let g = expOwn(y);
    return progressValue(s, 1.0 - g, g);
  }
  let fg = powShape(pq.y, pq.x, s.p3.x);
  return progressValue(s, fg.x, fg.y);
}

// the power as n multiplications: n = power for a whole power, 2 * power (of sqrt(b)) for a half
// one; 0 where log and exp serve (other powers, or n past 8: each product adds up to an ulp)
fn polynomialFactors(s: Segment) -> u32 {
  let twice = 2.0 * s.p3.x;
  if (twice != round(twice) || twice < 1.0 || s.p3.x > 8.0) {
    return 0u;
  }
  let n = select(u32(twice), u32(s.p3.x), fract(s.p3.x) == 0.0);
  return select(0u, n, n <= 8u);
}

// evaluateRun's fast loop in the f32 build: with r = b (or sqrt(b) for a half power), b^power = r^n
// and 1 - b^power = (1 - r)(1 + r + ... + r^(n-1)), 1 - r = p (or p / (1 + r)): both without
// cancellation, and a few multiplications where log1p and exp cost most of the loop
fn polynomialRun_standard(s: Segment, t0: u32, t1: u32, i0: u32, dx: u32) {
  let n = polynomialFactors(s);
  if (n == 0u) {
    for (var t = t0; t < t1; t += STEP_STRIDE) {
      storeValue(i0 + (t - t0), poolValue(vec2<f32>(prim_polynomial(s, t + dx), 0.0)));
    }
    return;
  }
  let half = fract(s.p3.x) != 0.0;
  for (var t = t0; t < t1; t += STEP_STRIDE) {
    let pq = progressPair(s, t + dx);
    var r = pq.y;
    var oneMinusR = pq.x;
    if (half) {
      r = sqrt(pq.y);
      oneMinusR = pq.x / (1.0 + r);
    }
    // r^n and 1 + r + ... + r^(n-1) by n's bits from the top, unrolled with selects: a loop of n
    // trips cost more than log and exp (SIMD lanes mask every trip)
    var power = 1.0; // r^k for k = the bits of n taken so far
    var sum = 0.0;   // 1 + r + ... + r^(k-1)
    for (var bit = 3; bit >= 0; bit--) {
      sum = sum * (1.0 + power); // k -> 2k
      power = power * power;
      let withR = ((n >> u32(bit)) & 1u) != 0u;
      sum = select(sum, sum * r + 1.0, withR); // k -> k + 1
      power = select(power, power * r, withR);
    }
    // (v, 0) as this build's value: the f32 value itself (the double-float build never runs this)
    storeValue(i0 + (t - t0), poolValue(vec2<f32>(progressValue(s, oneMinusR * sum, power), 0.0)));
  }
}
