// start * base ^ (x / d) as start * exp((x / d) * ln(base)), ln(base) from the CPU in f64 (p3).
// The exponent carries f32's relative error, so the value's relative error grows with |exponent|:
// about 1e-7 per unit, small against the curve's largest value for a decay.
fn prim_exponential(s: Segment, x: u32) -> f32 {
  if (x == 0u) {
    return s.p0.x;
  }
  return s.p0.x * expOwn((f32(x) / s.p2.x) * s.p3.x);
}
