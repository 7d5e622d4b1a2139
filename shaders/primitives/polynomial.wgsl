// start + (1 - (1 - p) ^ power) * delta with p = x / d. With b = 1 - p (from integers, see
// progressPair) the shape is 1 - b^power = -expm1(power * log1p(-p)) and its complement b^power =
// exp(power * log1p(-p)): neither cancels near p = 0 or p = 1.
fn prim_polynomial(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  let fg = powShape(pq.y, pq.x, s.p3.x);
  return progressValue(s, fg.x, fg.y);
}
