// 1 + noise(x) in double-float (see noise.wgsl): the integer draw is the same
fn prim_noise_high(s: Segment, x: u32) -> vec2<f32> {
  let units = noiseUnits(s, x);
  if (breaks[s.breaksAt + 2u] != 0u) {
    let centred = dfSub(dfMulF(dfFromI32(units), 1.1920928955078125e-7), df(1.0));
    return dfAdd(df(1.0), dfMul(centred, s.p0));
  }
  return dfAdd(df(1.0), dfMulF(dfFromI32(units), 5.9604644775390625e-8));
}
