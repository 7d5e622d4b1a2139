/**
 * torchtitan's LRSchedulersContainer (torchtitan/components/optimizer/lr_scheduler.py): the fields
 * of its Config dataclass plus `base_lr`, the optimizer's lr its LambdaLR multiplies. A kw_only
 * dataclass: values are taken as given, an unknown keyword is a TypeError. Config.build derives
 * the phase lengths (with its clamps and the virtual last step) from total_steps, or from the run's
 * length where total_steps is null, as torchtitan passes training.steps.
 */
import * as z from 'zod';
import { FrameworkError } from '../python.js';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec } from '../types.js';

export const TORCHTITAN = 'torchtitan.components.optimizer.lr_scheduler.LRSchedulersContainer';
export const DECAY_TYPES = ['linear', 'sqrt', 'cosine'];

export const containerSchema = z.strictObject({
  kind: z.string(),
  base_lr: optimizerLr(),
  // build() takes int(warmup_steps): a float is truncated
  warmup_steps: strictFloat().default(200),
  total_steps: strictInt().nullable().default(null),
  decay_ratio: strictFloat().nullable().default(null),
  // a Literal type hint, not checked: an unknown type raises at the first decay step
  decay_type: z.string({ error: 'must be a string' }).default('linear'),
  min_lr_factor: strictFloat().default(0),
});

export type ContainerConfig = z.output<typeof containerSchema> & NormalSpec;

/** Python's round(x) to an int: halves to even. */
export function pyRoundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export interface Phases {
  warmup: number;
  stable: number;
  decay: number;
}

/** Config.build's warmup, stable and decay steps for a run of `runSteps` (training.steps). */
export function phaseLengths(c: ContainerConfig, runSteps: number): Phases {
  const total = c.total_steps ?? runSteps;
  let warmup = Math.trunc(c.warmup_steps);
  if (warmup > total) warmup = total;
  let decay: number;
  if (c.decay_ratio !== null) {
    decay = pyRoundHalfEven(total * c.decay_ratio);
    if (warmup + decay > total) decay = total - warmup;
  } else decay = total - warmup;
  // the virtual last step keeps the lr from reaching 0 within total_steps
  return { warmup, stable: total + 1 - warmup - decay, decay };
}

/** What linear_warmup_stable_decay raises at `step` in its decay branch (asserts, unknown type, sqrt < 0), or null. */
export function decayRaises(c: ContainerConfig, p: Phases, step: number): FrameworkError | null {
  if (step < p.warmup + p.stable) return null;
  if (p.decay === 0) return new FrameworkError('AssertionError', 'decay_steps must not be zero to reach this branch');
  if (!DECAY_TYPES.includes(c.decay_type))
    return new FrameworkError('ValueError', `Unknown lr_decay_type: ${c.decay_type}`);
  if (c.decay_type === 'sqrt' && (step + 1 - (p.warmup + p.stable)) / p.decay < 0)
    return new FrameworkError('ValueError', 'math domain error');
  return null;
}
