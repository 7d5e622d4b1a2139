// start + (1 - (1 + cos(pi * x / d)) / 2) * delta
fn prim_cosine(s: Segment, x: u32) -> f32 {
  let progress = f32(x) / s.p2.x;
  return s.p0.x + (1.0 - (1.0 + cos(PI * progress)) * 0.5) * s.p1.x;
}
