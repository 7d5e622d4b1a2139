/** Polynomial decay with k-decay: start + (1 - (x / d)^k)^power * delta, k = levels[0]. */
import wgsl from '../../../shaders/primitives/kpoly.wgsl';
import wgslHigh from '../../../shaders/primitives/kpoly.high.wgsl';
import { definePrimitive } from './types.js';

export const kpoly = definePrimitive({
  name: 'kpoly',
  params: ['start', 'delta', 'denominator', 'power'],
  levelsUsed: () => 1,
  scaled: [0, 1],
  progress: true,
  summary: 'start + (1 - (x / d)^k)^power * delta (k = levels[0])',
  wgsl,
  wgslHigh,
  // (1 - p^k)^power stays in [0, 1] for x <= d, where the compilers use it
  magnitude: (s) => Math.abs(s.p0) + Math.abs(s.p1),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, p3: power, shift } = s;
    const k = s.levels[s.levelsAt];
    for (let i = 0; i < n; i++) {
      const p = (x0 + i + shift) / d;
      out[o + i] = start + (1 - (k === 0.5 ? Math.sqrt(p) : p ** k)) ** power * delta;
    }
  },
});
