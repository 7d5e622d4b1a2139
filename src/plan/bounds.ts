/**
 * An upper bound on |value| over a plan, from each segment's parameters and the x it can reach.
 * The f32 backends refuse plans whose values would not fit in float32 instead of writing infinities.
 */
import type { Plan } from './compile.js';
import { PRIMITIVES } from './primitives.js';

export const F32_MAX = 3.4028234663852886e38;

export function planMagnitude(plan: Plan): number {
  let bound = 0;
  for (let r = 0; r < plan.rows; r++) {
    // a row is the product of its tracks
    let row = 1;
    for (let track = plan.rowTracks[r]; track < plan.rowTracks[r + 1]; track++) {
      let m = 0;
      const last = plan.trackSegments[track + 1];
      for (let k = plan.trackSegments[track]; k < last; k++) {
        const length = (k + 1 < last ? plan.segStart[k + 1] : plan.steps) - plan.segStart[k];
        // NaN pads ragged sweep rows past their end: not a magnitude
        const magnitude = segmentMagnitude(plan, k, length);
        if (!Number.isNaN(magnitude)) m = Math.max(m, magnitude);
      }
      row *= m;
    }
    bound = Math.max(bound, row);
  }
  return bound;
}

function segmentMagnitude(plan: Plan, k: number, length: number): number {
  const [p0, p1, p2, p3] = plan.segParams.subarray(k * 4, k * 4 + 4);
  const xMin = plan.segOffset[k];
  const xMax = xMin + length - 1;
  // what progress curves divide by d (x + shift; the table reads integer x)
  const [uMin, uMax] = [xMin + plan.segShift[k], xMax + plan.segShift[k]];
  const pool = (from: number, n: number) => {
    let m = 0;
    for (let i = from; i < from + n; i++) m = Math.max(m, Math.abs(plan.levels[i]));
    return m;
  };
  switch (PRIMITIVES[plan.segPrim[k]].name) {
    case 'constant':
      return Math.abs(p0);
    case 'linear': // start, delta, d
      return Math.abs(p0) + (Math.abs(p1) * Math.max(Math.abs(uMin), Math.abs(uMax))) / p2;
    case 'cosine': // start, delta
      return Math.abs(p0) + Math.abs(p1);
    case 'polynomial': {
      // start, delta, d, power: 1 - (1 - p)^power is monotone between p = 0, p = 1 and the ends,
      // so check the integer x next to each
      const xs = [uMin, uMax, p2 - 1, p2, p2 + 1].filter((x) => x >= uMin && x <= uMax);
      const shape = Math.max(...xs.map((x) => Math.abs(1 - (1 - x / p2) ** p3)).filter((v) => !Number.isNaN(v)));
      return Math.abs(p0) + Math.abs(p1) * shape;
    }
    case 'exponential': // start, base, d
      return Math.abs(p0) * Math.max(p1 ** (xMin / p2), p1 ** (xMax / p2));
    case 'kpoly': // start, delta: (1 - p^k)^power stays in [0, 1] for x <= d, where the compilers use it
    case 'tanh': // start, delta: 1 / (1 + exp(2z)) is in (0, 1)
      return Math.abs(p0) + Math.abs(p1);
    case 'reciprocal': {
      // start, slope, d: the denominator is linear in x, smallest at one end
      const smallest = Math.min(1 + (uMin / p2) * p1, 1 + (uMax / p2) * p1);
      return smallest > 0 ? Math.abs(p0) / Math.min(1, smallest) : Infinity;
    }
    case 'rampexp': // start, slope, root, c: |x - root| and exp(c x) are largest at an end
      return (
        Math.abs(p0) +
        Math.abs(p1) *
          Math.max(Math.abs(xMin - p2), Math.abs(xMax - p2)) *
          Math.max(Math.exp(p3 * xMin), Math.exp(p3 * xMax))
      );
    case 'noise': // |noise| < threshold * 2^-24 (breaks: seed, threshold)
      return 1 + plan.breaks[plan.segBreaksAt[k] + 1] * 2 ** -24;
    case 'pulses': // value when firing, value otherwise
      return Math.max(Math.abs(p0), Math.abs(p1));
    case 'levels':
      return pool(plan.segLevelsAt[k], plan.segCount[k] + 1);
    case 'table':
      return pool(plan.segLevelsAt[k] + xMin, Math.min(length, plan.segCount[k] - xMin));
  }
}
