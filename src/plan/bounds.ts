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

/** The segment's primitive bounds it from what the segment reaches of x and of the pools. */
function segmentMagnitude(plan: Plan, k: number, length: number): number {
  const xMin = plan.segOffset[k];
  const xMax = xMin + length - 1;
  const levelsAt = plan.segLevelsAt[k];
  const breaksAt = plan.segBreaksAt[k];
  return PRIMITIVES[plan.segPrim[k]].magnitude({
    p0: plan.segParams[k * 4],
    p1: plan.segParams[k * 4 + 1],
    p2: plan.segParams[k * 4 + 2],
    p3: plan.segParams[k * 4 + 3],
    xMin,
    xMax,
    uMin: xMin + plan.segShift[k],
    uMax: xMax + plan.segShift[k],
    length,
    count: plan.segCount[k],
    levelsMax(from, n) {
      let m = 0;
      for (let i = levelsAt + from; i < levelsAt + from + n; i++) m = Math.max(m, Math.abs(plan.levels[i]));
      return m;
    },
    breakAt: (i) => plan.breaks[breaksAt + i],
  });
}
