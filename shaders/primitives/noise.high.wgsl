// 1 + noise(x) in double-float (see noise.wgsl): the integer draw is the same
fn prim_noise_high(s: Segment, x: u32) -> vec2<f32> {
  return dfAdd(df(1.0), dfMulF(dfFromI32(noiseUnits(s, x)), 5.9604644775390625e-8));
}
