/** Binary searches over a segment's sorted integer breaks (staircases, pulse residues). */

/** Number of entries in breaks[at, at + count) that are < x. */
export function lowerBound(breaks: Uint32Array, at: number, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (breaks[at + mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries in breaks[at, at + count) that are <= x. */
export function upperBound(breaks: Uint32Array, at: number, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (breaks[at + mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
