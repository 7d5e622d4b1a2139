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
