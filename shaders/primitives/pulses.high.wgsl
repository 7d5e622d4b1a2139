fn prim_pulses_high(s: Segment, x: u32) -> vec2<f32> {
  if (pulseFires(s, x)) {
    return s.p0;
  }
  return s.p1;
}
