/** A law's predicted loss at chosen steps of one lr curve, from a params object as `fit` writes it. */
import { readParams } from './registry.js';

export function predictCurve(params: unknown, lr: Float64Array, at: ArrayLike<number>): Float64Array {
  const { law, theta } = readParams(params);
  const curve = { lr, at: Int32Array.from(at) };
  return law.evaluate(theta, law.prepare(curve), false).pred;
}
