/**
 * Piecewise-constant curves (noether's StepDecreasing/StepInterval/StepFixed, and later the
 * frameworks' milestone schedules): the level index is an integer function of x computed exactly as
 * the framework computes it, and every change of index becomes an integer break on the CPU.
 */
import type { Segment } from './segments.js';

/**
 * Breaks and levels of a monotone (non-decreasing or non-increasing) integer key over x in
 * [xlo, xhi]. `guess(key)` estimates where the key next changes; the search corrects it, so a
 * guess only costs time when it is wrong.
 */
export function staircase(
  keyAt: (x: number) => number,
  levelOf: (key: number, x: number) => number,
  xlo: number,
  xhi: number,
  guess: (key: number) => number,
): { breaks: number[]; levels: number[] } {
  const breaks: number[] = [];
  let key = keyAt(xlo);
  const levels: number[] = [levelOf(key, xlo)];
  const keyEnd = keyAt(xhi);
  let x = xlo;
  while (key !== keyEnd) {
    // bracket the next change: keyAt(a) === key, keyAt(b) !== key, a < b
    let a = x;
    let b: number;
    const g0 = guess(key);
    const g = Math.min(xhi, Math.max(x + 1, Number.isFinite(g0) ? Math.ceil(g0) : x + 1));
    if (keyAt(g) !== key) {
      b = g;
      for (let step = 1; ; step *= 2) {
        const c = b - step;
        if (c <= a) break;
        if (keyAt(c) !== key) b = c;
        else {
          a = c;
          break;
        }
      }
    } else {
      a = g;
      for (let step = 1; ; step *= 2) {
        const c = Math.min(a + step, xhi);
        if (keyAt(c) !== key) {
          b = c;
          break;
        }
        a = c;
      }
    }
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (keyAt(mid) !== key) b = mid;
      else a = mid;
    }
    x = b;
    key = keyAt(b);
    breaks.push(b);
    levels.push(levelOf(key, b));
  }
  return { breaks, levels };
}

/** A 'levels' segment starting at local step `start`, whose x is step - start + offset. */
export function levelsSegment(start: number, offset: number, stairs: { breaks: number[]; levels: number[] }): Segment {
  if (stairs.breaks.length === 0)
    return { start, prim: 'constant', offset: 0, quantum: 1, p: [stairs.levels[0], 0, 0, 0] };
  return {
    start,
    prim: 'levels',
    offset,
    quantum: 1,
    p: [0, 0, 0, 0],
    breaks: Uint32Array.from(stairs.breaks),
    levels: Float64Array.from(stairs.levels),
  };
}

/** The first step in [lo, hi) where a monotone `holds` turns true (false before it), or hi. */
export function firstStep(lo: number, hi: number, holds: (t: number) => boolean): number {
  if (lo >= hi || !holds(hi - 1)) return hi;
  let [a, b] = [lo - 1, hi - 1];
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (holds(mid)) b = mid;
    else a = mid;
  }
  return b;
}
