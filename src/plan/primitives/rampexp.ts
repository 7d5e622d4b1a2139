/** A ramp times an exponential (torch CyclicLR's exp_range): start + slope (x - root) exp(c x). */
import wgsl from '../../../shaders/primitives/rampexp.wgsl';
import wgslHigh from '../../../shaders/primitives/rampexp.high.wgsl';
import { definePrimitive } from './types.js';

export const rampexp = definePrimitive({
  name: 'rampexp',
  params: ['start', 'slope', 'root', 'c'],
  scaled: [0, 1],
  summary: 'start + slope (x - root) exp(c x)',
  wgsl,
  wgslHigh,
  // |x - root| and exp(c x) are largest at an end
  magnitude: ({ p0, p1, p2, p3, xMin, xMax }) =>
    Math.abs(p0) +
    Math.abs(p1) *
      Math.max(Math.abs(xMin - p2), Math.abs(xMax - p2)) *
      Math.max(Math.exp(p3 * xMin), Math.exp(p3 * xMax)),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: slope, p2: root, p3: c } = s;
    for (let i = 0; i < n; i++) {
      const x = x0 + i;
      out[o + i] = start + slope * (x - root) * Math.exp(c * x);
    }
  },
});
