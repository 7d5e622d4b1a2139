/** A staircase: levels[number of breaks <= x], with breaks computed exactly on the CPU. */
import wgsl from '../../../shaders/primitives/levels.wgsl';
import wgslHigh from '../../../shaders/primitives/levels.high.wgsl';
import { upperBound } from './search.js';
import { definePrimitive } from './types.js';

export const levels = definePrimitive({
  name: 'levels',
  params: [],
  // count = number of breaks; one more level than breaks
  count: (_levels, breaks) => breaks,
  levelsUsed: (count) => count + 1,
  breaksUsed: (count) => count,
  scaled: [],
  scalesPool: true,
  summary: 'levels[number of breaks <= x]',
  wgsl,
  wgslHigh,
  magnitude: (s) => s.levelsMax(0, s.count + 1),
  fill(s, x0, out, o, n) {
    const { breaks, breaksAt, count, levels, levelsAt } = s;
    let k = upperBound(breaks, breaksAt, count, x0);
    let next = k < count ? breaks[breaksAt + k] : Infinity;
    for (let i = 0; i < n;) {
      const x = x0 + i;
      while (x >= next) {
        k++;
        next = k < count ? breaks[breaksAt + k] : Infinity;
      }
      // fill the whole run of this level at once
      const runEnd = Math.min(n, next === Infinity ? n : next - x0);
      out.fill(levels[levelsAt + k], o + i, o + runEnd);
      i = runEnd;
    }
  },
});
