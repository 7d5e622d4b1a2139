// start + delta * g, g = (1 - p) / (1 - p / 2): REXScheduler's curve. g and 1 - g = (p / 2) / (1 - p / 2)
// both come without cancellation, so progressValue keeps the digits near either end.
fn prim_rex(s: Segment, x: u32) -> f32 {
  let pq = progressPair(s, x);
  let den = 1.0 - 0.5 * pq.x;
  return progressValue(s, pq.y / den, (0.5 * pq.x) / den);
}
