/** Half-cosine annealing from start to start + delta over d steps (k-decay: progress to the power k). */
import wgsl from '../../../shaders/primitives/cosine.wgsl';
import wgslHigh from '../../../shaders/primitives/cosine.high.wgsl';
import { definePrimitive } from './types.js';

const PI = Math.PI;

export const cosine = definePrimitive({
  name: 'cosine',
  params: ['start', 'delta', 'denominator', 'k'],
  scaled: [0, 1],
  progress: true,
  summary: 'start + (1 - (1 + cos(pi * p)) / 2) * delta, p = (x / d)^k (k = 1 but for k-decay)',
  wgsl,
  wgslHigh,
  // the shape stays in [0, 1]
  magnitude: (s) => Math.abs(s.p0) + Math.abs(s.p1),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, p3: k, shift } = s;
    if (k === 1)
      for (let i = 0; i < n; i++) out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d))) / 2) * delta;
    else
      for (let i = 0; i < n; i++)
        out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d) ** k)) / 2) * delta;
  },
});
