// start + (x / d) * delta
fn prim_linear(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  return progressValue(s, pq.x, pq.y);
}
