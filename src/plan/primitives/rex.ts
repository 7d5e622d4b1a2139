/** The REX curve (pytorch_optimizer's REXScheduler): start + delta * (1 - p) / (1 - p / 2), p = x / d. */
import wgsl from '../../../shaders/primitives/rex.wgsl';
import wgslHigh from '../../../shaders/primitives/rex.high.wgsl';
import { definePrimitive } from './types.js';

export const rex = definePrimitive({
  name: 'rex',
  params: ['start', 'delta', 'denominator'],
  scaled: [0, 1],
  progress: true,
  summary: 'start + delta * (1 - p) / (1 - p / 2), p = x / d',
  wgsl,
  wgslHigh,
  // the shape falls from 1 at p = 0 to 0 at p = 1, where the compilers use it
  magnitude: (s) => Math.abs(s.p0) + Math.abs(s.p1),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, shift } = s;
    for (let i = 0; i < n; i++) {
      const p = (x0 + i + shift) / d;
      out[o + i] = start + delta * ((1.0 - p) / (1.0 - p / 2.0));
    }
  },
});
