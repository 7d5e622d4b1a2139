// levels[number of breaks <= x]: staircases whose breaks the CPU computed exactly
fn prim_levels(s: Segment, x: u32) -> f32 {
  var lo = 0u;
  var hi = s.count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (breaks[s.breaksAt + mid] <= x) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  return levels[s.levelsAt + lo].x;
}
