/**
 * schedgpu's noise stream (timm's noise_pct, noise_std): a counter-based draw of (seed, step), so
 * any step's noise is computed on its own on every backend. This is a definition shared by the
 * oracle, the 'noise' primitive and shaders/primitives/noise.wgsl, not code of either side.
 */
const noiseMix = (h0: number): number => {
  let h = h0 >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
};

/** One 24-bit draw m of (seed, x, draw index): u32 arithmetic, exactly as noise.wgsl. */
export function noiseDraw(seed: number, x: number, draw: number): number {
  return (noiseMix((Math.imul(x, 0x9e3779b1) + noiseMix(seed ^ Math.imul(draw, 0x85ebca77))) >>> 0) >>> 8) >>> 0;
}

const UNIT = 2 ** -24;

/**
 * timm's normal noise at x from the counter-based draws: Irwin-Hall D = sum of 12 draws - 6 * 2^24,
 * redrawn while |D| >= threshold, noise = D * 2^-24. timm redraws until it passes; after 64 tries
 * (a small noise_pct) the last D is folded into range instead, sign(D) * (|D| mod threshold), which
 * is near uniform there, as the normal density is over a narrow band.
 */
export function noiseValue(seed: number, x: number, threshold: number): number {
  let d = 0;
  for (let attempt = 0; attempt < 64; attempt++) {
    d = -6 * 2 ** 24;
    for (let j = 0; j < 12; j++) d += noiseDraw(seed, x, attempt * 12 + j);
    if (Math.abs(d) < threshold) return d * UNIT;
  }
  return threshold > 0 ? Math.sign(d) * (Math.abs(d) % threshold) * UNIT : 0;
}

/** The integer threshold of a normal draw: |D| < ceil(noise_pct * 2^24), capped where every draw passes. */
export function noiseThreshold(pct: number): number {
  return Math.min(2 ** 28, Math.max(0, Math.ceil(pct * 2 ** 24)));
}
