// start + (1 - (1 - p)^power) * delta in double-float, from (1 - b^power, b^power)
fn prim_polynomial_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  let fg = dfPowShape(pq[1], pq[0], s.p3);
  return progressValueHigh(s, fg[0], fg[1]);
}
