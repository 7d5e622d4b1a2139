// start + slope (x - root) exp(c x): a straight ramp times an exponential, torch CyclicLR's
// exp_range over half a cycle (gamma ** start folded into the slope on the CPU, so c x stays
// within one cycle). x - root is formed in double-float (exact for CyclicLR's integer roots), so a
// ramp ending near its root keeps its digits; the exponent too, as for 'exponential'.
fn prim_rampexp(s: Segment, x: u32) -> f32 {
  let xd = dfFromU32(x);
  let ramp = dfSub(xd, s.p2);
  return s.p0.x + s.p1.x * (ramp.x + ramp.y) * expOwnPair(dfMul(s.p3, xd));
}
