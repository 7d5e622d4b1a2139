// values[x]: noether's CustomSchedule
fn prim_table(s: Segment, x: u32) -> f32 {
  return levels[s.levelsAt + x].x;
}
