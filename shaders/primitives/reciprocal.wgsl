// p0 / (1 + p * p1) with p = x / d: pytorch-accelerated WSD's inverse-proportional decay
fn prim_reciprocal(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  return s.p0.x / (1.0 + pq.x * s.p1.x);
}
