// levels[number of breaks <= x]: staircases whose breaks the CPU computed exactly
fn prim_levels(s: Segment, x: u32) -> f32 {
  return levels[s.levelsAt + levelIndex(s, x)].x;
}
