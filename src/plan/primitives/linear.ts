/** A straight line from start, delta per d steps. */
import wgsl from '../../../shaders/primitives/linear.wgsl';
import wgslHigh from '../../../shaders/primitives/linear.high.wgsl';
import { definePrimitive } from './types.js';

export const linear = definePrimitive({
  name: 'linear',
  params: ['start', 'delta', 'denominator'],
  scaled: [0, 1],
  progress: true,
  summary: 'start + (x / d) * delta',
  wgsl,
  wgslHigh,
  // largest at the end of the run farthest from x = 0
  magnitude: (s) => Math.abs(s.p0) + (Math.abs(s.p1) * Math.max(Math.abs(s.uMin), Math.abs(s.uMax))) / s.p2,
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, shift } = s;
    for (let i = 0; i < n; i++) out[o + i] = start + ((x0 + i + shift) / d) * delta;
  },
});
