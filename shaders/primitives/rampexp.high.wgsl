// start + slope (x - root) exp(c x) in double-float (see rampexp.wgsl)
fn prim_rampexp_high(s: Segment, x: u32) -> vec2<f32> {
  let xd = dfFromU32(x);
  return dfAdd(s.p0, dfMul(dfMul(s.p1, dfSub(xd, s.p2)), dfExp(dfMul(s.p3, xd))));
}
