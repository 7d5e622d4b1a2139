fn prim_constant_high(s: Segment, x: u32) -> vec2<f32> {
  return s.p0;
}
