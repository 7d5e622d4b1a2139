/** One value per x, read from the levels pool (per-step tables). */
import wgsl from '../../../shaders/primitives/table.wgsl';
import wgslHigh from '../../../shaders/primitives/table.high.wgsl';
import { definePrimitive } from './types.js';

export const table = definePrimitive({
  name: 'table',
  params: [],
  levelsUsed: (count) => count,
  scaled: [],
  scalesPool: true,
  summary: 'values[x]',
  wgsl,
  wgslHigh,
  // only the entries the run reaches
  magnitude: (s) => s.levelsMax(s.xMin, Math.min(s.length, s.count - s.xMin)),
  fill(s, x0, out, o, n) {
    out.set(s.levels.subarray(s.levelsAt + x0, s.levelsAt + x0 + n), o);
  },
});
