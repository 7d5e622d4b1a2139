/**
 * Oracle for timm.scheduler: the lr after scheduler.step(t), i.e. _get_lr(t) on an optimizer whose
 * lr is base_lr, times (1 + noise) inside noise_range_t. The noise is schedgpu's counter-based draw
 * (see the 'noise' primitive), not torch's generator. One value function per scheduler class.
 */
import type {
  CosineConfig,
  CycleConfig,
  MultiStepConfig,
  PolyConfig,
  StepConfig,
  TanhConfig,
  TimmConfig,
} from './configs.js';
import { noiseThreshold, noiseValue } from '../noise.js';
import { bisectRight, pyFloorDiv, pyLogBase, pyPow } from '../python.js';

/** (cycle index, t_i, t_curr) of t past the warmup, as timm computes them. */
function timmCycle(c: CycleConfig, t: number): { i: number; ti: number; tcurr: number } {
  const m = c.cycle_mul;
  if (m !== 1) {
    const i = Math.floor(pyLogBase(1 - (t / c.t_initial) * (1 - m), m));
    return { i, ti: m ** i * c.t_initial, tcurr: t - ((1 - m ** i) / (1 - m)) * c.t_initial };
  }
  const i = pyFloorDiv(t, c.t_initial);
  return { i, ti: c.t_initial, tcurr: t - c.t_initial * i };
}

/** A cycle's curve from lrMax down to lr_min at t_curr of t_i. */
type CycleShape<C> = (c: C, lrMax: number, ti: number, tcurr: number) => number;

const cosineShape: CycleShape<CosineConfig> = (c, lrMax, ti, tcurr) => {
  const p = pyPow(tcurr, c.k_decay) / pyPow(ti, c.k_decay);
  return c.lr_min + 0.5 * (lrMax - c.lr_min) * (1 + Math.cos(Math.PI * p));
};

const polyShape: CycleShape<PolyConfig> = (c, lrMax, ti, tcurr) => {
  const p = pyPow(tcurr, c.k_decay) / pyPow(ti, c.k_decay);
  return c.lr_min + (lrMax - c.lr_min) * pyPow(1 - p, c.power);
};

const tanhShape: CycleShape<TanhConfig> = (c, lrMax, ti, tcurr) => {
  const tr = tcurr / ti;
  return c.lr_min + 0.5 * (lrMax - c.lr_min) * (1 - Math.tanh(c.lb * (1 - tr) + c.ub * tr));
};

/**
 * _get_lr(t) without the warmup branch. Cosine and Poly raise cycle_decay ** i before the
 * cycle_limit test (OverflowError past the limit too), Tanh inside it.
 */
function cycleValue<C extends CycleConfig>(c: C, t: number, shape: CycleShape<C>, decayBeforeLimit: boolean): number {
  const { i, ti, tcurr } = timmCycle(c, c.warmup_prefix ? t - c.warmup_t : t);
  const gammaFirst = decayBeforeLimit ? pyPow(c.cycle_decay, i) : undefined;
  if (i < c.cycle_limit) return shape(c, c.base_lr * (gammaFirst ?? pyPow(c.cycle_decay, i)), ti, tcurr);
  return c.lr_min;
}

/** TanhLRScheduler's _get_lr(t) past the warmup: its constructor aims the warmup at t = warmup_t. */
export const tanhCycleValue = (c: TanhConfig, t: number): number => cycleValue(c, t, tanhShape, false);

/** Whether timm adds noise at t: r0 <= t < r1 for a pair, t >= r for a number. */
function noiseApplies(c: TimmConfig, t: number): boolean {
  const r = c.noise_range_t;
  if (r === null) return false;
  return Array.isArray(r) ? r[0] <= t && t < r[1] : t >= r;
}

/**
 * The lr after scheduler.step(t): the warmup toward `target()` (warmup_lr_init plus t times the
 * per-step increment) before warmup_t, else `after(t)`; times 1 + noise inside noise_range_t.
 */
function stepped(c: TimmConfig, t: number, target: () => number, after: (t: number) => number): number {
  const v = t < c.warmup_t ? c.warmup_lr_init + t * ((target() - c.warmup_lr_init) / c.warmup_t) : after(t);
  if (!noiseApplies(c, t)) return v;
  return v + v * noiseValue(c.noise_seed >>> 0, t, noiseThreshold(c.noise_pct));
}

/** The prefix-shifted t the step schedulers count from. */
const pastWarmup = (c: StepConfig | MultiStepConfig, t: number) => (c.warmup_prefix ? t - c.warmup_t : t);

export function cosineValue(c: CosineConfig, t: number): number {
  return stepped(
    c,
    t,
    () => c.base_lr,
    (x) => cycleValue(c, x, cosineShape, true),
  );
}

export function polyValue(c: PolyConfig, t: number): number {
  return stepped(
    c,
    t,
    () => c.base_lr,
    (x) => cycleValue(c, x, polyShape, true),
  );
}

/** Without warmup_prefix, Tanh's warmup rises toward _get_lr(warmup_t), not base_lr. */
export function tanhValue(c: TanhConfig, t: number): number {
  const target = () => (c.warmup_prefix ? c.base_lr : tanhCycleValue(c, c.warmup_t));
  return stepped(c, t, target, (x) => tanhCycleValue(c, x));
}

/** base_lr * decay_rate ** (t // decay_t). */
export function stepValue(c: StepConfig, t: number): number {
  const after = (x: number) => c.base_lr * pyPow(c.decay_rate, pyFloorDiv(pastWarmup(c, x), c.decay_t));
  return stepped(c, t, () => c.base_lr, after);
}

/** bisect_right(decay_t, t + 1): timm's MultiStep decays one step early (a binary search even on an unsorted list). */
export function multiStepValue(c: MultiStepConfig, t: number): number {
  const after = (x: number) => c.base_lr * pyPow(c.decay_rate, bisectRight(c.decay_t, pastWarmup(c, x) + 1));
  return stepped(c, t, () => c.base_lr, after);
}
