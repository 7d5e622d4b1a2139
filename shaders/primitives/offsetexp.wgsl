// start + scale * base ^ (x / d) as start + scale * exp((x / d) * ln(base)), ln(base) from the CPU
// in f64 (p3); the exponent in double-float, as for 'exponential'. Megatron's WSD exponential
// anneal, min + (2 * 0.5^r - 1) * (max - min), is this curve with a constant part.
fn prim_offsetexp(s: Segment, x: u32) -> f32 {
  if (x == 0u) {
    return s.p0.x + s.p1.x;
  }
  return s.p0.x + s.p1.x * expOwnPair(dfMul(dfDiv(dfFromU32(x), s.p2), s.p3));
}
