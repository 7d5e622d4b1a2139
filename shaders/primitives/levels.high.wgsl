// the staircase's level, both halves
fn prim_levels_high(s: Segment, x: u32) -> vec2<f32> {
  return levels[s.levelsAt + levelIndex(s, x)];
}
