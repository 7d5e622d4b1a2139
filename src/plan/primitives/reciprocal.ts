/** Inverse-time decay: start / (1 + (x / d) * slope). */
import wgsl from '../../../shaders/primitives/reciprocal.wgsl';
import wgslHigh from '../../../shaders/primitives/reciprocal.high.wgsl';
import { definePrimitive } from './types.js';

export const reciprocal = definePrimitive({
  name: 'reciprocal',
  params: ['start', 'slope', 'denominator'],
  scaled: [0],
  progress: true,
  summary: 'start / (1 + (x / d) * slope)',
  wgsl,
  wgslHigh,
  magnitude({ p0, p1, p2, uMin, uMax }) {
    // the denominator is linear in x, smallest at one end
    const smallest = Math.min(1 + (uMin / p2) * p1, 1 + (uMax / p2) * p1);
    return smallest > 0 ? Math.abs(p0) / Math.min(1, smallest) : Infinity;
  },
  fill(s, x0, out, o, n) {
    const { p0: start, p1: slope, p2: d, shift } = s;
    for (let i = 0; i < n; i++) out[o + i] = start / (1 + ((x0 + i + shift) / d) * slope);
  },
});
