/** An exponential on top of a constant: start + scale * base^(x / d) (p3 = ln(base), computed in f64 for the GPU). */
import wgsl from '../../../shaders/primitives/offsetexp.wgsl';
import wgslHigh from '../../../shaders/primitives/offsetexp.high.wgsl';
import { definePrimitive } from './types.js';

export const offsetexp = definePrimitive({
  name: 'offsetexp',
  params: ['start', 'scale', 'denominator', 'ln(base)'],
  scaled: [0, 1],
  summary: 'start + scale * base ^ (x / d)',
  wgsl,
  wgslHigh,
  // monotone in x: the exponential is largest at one end
  magnitude: ({ p0, p1, p2, p3, xMin, xMax }) =>
    Math.abs(p0) + Math.abs(p1) * Math.max(Math.exp((p3 * xMin) / p2), Math.exp((p3 * xMax) / p2)),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: scale, p2: d, p3: lnBase } = s;
    for (let i = 0; i < n; i++) out[o + i] = start + scale * Math.exp(((x0 + i) / d) * lnBase);
  },
});
