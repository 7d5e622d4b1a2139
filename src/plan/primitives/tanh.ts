/** timm's tanh annealing: start + delta / (1 + exp(2 z)), z from lb to ub = levels[0] over d steps. */
import wgsl from '../../../shaders/primitives/tanh.wgsl';
import wgslHigh from '../../../shaders/primitives/tanh.high.wgsl';
import { definePrimitive } from './types.js';

export const tanh = definePrimitive({
  name: 'tanh',
  params: ['start', 'delta', 'denominator', 'lb'],
  levelsUsed: () => 1,
  scaled: [0, 1],
  progress: true,
  summary: 'start + delta / (1 + exp(2 z)), z = lb (1 - x / d) + ub x / d (ub = levels[0])',
  wgsl,
  wgslHigh,
  // 1 / (1 + exp(2z)) is in (0, 1)
  magnitude: (s) => Math.abs(s.p0) + Math.abs(s.p1),
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, p3: lb, shift } = s;
    const ub = s.levels[s.levelsAt];
    for (let i = 0; i < n; i++) {
      const p = (x0 + i + shift) / d;
      out[o + i] = start + delta / (1 + Math.exp(2 * (lb * (1 - p) + ub * p)));
    }
  },
});
