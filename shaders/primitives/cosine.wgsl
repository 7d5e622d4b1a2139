// start + (1 - (1 + cos(pi * p)) / 2) * delta with p = x / d. The shape is sin(pi/2 * p)^2 and its
// complement sin(pi/2 * (1 - p))^2: the same numbers without the cancellation of 1 - cos near
// either end, from our own sine. p only leaves [0, 1] when a negative overhang shortens the run
// (noether extrapolates the curve then); sin^2 has period 2, so it folds back into [0, 1].
fn prim_cosine(s: Segment, x: u32) -> f32 {
  var pq = progressPair(s, x);
  if (pq.x > 1.0) {
    var folded = pq.x - 2.0 * floor(pq.x * 0.5);
    if (folded > 1.0) {
      folded = 2.0 - folded;
    }
    pq = vec2<f32>(folded, 1.0 - folded);
  }
  let rising = sinHalfPi(pq.x, pq.y);
  let falling = sinHalfPi(pq.y, pq.x);
  return progressValue(s, rising * rising, falling * falling);
}
