/** p0 at every step. */
import wgsl from '../../../shaders/primitives/constant.wgsl';
import wgslHigh from '../../../shaders/primitives/constant.high.wgsl';
import { definePrimitive } from './types.js';

export const constant = definePrimitive({
  name: 'constant',
  params: ['value'],
  scaled: [0],
  summary: 'p0',
  wgsl,
  wgslHigh,
  magnitude: (s) => Math.abs(s.p0),
  fill(s, _x0, out, o, n) {
    out.fill(s.p0, o, o + n);
  },
});
