// levels[number of breaks <= x]: staircases whose breaks the CPU computed exactly
fn prim_levels(s: Segment, x: u32) -> f32 {
  return levels[s.levelsAt + levelIndex(s, x)].x;
}

// evaluateRun's fast loop for a staircase (both precisions): x only grows along a run, so the
// level index is searched once and then advanced, instead of a binary search per value. The level
// and the next break are kept, so that a value between breaks is only a compare and a store (a
// load and a loop test per value, even untaken, cost a third of the loop on lavapipe).
fn levelsRun(s: Segment, t0: u32, t1: u32, i0: u32, dx: u32) {
  var k = levelIndex(s, t0 + dx);
  var level = poolValue(levels[s.levelsAt + k]);
  var nextBreak = 0u;
  if (k < s.count) {
    nextBreak = breaks[s.breaksAt + k];
  }
  for (var t = t0; t < t1; t += STEP_STRIDE) {
    if (k < s.count && t + dx >= nextBreak) {
      while (k < s.count && breaks[s.breaksAt + k] <= t + dx) {
        k++;
      }
      level = poolValue(levels[s.levelsAt + k]);
      if (k < s.count) {
        nextBreak = breaks[s.breaksAt + k];
      }
    }
    storeValue(i0 + (t - t0), level);
  }
}
