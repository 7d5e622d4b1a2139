// start + delta * (1 - p^k)^power in double-float (see kpoly.wgsl)
fn prim_kpoly_high(s: Segment, x: u32) -> vec2<f32> {
  let pq = progressPairHigh(s, x);
  let inner = dfPowShape(pq[0], pq[1], levels[s.levelsAt]);
  let outer = dfPowShape(inner[0], inner[1], s.p3);
  return progressValueHigh(s, outer[1], outer[0]);
}
