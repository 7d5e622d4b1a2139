/**
 * The compiler's own reading of timm's _get_lr past the warmup (timm/scheduler/cosine_lr.py,
 * poly_lr.py, tanh_lr.py, step_lr.py, multistep_lr.py): where each cycle starts, the values the
 * step schedulers list as tables, and the Python errors the compiler turns into refusals. Written
 * from timm's source for the compiler, apart from the oracle, so that the plan-vs-oracle tests
 * check these too.
 */
import type { CosineConfig, CycleConfig, MultiStepConfig, PolyConfig, StepConfig, TanhConfig } from './configs.js';
import { bisectRight, pyFloorDiv, pyLogBase, pyPow } from '../python.js';

/** Where timm puts t (already past the warmup prefix): cycle i, of length tI, tCurr into it. */
export interface CyclePlace {
  i: number;
  tI: number;
  tCurr: number;
}

/**
 * i = floor(log(1 - t / t_initial * (1 - m), m)) for cycle_mul m != 1 (the cycles' geometric
 * series solved for i, with math.log's f64 rounding), else t // t_initial.
 */
export function cyclePlace(tInitial: number, cycleMul: number, t: number): CyclePlace {
  if (cycleMul === 1) {
    const i = pyFloorDiv(t, tInitial);
    return { i, tI: tInitial, tCurr: t - tInitial * i };
  }
  const i = Math.floor(pyLogBase(1 - (t / tInitial) * (1 - cycleMul), cycleMul));
  const grown = cycleMul ** i;
  return { i, tI: grown * tInitial, tCurr: t - ((1 - grown) / (1 - cycleMul)) * tInitial };
}

/** t as the schedulers see it past the warmup: warmup_prefix moves the whole schedule by warmup_t. */
const sincePrefix = (c: { warmup_prefix: boolean; warmup_t: number }, t: number) =>
  c.warmup_prefix ? t - c.warmup_t : t;

/** t_curr ** k / t_i ** k as Poly writes it: ZeroDivisionError at t_curr = 0 for k < 0, OverflowError past f64. */
const kProgress = (tCurr: number, tI: number, k: number) => pyPow(tCurr, k) / pyPow(tI, k);

/**
 * Cosine's and Poly's cycle: gamma = cycle_decay ** i comes before the cycle_limit test, so its
 * overflow raises past the limit as well.
 */
function decayedCycle(c: CycleConfig, t: number, curve: (lrMax: number, place: CyclePlace) => number): number {
  const place = cyclePlace(c.t_initial, c.cycle_mul, sincePrefix(c, t));
  const gamma = pyPow(c.cycle_decay, place.i);
  return place.i < c.cycle_limit ? curve(c.base_lr * gamma, place) : c.lr_min;
}

export const cosineLr = (c: CosineConfig, t: number): number =>
  decayedCycle(c, t, (lrMax, { tI, tCurr }) => {
    // math.pi * t_curr ** k / t_i ** k: pi multiplies before the division
    const cosine = 1 + Math.cos((Math.PI * pyPow(tCurr, c.k_decay)) / pyPow(tI, c.k_decay));
    return c.lr_min + 0.5 * (lrMax - c.lr_min) * cosine;
  });

export const polyLr = (c: PolyConfig, t: number): number =>
  decayedCycle(
    c,
    t,
    (lrMax, { tI, tCurr }) => c.lr_min + (lrMax - c.lr_min) * pyPow(1 - kProgress(tCurr, tI, c.k_decay), c.power),
  );

/** Tanh tests cycle_limit first and raises cycle_decay ** i only inside it. */
export function tanhLr(c: TanhConfig, t: number): number {
  const { i, tI, tCurr } = cyclePlace(c.t_initial, c.cycle_mul, sincePrefix(c, t));
  if (!(i < c.cycle_limit)) return c.lr_min;
  const lrMax = c.base_lr * pyPow(c.cycle_decay, i);
  const tr = tCurr / tI;
  return c.lr_min + 0.5 * (lrMax - c.lr_min) * (1 - Math.tanh(c.lb * (1 - tr) + c.ub * tr));
}

/** base_lr * decay_rate ** (t // decay_t). */
export const stepLr = (c: StepConfig, t: number): number =>
  c.base_lr * pyPow(c.decay_rate, pyFloorDiv(sincePrefix(c, t), c.decay_t));

/** base_lr * decay_rate ** bisect_right(decay_t, t + 1) (get_curr_decay_steps). */
export const multiStepLr = (c: MultiStepConfig, t: number): number =>
  c.base_lr * pyPow(c.decay_rate, bisectRight(c.decay_t, sincePrefix(c, t) + 1));
