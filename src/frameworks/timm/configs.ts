/**
 * timm.scheduler configs: CosineLRScheduler, TanhLRScheduler, PolyLRScheduler, StepLRScheduler and
 * MultiStepLRScheduler with the constructors' names and defaults, the base Scheduler's noise
 * arguments, and `base_lr` (the optimizer's lr). Plain Python values, unknown keywords refused.
 */
import * as z from 'zod';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { Refuse } from '../types.js';

export const TIMM = 'timm.scheduler';
export const tmq = (name: string) => `${TIMM}.${name}`;

const bool = () => z.boolean({ error: 'must be true or false' });

// the schedulers' constructors pass these to the base Scheduler; noise_type is the base's only
// (the five constructors do not take it: always 'normal')
const noise = {
  t_in_epochs: bool().default(true),
  // a list is read as [start, end): timm looks at its first two entries only
  noise_range_t: z
    .union(
      [
        strictFloat(),
        z
          .array(strictFloat())
          .min(2)
          .transform((r) => [r[0], r[1]] as [number, number]),
      ],
      {
        error: 'must be a step or a [start, end) pair',
      },
    )
    .nullable()
    .default(null),
  noise_pct: strictFloat().default(0.67),
  noise_std: strictFloat().default(1),
  // None means 42 in the base Scheduler
  noise_seed: strictInt()
    .nullable()
    .default(42)
    .transform((s) => s ?? 42),
  // initialize=False needs an optimizer that already has initial_lr (a resumed one): KeyError here
  initialize: z
    .literal(true, { error: "must be true (timm raises KeyError 'initial_lr' on a fresh optimizer)" })
    .default(true),
};

const common = { kind: z.string(), base_lr: optimizerLr() };

const warmup = (prefix: boolean) => ({
  // Python numbers: a float warmup_t, t_initial or cycle_limit works as timm computes with it
  warmup_t: strictFloat().default(0),
  warmup_lr_init: strictFloat().default(0),
  warmup_prefix: bool().default(prefix),
});

const cycles = {
  t_initial: strictFloat(),
  lr_min: strictFloat().default(0),
  cycle_mul: strictFloat().default(1),
  cycle_decay: strictFloat().default(1),
  cycle_limit: strictFloat().default(1),
};

export const cosineSchema = z.strictObject({
  ...common,
  ...cycles,
  ...warmup(false),
  ...noise,
  k_decay: strictFloat().default(1),
});
export const polySchema = z.strictObject({
  ...common,
  ...cycles,
  power: strictFloat().default(0.5),
  ...warmup(false),
  ...noise,
  k_decay: strictFloat().default(1),
});
export const tanhSchema = z.strictObject({
  ...common,
  ...cycles,
  lb: strictFloat().default(-7),
  ub: strictFloat().default(3),
  ...warmup(false),
  ...noise,
});
export const stepSchema = z.strictObject({
  ...common,
  decay_t: strictFloat(),
  decay_rate: strictFloat().default(1),
  ...warmup(true),
  ...noise,
});
export const multiStepSchema = z.strictObject({
  ...common,
  decay_t: z.array(strictFloat(), { error: 'must be a list of steps' }),
  decay_rate: strictFloat().default(1),
  ...warmup(true),
  ...noise,
});

export type CosineConfig = z.infer<typeof cosineSchema>;
export type PolyConfig = z.infer<typeof polySchema>;
export type TanhConfig = z.infer<typeof tanhSchema>;
export type StepConfig = z.infer<typeof stepSchema>;
export type MultiStepConfig = z.infer<typeof multiStepSchema>;
export type TimmConfig = CosineConfig | PolyConfig | TanhConfig | StepConfig | MultiStepConfig;
export type CycleConfig = CosineConfig | PolyConfig | TanhConfig;

const assertion = (refuse: Refuse, field: string, rule: string, got: unknown) =>
  refuse([field], `must satisfy ${rule} (AssertionError)`, got);

function checkNoise(c: TimmConfig, refuse: Refuse): void {
  if (c.noise_range_t === null) return;
  // timm redraws a normal noise until |noise| < noise_pct: forever when noise_pct <= 0
  if (!(c.noise_pct > 0))
    refuse(['noise_pct'], 'must be > 0 with normal noise (timm would redraw forever)', c.noise_pct);
}

/** The asserts every cycle scheduler's constructor opens with. */
function checkCycleStart(c: CycleConfig, refuse: Refuse): void {
  if (!(c.t_initial > 0)) assertion(refuse, 't_initial', 't_initial > 0', c.t_initial);
  if (!(c.lr_min >= 0)) assertion(refuse, 'lr_min', 'lr_min >= 0', c.lr_min);
}

/** What schedgpu refuses of any cycle scheduler after the constructor's own asserts. */
function checkCycleEnd(c: CycleConfig, refuse: Refuse): void {
  if (!(c.cycle_mul > 0))
    refuse(['cycle_mul'], 'must be > 0 (schedgpu refuses it; timm raises ValueError: math domain error)', c.cycle_mul);
  checkNoise(c, refuse);
}

/** CosineLRScheduler and PolyLRScheduler. */
export function checkCycles(c: CosineConfig | PolyConfig, refuse: Refuse): void {
  checkCycleStart(c, refuse);
  checkCycleEnd(c, refuse);
}

/** TanhLRScheduler asserts four more than the other cycle schedulers, in this order. */
export function checkTanhArgs(c: TanhConfig, refuse: Refuse): void {
  checkCycleStart(c, refuse);
  if (!(c.lb < c.ub)) assertion(refuse, 'lb', 'lb < ub', c.lb);
  if (!(c.cycle_limit >= 0)) assertion(refuse, 'cycle_limit', 'cycle_limit >= 0', c.cycle_limit);
  if (!(c.warmup_t >= 0)) assertion(refuse, 'warmup_t', 'warmup_t >= 0', c.warmup_t);
  if (!(c.warmup_lr_init >= 0)) assertion(refuse, 'warmup_lr_init', 'warmup_lr_init >= 0', c.warmup_lr_init);
  checkCycleEnd(c, refuse);
}

export function checkStep(c: StepConfig, refuse: Refuse): void {
  if (c.decay_t === 0) refuse(['decay_t'], 'must not be 0 (timm raises ZeroDivisionError at the first step)', 0);
  checkNoise(c, refuse);
}

export const checkMultiStep = (c: MultiStepConfig, refuse: Refuse): void => checkNoise(c, refuse);
