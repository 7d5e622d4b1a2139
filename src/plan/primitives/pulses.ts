/** Periodic triggers: p0 where x mod period is a firing residue, else p1. */
import wgsl from '../../../shaders/primitives/pulses.wgsl';
import wgslHigh from '../../../shaders/primitives/pulses.high.wgsl';
import { lowerBound } from './search.js';
import { definePrimitive } from './types.js';

export const pulses = definePrimitive({
  name: 'pulses',
  params: ['value when firing', 'value otherwise'],
  // breaks: the period, then `count` residues
  count: (_levels, breaks) => Math.max(0, breaks - 1),
  breaksUsed: (count) => count + 1,
  scaled: [0, 1],
  summary: 'p0 where x mod period is a firing residue, else p1 (breaks: period, then the residues)',
  wgsl,
  wgslHigh,
  magnitude: (s) => Math.max(Math.abs(s.p0), Math.abs(s.p1)),
  fill(s, x0, out, o, n) {
    const { breaks, breaksAt, count, p0: on, p1: off } = s;
    const period = breaks[breaksAt];
    const first = breaksAt + 1;
    // walk x and the sorted residues together, wrapping both at the period
    let r = x0 % period;
    let k = lowerBound(breaks, first, count, r);
    for (let i = 0; i < n; i++) {
      if (k < count && breaks[first + k] === r) {
        out[o + i] = on;
        k++;
      } else out[o + i] = off;
      if (++r === period) {
        r = 0;
        k = 0;
      }
    }
  },
});
