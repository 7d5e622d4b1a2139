/** Polynomial decay: start + (1 - (1 - x / d)^power) * delta. */
import wgsl from '../../../shaders/primitives/polynomial.wgsl';
import wgslHigh from '../../../shaders/primitives/polynomial.high.wgsl';
import { intPow, MAX_INT_POW } from './fast-math.js';
import { definePrimitive } from './types.js';

export const polynomial = definePrimitive({
  name: 'polynomial',
  params: ['start', 'delta', 'denominator', 'power'],
  scaled: [0, 1],
  progress: true,
  summary: 'start + (1 - (1 - x / d) ^ power) * delta',
  wgsl,
  wgslHigh,
  magnitude({ p0, p1, p2, p3, uMin, uMax }) {
    // 1 - (1 - p)^power is monotone between p = 0, p = 1 and the ends, so check the integer x next to each
    const xs = [uMin, uMax, p2 - 1, p2, p2 + 1].filter((x) => x >= uMin && x <= uMax);
    const shape = Math.max(...xs.map((x) => Math.abs(1 - (1 - x / p2) ** p3)).filter((v) => !Number.isNaN(v)));
    return Math.abs(p0) + Math.abs(p1) * shape;
  },
  fill(s, x0, out, o, n) {
    const { p0: start, p1: delta, p2: d, p3: power, shift } = s;
    // V8's ** with a variable exponent is 5-40 ns: whole powers multiply (intPow), half-integer
    // powers add a sqrt, others use exp(p log b) (each within a few ulps of pow)
    const whole = Math.floor(power);
    if (s.exact) for (let i = 0; i < n; i++) out[o + i] = start + (1 - (1 - (x0 + i + shift) / d) ** power) * delta;
    else if (Number.isInteger(power) && power >= 0 && power <= MAX_INT_POW)
      for (let i = 0; i < n; i++) out[o + i] = start + (1 - intPow(1 - (x0 + i + shift) / d, power)) * delta;
    else if (power - whole === 0.5 && whole >= 0 && whole <= MAX_INT_POW)
      for (let i = 0; i < n; i++) {
        const b = 1 - (x0 + i + shift) / d;
        // below 0 (past the end) the sqrt is NaN, as pow's is; no branch in the loop
        out[o + i] = start + (1 - intPow(b, whole) * Math.sqrt(b)) * delta;
      }
    else
      for (let i = 0; i < n; i++) {
        const b = 1 - (x0 + i + shift) / d;
        out[o + i] = start + (1 - (b > 0 ? Math.exp(power * Math.log(b)) : b ** power)) * delta;
      }
  },
});
