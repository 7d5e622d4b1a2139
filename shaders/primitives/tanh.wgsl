// start + delta / (1 + exp(2 z)) with z = lb * (1 - p) + ub * p, p = x / d, lb = p3, ub =
// levels[levelsAt]: timm's lr_min + (lr_max - lr_min) (1 - tanh(z)) / 2 without the cancellation
// of 1 - tanh(z) as the curve nears lr_min.
fn prim_tanh(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  let z = s.p3.x * pq.y + levels[s.levelsAt].x * pq.x;
  return s.p0.x + s.p1.x / (1.0 + expOwn(2.0 * z));
}
