// p0 / (1 + p * p1) with p = x / d: pytorch-accelerated WSD's inverse-proportional decay. With a
// negative slope past the middle, 1 + p * p1 cancels (1 - 0.99 p near p = 1 keeps ulp / 0.01 of its
// digits): there it is (1 + p1) - q * p1 with q = 1 - p, for -1 <= p1 < 0 a sum of two terms of one sign.
fn prim_reciprocal(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  if (s.p1.x < 0.0 && pq.x > 0.5) {
    return s.p0.x / (((1.0 + s.p1.x) + s.p1.y) - pq.y * s.p1.x);
  }
  return s.p0.x / (1.0 + pq.x * s.p1.x);
}
