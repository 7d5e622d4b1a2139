/**
 * The compiler's own values of optax's schedule functions (optax/schedules/_schedule.py) at single
 * counts: the constants a phase holds, the steps listed as tables, and the end_value clip whose
 * start the compiler searches for. Written from optax's source for the compiler, apart from the
 * oracle, so that the plan-vs-oracle tests check these too. float64, as the oracle (optax: float32).
 */
import type { CosineDecayArgs, ExponentialArgs, PolynomialArgs } from './configs.js';

/** polynomial_schedule once its count is clipped to k in [0, transition_steps]. */
export function polynomialAtClipped(c: PolynomialArgs, k: number): number {
  const remaining = 1 - k / c.transition_steps;
  return (c.init_value - c.end_value) * remaining ** c.power + c.end_value;
}

/** cosine_decay_schedule at `count` (held from decay_steps on by its minimum). */
export function cosineDecayAt(c: CosineDecayArgs, count: number): number {
  const k = Math.min(count, c.decay_steps);
  const wave = 0.5 * (1 + Math.cos((Math.PI * k) / c.decay_steps));
  return c.init_value * ((1 - c.alpha) * wave ** c.exponent + c.alpha);
}

/** exponential_decay at `count` before its end_value clip: init_value until transition_begin. */
export function exponentialUnclipped(c: ExponentialArgs, count: number): number {
  const sinceBegin = count - Math.max(0, c.transition_begin);
  if (sinceBegin <= 0) return c.init_value;
  const exponent = sinceBegin / c.transition_steps;
  return c.init_value * c.decay_rate ** (c.staircase ? Math.floor(exponent) : exponent);
}

/** The end_value clip: a floor for a decay (decay_rate < 1), a ceiling for growth. */
export function exponentialClip(c: ExponentialArgs, v: number): number {
  if (c.end_value === null) return v;
  return c.decay_rate < 1 ? Math.max(v, c.end_value) : Math.min(v, c.end_value);
}
