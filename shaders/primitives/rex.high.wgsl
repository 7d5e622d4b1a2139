// start + delta * (1 - p) / (1 - p / 2) in double-float
fn prim_rex_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  let half = dfMulF(pq[0], 0.5);
  let den = dfSub(df(1.0), half);
  return progressValueHigh(s, dfDiv(pq[1], den), dfDiv(half, den));
}
