// start * exp((x / d) * ln(base)) in double-float (ln(base) from the CPU in f64, as (hi, lo))
fn prim_exponential_high(s: Segment, x: u32) -> vec2<f32> {
  if (x == 0u) {
    return s.p0;
  }
  return dfMul(s.p0, dfExp(dfMul(dfDiv(dfFromU32(x), s.p2), s.p3)));
}
