// 1 + noise(x): timm's normal lr noise as a deterministic counter-based draw, identical on every
// backend. breaks: seed, threshold T. A draw is the top 24 bits of a murmur3-finalised mix of
// (seed, x, draw index); D = sum of 12 draws minus 6 * 2^24 (Irwin-Hall, an exact integer),
// redrawn while |D| >= T, at most 64 times, then folded into range as sign(D) * (|D| mod T);
// noise = D * 2^-24. Every decision is integer.
fn noiseMix(h0: u32) -> u32 {
  var h = h0;
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  return h ^ (h >> 16u);
}

fn noiseDraw(seed: u32, x: u32, draw: u32) -> u32 {
  return noiseMix(x * 0x9e3779b1u + noiseMix(seed ^ (draw * 0x85ebca77u))) >> 8u;
}

// the noise as an integer multiple of 2^-24
fn noiseUnits(s: Segment, x: u32) -> i32 {
  let seed = breaks[s.breaksAt];
  let threshold = i32(breaks[s.breaksAt + 1u]);
  var d = 0;
  for (var attempt = 0u; attempt < 64u; attempt++) {
    d = -100663296; // -6 * 2^24
    for (var j = 0u; j < 12u; j++) {
      d = d + i32(noiseDraw(seed, x, attempt * 12u + j));
    }
    if (abs(d) < threshold) {
      return d;
    }
  }
  if (threshold <= 0) {
    return 0;
  }
  return sign(d) * (abs(d) % threshold);
}

fn prim_noise(s: Segment, x: u32) -> f32 {
  return 1.0 + f32(noiseUnits(s, x)) * 5.9604644775390625e-8;
}
