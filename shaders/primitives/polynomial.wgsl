// start + (1 - (1 - p) ^ power) * delta with p = x / d. With b = 1 - p (from integers, see
// progressPair) the shape is 1 - b^power = -expm1(power * log1p(-p)) and its complement b^power =
// exp(power * log1p(-p)): neither cancels near p = 0 or p = 1.
fn prim_polynomial(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  let fg = polynomialShape(pq.y, pq.x, s.p3.x);
  return progressValue(s, fg.x, fg.y);
}

// (1 - b^e, b^e) with b = 1 - p. Bases below 0 only come with an integer e (Python raises otherwise
// and the compiler refuses those steps), where p > 1 after a negative overhang.
fn polynomialShape(b: f32, p: f32, e: f32) -> vec2<f32> {
  if (e == 0.0) {
    return vec2<f32>(0.0, 1.0);
  }
  if (b <= 0.0) {
    var m = 0.0;
    if (b == 0.0) {
      if (e < 0.0) {
        m = bitcast<f32>(INF_BITS);
      }
    } else {
      m = expOwn(e * logOwn(-b));
      if (fract(e * 0.5) != 0.0) {
        m = -m;
      }
    }
    return vec2<f32>(1.0 - m, m);
  }
  let y = e * log1pOwn(-p, b);
  return vec2<f32>(-expm1Own(y), expOwn(y));
}
