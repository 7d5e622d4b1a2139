/**
 * Counter-based random numbers for sweeps: draw j of stream s under seed is a pure function of
 * (seed, s, j), so a sweep expands to the same variants on every machine, in any order, and a
 * shard never needs the draws of another.
 */

/** murmur3's 32-bit finalizer: a bijective avalanche of one word. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hash3(seed: number, stream: number, index: number, salt: number): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0);
  h = mix32((h ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
  return mix32((h ^ salt) >>> 0);
}

/** A uniform double in [0, 1) with 53 random bits. */
export function uniform01(seed: number, stream: number, index: number): number {
  const hi = hash3(seed, stream, index, 0x27d4eb2f) >>> 5; // 27 bits
  const lo = hash3(seed, stream, index, 0x165667b1) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A permutation of 0..n-1 (Fisher-Yates driven by the counter stream). */
export function permutation(n: number, seed: number, stream: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform01(seed, stream, n + i) * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
