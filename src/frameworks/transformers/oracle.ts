/**
 * Oracle for HF transformers' schedules: the lr_lambda of each `get_*_schedule*` function, ported
 * line by line (transformers/optimization.py), times base_lr as LambdaLR gives it after `step`
 * calls of scheduler.step(). Python's float semantics where they raise (pyDiv, pyPow, math.sqrt).
 */
import {
  inverseSqrtTimescale,
  minLrRate,
  wsdStable,
  type ConstantWarmupConfig,
  type CosineConfig,
  type CosineMinLrConfig,
  type HardRestartsConfig,
  type HfBase,
  type InverseSqrtConfig,
  type LinearConfig,
  type PolynomialConfig,
  type WsdConfig,
} from './configs.js';
import { FrameworkError, pyDiv, pyPow } from '../python.js';

/** The warmup every lambda opens with: float(step) / float(max(1, num_warmup_steps)). */
export function warmupFactor(step: number, warmup: number): number {
  return step / Math.max(1, warmup);
}

/** Python's math.sqrt: ValueError below 0. */
function pySqrt(x: number): number {
  if (x < 0) throw new FrameworkError('ValueError', 'math domain error');
  return Math.sqrt(x);
}

export const constantValue = (c: HfBase): number => c.base_lr * 1;

export function constantWarmupValue(c: ConstantWarmupConfig, step: number): number {
  return c.base_lr * (step < c.num_warmup_steps ? warmupFactor(step, c.num_warmup_steps) : 1);
}

export function linearValue(c: LinearConfig, step: number): number {
  const { num_warmup_steps: w, num_training_steps: n } = c;
  if (step < w) return c.base_lr * warmupFactor(step, w);
  return c.base_lr * Math.max(0, (n - step) / Math.max(1, n - w));
}

/**
 * _get_cosine_schedule_with_warmup_lr_lambda. HF defines this name twice; the second definition
 * (with min_lr_rate, default 0) is the one every caller gets, and with rate 0 it is the first.
 */
export function cosineFactor(step: number, w: number, n: number, cycles: number, rate: number): number {
  if (step < w) return warmupFactor(step, w);
  const progress = (step - w) / Math.max(1, n - w);
  let factor = 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress));
  factor = factor * (1 - rate) + rate;
  return Math.max(0, factor);
}

export function cosineValue(c: CosineConfig, step: number): number {
  return c.base_lr * cosineFactor(step, c.num_warmup_steps, c.num_training_steps, c.num_cycles, 0);
}

export function cosineMinLrValue(c: CosineMinLrConfig, step: number): number {
  return c.base_lr * cosineFactor(step, c.num_warmup_steps, c.num_training_steps, c.num_cycles, minLrRate(c));
}

/** Python's float `%` by 1.0: the result takes the sign of the divisor. */
function pyModOne(x: number): number {
  const m = x % 1;
  return m !== 0 && m < 0 ? m + 1 : m;
}

export function hardRestartsValue(c: HardRestartsConfig, step: number): number {
  const { num_warmup_steps: w, num_training_steps: n } = c;
  if (step < w) return c.base_lr * warmupFactor(step, w);
  const progress = (step - w) / Math.max(1, n - w);
  if (progress >= 1) return c.base_lr * 0;
  return c.base_lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * pyModOne(c.num_cycles * progress))));
}

export function polynomialValue(c: PolynomialConfig, step: number): number {
  const { num_warmup_steps: w, num_training_steps: n, lr_end: end, power } = c;
  const init = c.base_lr;
  if (step < w) return c.base_lr * warmupFactor(step, w);
  if (step > n) return c.base_lr * pyDiv(end, init);
  const range = init - end;
  const decaySteps = n - w;
  const remaining = 1 - pyDiv(step - w, decaySteps);
  const decay = range * pyPow(remaining, power) + end;
  return c.base_lr * pyDiv(decay, init);
}

export function inverseSqrtValue(c: InverseSqrtConfig, step: number): number {
  const w = c.num_warmup_steps;
  if (step < w) return c.base_lr * warmupFactor(step, w);
  const timescale = inverseSqrtTimescale(c);
  const shift = timescale - w;
  return c.base_lr * pyDiv(1, pySqrt(pyDiv(step + shift, timescale)));
}

/** _get_wsd_scheduler_lambda. */
export function wsdValue(c: WsdConfig, step: number): number {
  const w = c.num_warmup_steps;
  const stable = wsdStable(c);
  const decay = c.num_decay_steps;
  const m = c.min_lr_ratio;
  if (step < w) {
    const progress = step / Math.max(1, w);
    let factor: number;
    if (c.warmup_type === 'linear') factor = progress;
    else if (c.warmup_type === 'cosine') factor = 0.5 * (1 - Math.cos(Math.PI * progress));
    else factor = 1 - Math.sqrt(1 - progress);
    factor = factor * (1 - m) + m;
    return c.base_lr * Math.max(0, factor);
  }
  if (step < w + stable) return c.base_lr * 1;
  if (step < w + stable + decay) {
    const progress = (step - w - stable) / Math.max(1, decay);
    let factor: number;
    if (c.decay_type === 'linear') factor = 1 - progress;
    else if (c.decay_type === 'cosine') factor = 0.5 * (1 + Math.cos(Math.PI * c.num_cycles * 2 * progress));
    else factor = 1 - Math.sqrt(progress);
    factor = factor * (1 - m) + m;
    return c.base_lr * Math.max(0, factor);
  }
  return c.base_lr * m;
}
