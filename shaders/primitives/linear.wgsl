// start + (x / d) * delta
fn prim_linear(s: Segment, x: u32) -> f32 {
  return s.p0.x + (f32(x) / s.p2.x) * s.p1.x;
}
