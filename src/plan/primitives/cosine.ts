/** Half-cosine annealing from start to start + delta over d steps (k-decay: progress to the power k). */
import wgsl from '../../../shaders/primitives/cosine.wgsl';
import wgslHigh from '../../../shaders/primitives/cosine.high.wgsl';
import { BLOCK, CosineTable, TABLE_MIN_RUN } from './fast-math.js';
import { definePrimitive } from './types.js';

const PI = Math.PI;
const table = new CosineTable();

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
    // the choice rests on the curve (d), never on the run's length: a value must not depend on tiling
    if (k === 1 && d >= TABLE_MIN_RUN && !s.exact) {
      // by angle addition: one cos/sin pair per BLOCK values; blocks aligned on x, so a value never
      // depends on where a tile starts
      const { cos, sin } = table.for(PI / d);
      for (let i = 0; i < n;) {
        const x = x0 + i;
        const j0 = x % BLOCK;
        const angle = PI * ((x - j0 + shift) / d);
        const c = Math.cos(angle);
        const s = Math.sin(angle);
        const m = Math.min(BLOCK - j0, n - i);
        const at = o + i - j0;
        for (let j = j0; j < j0 + m; j++) out[at + j] = start + (1 - (1 + (c * cos[j] - s * sin[j])) / 2) * delta;
        i += m;
      }
    } else if (k === 1)
      for (let i = 0; i < n; i++) out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d))) / 2) * delta;
    else
      for (let i = 0; i < n; i++)
        out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d) ** k)) / 2) * delta;
  },
});
