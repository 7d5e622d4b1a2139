fn prim_table_high(s: Segment, x: u32) -> vec2<f32> {
  return levels[s.levelsAt + x];
}
