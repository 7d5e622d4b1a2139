// start + delta / (1 + exp(2 z)) in double-float (see tanh.wgsl)
fn prim_tanh_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  let z = dfAdd(dfMul(s.p3, pq[1]), dfMul(levels[s.levelsAt], pq[0]));
  if (z.x > 44.0) {
    return s.p0; // exp(2z) past f32's range: delta / (1 + exp(2z)) is below its last digit
  }
  return dfAdd(s.p0, dfDiv(s.p1, dfAdd(df(1.0), dfExp(dfMulF(z, 2.0)))));
}
