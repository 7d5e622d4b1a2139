// start + scale * exp((x / d) * ln(base)) in double-float (see offsetexp.wgsl)
fn prim_offsetexp_high(s: Segment, x: u32) -> vec2<f32> {
  return dfAdd(s.p0, dfMul(s.p1, dfExp(dfMul(dfDiv(dfFromU32(x), s.p2), s.p3))));
}
