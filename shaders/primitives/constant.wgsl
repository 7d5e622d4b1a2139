fn prim_constant(s: Segment, x: u32) -> f32 {
  return s.p0.x;
}
