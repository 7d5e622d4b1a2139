// start + (x / d) * delta in double-float
fn prim_linear_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  return progressValueHigh(s, pq[0], pq[1]);
}
