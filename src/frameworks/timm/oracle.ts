/**
 * Oracle for timm.scheduler: the lr after scheduler.step(t), i.e. _get_lr(t) on an optimizer whose
 * lr is base_lr, times (1 + noise) inside noise_range_t. The noise is schedgpu's counter-based draw
 * (see the 'noise' primitive), not torch's generator.
 */
import {
  tmq,
  type CycleConfig,
  type MultiStepConfig,
  type PolyConfig,
  type StepConfig,
  type TanhConfig,
  type TimmConfig,
  type CosineConfig,
} from './configs.js';
import { noiseThreshold, noiseValue } from '../noise.js';
import { bisectRight, pyFloorDiv, pyLogBase, pyPow } from '../python.js';

/** (cycle index, t_i, t_curr) of t past the warmup, as timm computes them. */
export function timmCycle(c: CycleConfig, t: number): { i: number; ti: number; tcurr: number } {
  const m = c.cycle_mul;
  if (m !== 1) {
    const i = Math.floor(pyLogBase(1 - (t / c.t_initial) * (1 - m), m));
    return { i, ti: m ** i * c.t_initial, tcurr: t - ((1 - m ** i) / (1 - m)) * c.t_initial };
  }
  const i = pyFloorDiv(t, c.t_initial);
  return { i, ti: c.t_initial, tcurr: t - c.t_initial * i };
}

function cycleShape(c: CycleConfig, lrMax: number, ti: number, tcurr: number): number {
  const lo = c.lr_min;
  if (c.kind === tmq('TanhLRScheduler')) {
    const { lb, ub } = c as TanhConfig;
    const tr = tcurr / ti;
    return lo + 0.5 * (lrMax - lo) * (1 - Math.tanh(lb * (1 - tr) + ub * tr));
  }
  const k = (c as CosineConfig).k_decay;
  const p = pyPow(tcurr, k) / pyPow(ti, k);
  if (c.kind === tmq('CosineLRScheduler')) return lo + 0.5 * (lrMax - lo) * (1 + Math.cos(Math.PI * p));
  return lo + (lrMax - lo) * pyPow(1 - p, (c as PolyConfig).power);
}

/**
 * _get_lr(t) without the warmup branch (Tanh's warmup aims at this value at warmup_t). Cosine and
 * Poly raise cycle_decay ** i before the cycle_limit test (OverflowError past the limit too), Tanh
 * inside it.
 */
export function cycleValue(c: CycleConfig, t: number): number {
  const { i, ti, tcurr } = timmCycle(c, c.warmup_prefix ? t - c.warmup_t : t);
  const gammaFirst = c.kind !== tmq('TanhLRScheduler') ? pyPow(c.cycle_decay, i) : undefined;
  if (i < c.cycle_limit) return cycleShape(c, c.base_lr * (gammaFirst ?? pyPow(c.cycle_decay, i)), ti, tcurr);
  return c.lr_min;
}

/** The per-step warmup increment: toward base_lr, or for Tanh without prefix toward _get_lr(warmup_t). */
export function timmWarmupStep(c: TimmConfig): number {
  const target =
    c.kind === tmq('TanhLRScheduler') && !c.warmup_prefix ? cycleValue(c as TanhConfig, c.warmup_t) : c.base_lr;
  return (target - c.warmup_lr_init) / c.warmup_t;
}

/** bisect_right(decay_t, t + 1): timm's MultiStep decays one step early (a binary search even on an unsorted list). */
export function multiStepCount(decay: readonly number[], t: number): number {
  return bisectRight(decay, t + 1);
}

export function timmLr(c: TimmConfig, t: number): number {
  if (t < c.warmup_t) return c.warmup_lr_init + t * timmWarmupStep(c);
  switch (c.kind) {
    case tmq('StepLRScheduler'): {
      const s = c as StepConfig;
      const x = s.warmup_prefix ? t - s.warmup_t : t;
      return s.base_lr * pyPow(s.decay_rate, pyFloorDiv(x, s.decay_t));
    }
    case tmq('MultiStepLRScheduler'): {
      const s = c as MultiStepConfig;
      const x = s.warmup_prefix ? t - s.warmup_t : t;
      return s.base_lr * pyPow(s.decay_rate, multiStepCount(s.decay_t, x));
    }
  }
  return cycleValue(c as CycleConfig, t);
}

/** Whether timm adds noise at t: r0 <= t < r1 for a pair, t >= r for a number. */
export function noiseApplies(c: TimmConfig, t: number): boolean {
  const r = c.noise_range_t;
  if (r === null) return false;
  return Array.isArray(r) ? r[0] <= t && t < r[1] : t >= r;
}

export function timmNoise(c: TimmConfig, t: number): number {
  const seed = c.noise_seed >>> 0;
  return noiseValue(seed, t, noiseThreshold(c.noise_pct));
}

export function timmValue(c: TimmConfig, t: number): number {
  const v = timmLr(c, t);
  return noiseApplies(c, t) ? v + v * timmNoise(c, t) : v;
}
