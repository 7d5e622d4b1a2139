/**
 * The compiler's own values of HF's lr lambdas (transformers/optimization.py) for the pieces no
 * primitive draws: the phases listed as tables, the one step whose value comes from HF's own
 * arithmetic, and the Python errors the compiler turns into refusals. Written from HF's source for
 * the compiler, apart from the oracle, so that the plan-vs-oracle tests check these too.
 */
import type { InverseSqrtConfig, PolynomialConfig } from './configs.js';
import { FrameworkError, pyDiv, pyPow } from '../python.js';

/** HF's cosine factor past the warmup, min_lr_rate folded in and clamped at 0 (the clamp binds for rate < 0). */
export function cosineDecayFactor(step: number, w: number, n: number, cycles: number, rate: number): number {
  const progress = (step - w) / Math.max(1, n - w);
  const wave = 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress));
  return Math.max(0, wave * (1 - rate) + rate);
}

/**
 * _get_polynomial_decay_schedule_with_warmup_lr_lambda from num_warmup_steps on, with Python's
 * `/` and `**` (ZeroDivisionError for a zero lr_init, an empty decay or 0.0 ** negative power).
 */
export function polynomialDecayLambda(c: PolynomialConfig, step: number): number {
  const lrInit = c.base_lr;
  const n = c.num_training_steps;
  if (step > n) return pyDiv(c.lr_end, lrInit);
  const remaining = 1 - pyDiv(step - c.num_warmup_steps, n - c.num_warmup_steps);
  return pyDiv((lrInit - c.lr_end) * pyPow(remaining, c.power) + c.lr_end, lrInit);
}

/** What `1.0 / math.sqrt((step + shift) / timescale)` raises at step (the inverse sqrt past the warmup), or null. */
export function inverseSqrtRaises(c: InverseSqrtConfig, timescale: number, step: number): FrameworkError | null {
  try {
    const ratio = pyDiv(step + (timescale - c.num_warmup_steps), timescale);
    if (ratio < 0) throw new FrameworkError('ValueError', 'math domain error');
    pyDiv(1, Math.sqrt(ratio));
    return null;
  } catch (e) {
    if (e instanceof FrameworkError) return e;
    throw e;
  }
}

/**
 * _get_wsd_scheduler_lambda's warmup shape at progress step / max(1, W), before min_lr_ratio
 * (check() has admitted 'linear', 'cosine' and '1-sqrt' only).
 */
export function wsdWarmupShape(shape: string, progress: number): number {
  if (shape === 'linear') return progress;
  if (shape === 'cosine') return 0.5 * (1 - Math.cos(Math.PI * progress));
  return 1 - Math.sqrt(1 - progress);
}

/** Its decay shape at progress (step - W - S) / max(1, D), before min_lr_ratio. */
export function wsdDecayShape(shape: string, cycles: number, progress: number): number {
  if (shape === 'linear') return 1 - progress;
  if (shape === 'cosine') return 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress));
  return 1 - Math.sqrt(progress);
}

/** A shape scaled into [min_lr_ratio, 1] and clamped at 0, as both wsd phases end. */
export const wsdFactor = (shape: number, minRatio: number): number => Math.max(0, shape * (1 - minRatio) + minRatio);
