/**
 * Oracle for optax's schedules (optax/schedules/_schedule.py, _join.py), ported as optax writes
 * them: each constructor returns a function of the step count. optax computes in JAX's float32 by
 * default; this port computes in float64 (the kinds say so as their divergence).
 */
import {
  cosineOnecycleScales,
  sgdrBoundaries,
  warmupCosineParts,
  warmupExponentialParts,
  linearOnecycleScales,
  sortedScales,
  type CosineDecayArgs,
  type CosineOnecycleArgs,
  type ExponentialArgs,
  type JoinConfig,
  type LinearArgs,
  type LinearOnecycleArgs,
  type PiecewiseConstantArgs,
  type PiecewiseInterpolateArgs,
  type PolynomialArgs,
  type SgdrConfig,
  type WarmupConstantArgs,
  type WarmupCosineArgs,
  type WarmupExponentialArgs,
} from './configs.js';
import type { ValueAt } from '../types.js';

export type Schedule = (count: number) => number;

const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

export function polynomial(c: PolynomialArgs): Schedule {
  const { init_value: init, end_value: end, power, transition_steps: steps } = c;
  if (steps <= 0) return () => init;
  const begin = Math.max(0, c.transition_begin);
  return (count) => {
    const k = clip(count - begin, 0, steps);
    const frac = 1 - k / steps;
    return (init - end) * frac ** power + end;
  };
}

export const linear = (c: LinearArgs): Schedule => polynomial({ ...c, power: 1 });

export function cosineDecay(c: CosineDecayArgs): Schedule {
  const { init_value: init, decay_steps: steps, alpha, exponent } = c;
  return (count) => {
    const k = Math.min(count, steps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * k) / steps));
    const decayed = (1 - alpha) * cosine ** exponent + alpha;
    return init * decayed;
  };
}

/** exponential_decay before its end_value clip (the clip is applied by exponentialDecay). */
export function exponentialRaw(c: Omit<ExponentialArgs, 'end_value'>): Schedule {
  const { init_value: init, transition_steps: steps, decay_rate: rate, staircase } = c;
  const begin = Math.max(0, c.transition_begin);
  return (count) => {
    const decreased = count - begin;
    let p = decreased / steps;
    if (staircase) p = Math.floor(p);
    return decreased <= 0 ? init : init * rate ** p;
  };
}

export function exponentialDecay(c: ExponentialArgs): Schedule {
  if (c.transition_steps <= 0 || c.decay_rate === 0) return () => c.init_value;
  const raw = exponentialRaw(c);
  const end = c.end_value;
  if (end === null) return raw;
  // end_value is a floor for a decay (rate < 1) and a ceiling for growth
  return c.decay_rate < 1 ? (count) => Math.max(raw(count), end) : (count) => Math.min(raw(count), end);
}

export function piecewiseConstant(c: PiecewiseConstantArgs): Schedule {
  const pairs = sortedScales(c.boundaries_and_scales);
  return (count) => {
    let v = c.init_value;
    for (const [threshold, scale] of pairs) {
      // indicator = max(0, sign(threshold - count)): the scale applies from count == threshold on
      const indicator = Math.max(0, Math.sign(threshold - count));
      v = v * indicator + (1 - indicator) * scale * v;
    }
    return v;
  };
}

export function piecewiseInterpolate(c: PiecewiseInterpolateArgs): Schedule {
  const pairs = sortedScales(c.boundaries_and_scales);
  const bounds = [0, ...pairs.map(([b]) => b)];
  const values = [c.init_value];
  for (const [, scale] of pairs) values.push(values[values.length - 1] * scale); // cumprod
  const interpolate =
    c.interpolate_type === 'linear'
      ? (start: number, end: number, pct: number) => (end - start) * pct + start
      : (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  return (count) => {
    let out = 0;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const size = Math.max(bounds[i + 1] - bounds[i], 1);
      const inside = bounds[i] <= count && count < bounds[i + 1] ? 1 : 0;
      out += inside * interpolate(values[i], values[i + 1], (count - bounds[i]) / size);
    }
    return out + (bounds[bounds.length - 1] <= count ? 1 : 0) * values[values.length - 1];
  };
}

export function linearOnecycle(c: LinearOnecycleArgs): Schedule {
  return piecewiseInterpolate({
    interpolate_type: 'linear',
    init_value: c.peak_value / c.div_factor,
    boundaries_and_scales: linearOnecycleScales(c),
  });
}

export function cosineOnecycle(c: CosineOnecycleArgs): Schedule {
  return piecewiseInterpolate({
    interpolate_type: 'cosine',
    init_value: c.peak_value / c.div_factor,
    boundaries_and_scales: cosineOnecycleScales(c),
  });
}

/** join_schedules: schedules[i] runs from boundaries[i - 1] on, with the count restarted there. */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  return (step) => {
    let output = schedules[0](step);
    for (let i = 0; i < boundaries.length && i + 1 < schedules.length; i++)
      if (!(step < boundaries[i])) output = schedules[i + 1](step - boundaries[i]);
    return output;
  };
}

export function warmupConstant(c: WarmupConstantArgs): Schedule {
  return linear({
    init_value: c.init_value,
    end_value: c.peak_value,
    transition_steps: c.warmup_steps,
    transition_begin: 0,
  });
}

export function warmupCosine(c: WarmupCosineArgs): Schedule {
  const parts = warmupCosineParts(c);
  return join([linear(parts.warmup), cosineDecay(parts.decay)], [c.warmup_steps]);
}

export function warmupExponential(c: WarmupExponentialArgs): Schedule {
  const parts = warmupExponentialParts(c);
  return join([linear(parts.warmup), exponentialDecay(parts.decay)], [c.warmup_steps]);
}

export function sgdr(c: SgdrConfig): Schedule {
  return join(c.cosine_kwargs.map(warmupCosine), sgdrBoundaries(c));
}

export function joinValue(c: JoinConfig, step: number, total: number, valueAt: ValueAt): number {
  return join(
    c.schedules.map((s) => (t: number) => valueAt(s, t, total)),
    c.boundaries,
  )(step);
}
