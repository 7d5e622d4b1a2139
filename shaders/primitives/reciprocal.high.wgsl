// p0 / (1 + p * p1) in double-float
fn prim_reciprocal_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  return dfDiv(s.p0, dfAdd(df(1.0), dfMul(pq[0], s.p1)));
}
