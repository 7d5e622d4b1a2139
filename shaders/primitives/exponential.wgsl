// start * base ^ (x / d) as start * exp((x / d) * ln(base)), ln(base) from the CPU in f64 (p3).
// The exponent is formed in double-float: in f32 its rounding alone (~|exponent| * 6e-8) put a
// long growth (an lr range test over 8 decades: exponent 18) past 1e-6 of its largest value.
fn prim_exponential(s: Segment, x: u32) -> f32 {
  if (x == 0u) {
    return s.p0.x;
  }
  // base 0: ln(base) = -inf, which the double-float product would turn into NaN
  if (s.p3.x < -3.0e38) {
    return 0.0;
  }
  return s.p0.x * expOwnPair(dfMul(dfDiv(dfFromU32(x), s.p2), s.p3));
}
