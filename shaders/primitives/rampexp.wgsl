// start + (a + b x) exp(c x): a straight ramp times a decay, torch CyclicLR's exp_range over half a
// cycle (the segment's gamma ** start folded into a and b on the CPU, so c x stays within one cycle)
fn prim_rampexp(s: Segment, x: u32) -> f32 {
  let xf = f32(x);
  return s.p0.x + (s.p1.x + s.p2.x * xf) * expOwn(s.p3.x * xf);
}
