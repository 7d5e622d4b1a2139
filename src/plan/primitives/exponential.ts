/** Exponential decay or growth: start * base^(x / d) (p3 = ln(base), computed in f64 for the GPU). */
import wgsl from '../../../shaders/primitives/exponential.wgsl';
import wgslHigh from '../../../shaders/primitives/exponential.high.wgsl';
import { BLOCK, RatioTable } from './fast-math.js';
import { definePrimitive } from './types.js';

const table = new RatioTable();

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
    if (s.exact) {
      for (let i = 0; i < n; i++) out[o + i] = start * base ** ((x0 + i) / d);
      return;
    }
    // base^((x + j) / d) = base^(x / d) * base^(j / d): one pow per BLOCK values, blocks aligned on
    // x so that a value never depends on where a tile starts
    const { ratio } = table.for(base, d);
    for (let i = 0; i < n;) {
      const x = x0 + i;
      const j0 = x % BLOCK;
      const head = start * base ** ((x - j0) / d);
      const m = Math.min(BLOCK - j0, n - i);
      const at = o + i - j0;
      for (let j = j0; j < j0 + m; j++) out[at + j] = head * ratio[j];
      i += m;
    }
  },
});
