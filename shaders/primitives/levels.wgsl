// levels[number of breaks <= x]: staircases whose breaks the CPU computed exactly
fn prim_levels(s: Segment, x: u32) -> f32 {
  return levels[s.levelsAt + levelIndex(s, x)].x;
}

// evaluateRun's fast loop for a staircase (both precisions): x only grows along a run, so the
// level index is searched once and then advanced, instead of a binary search per value
fn levelsRun(s: Segment, t0: u32, t1: u32, i0: u32, dx: u32) {
  var k = levelIndex(s, t0 + dx);
  for (var t = t0; t < t1; t += STEP_STRIDE) {
    while (k < s.count && breaks[s.breaksAt + k] <= t + dx) {
      k++;
    }
    storeValue(i0 + (t - t0), poolValue(levels[s.levelsAt + k]));
  }
}
