/** Options shared by several commands. */
import { SpecError } from '../errors.js';

/** --precision: the webgpu backend's arithmetic (the cpu backend is always f64). */
export function precisionOption(raw: unknown): 'standard' | 'high' | undefined {
  if (raw === undefined || raw === 'standard' || raw === 'high') return raw;
  throw new SpecError('--precision', 'must be standard (f32 on the GPU) or high (double-float, float64 out)', raw);
}
