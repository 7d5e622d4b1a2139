// start + delta * (1 - p^k)^power with p = x / d, k = levels[levelsAt] (timm's Poly with k-decay,
// pytorch-accelerated WSD's sqrt decay: k = 0.5, power = 1). Both powers go through powShape, which
// returns a power and its complement without cancellation, so the value keeps its digits at both ends.
fn prim_kpoly(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  let inner = powShape(pq.x, pq.y, levels[s.levelsAt].x); // (1 - p^k, p^k)
  let outer = powShape(inner.x, inner.y, s.p3.x);         // (1 - v, v), v = (1 - p^k)^power
  return progressValue(s, outer.y, outer.x);
}
