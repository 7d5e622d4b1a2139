// start + (1 - (1 - x / d) ^ power) * delta. 1 - x/d is formed as (d - x) / d from integers when d
// fits in u32: near the end of a long run 1 - x/d in f32 would lose most of its digits, and a
// power below 1 magnifies that.
fn prim_polynomial(s: Segment, x: u32) -> f32 {
  var rest: f32;
  if (s.denom != 0u) {
    rest = f32(bitcast<i32>(s.denom - x)) / f32(s.denom);
  } else {
    rest = 1.0 - f32(x) / s.p2.x;
  }
  return s.p0.x + (1.0 - signedPow(rest, s.p3.x)) * s.p1.x;
}

// b ^ e for the bases the plan allows: b >= 0, or b < 0 with an integer e (Python's float ** float
// raises otherwise, and the compiler refuses those steps)
fn signedPow(b: f32, e: f32) -> f32 {
  if (e == 0.0) {
    return 1.0;
  }
  if (b == 0.0) {
    return 0.0;
  }
  let m = pow(abs(b), e);
  if (b < 0.0 && fract(e * 0.5) != 0.0) {
    return -m;
  }
  return m;
}
