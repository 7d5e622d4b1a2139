/** Exponential decay or growth: start * base^(x / d) (p3 = ln(base), computed in f64 for the GPU). */
import wgsl from '../../../shaders/primitives/exponential.wgsl';
import wgslHigh from '../../../shaders/primitives/exponential.high.wgsl';
import { definePrimitive } from './types.js';

export const exponential = definePrimitive({
  name: 'exponential',
  params: ['start', 'base', 'denominator', 'ln(base)'],
  scaled: [0],
  summary: 'start * base ^ (x / d)',
  wgsl,
  wgslHigh,
  // monotone in x: largest at one end
  magnitude: ({ p0, p1, p2, xMin, xMax }) => Math.abs(p0) * Math.max(p1 ** (xMin / p2), p1 ** (xMax / p2)),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: base, p2: d } = s;
    for (let i = 0; i < n; i++) out[o + i] = start * base ** ((x0 + i) / d);
  },
});
