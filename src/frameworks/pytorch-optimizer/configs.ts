/**
 * pytorch_optimizer.lr_scheduler (github.com/kozistr/pytorch_optimizer, 3.9.0): the constructors'
 * and functions' own argument names and defaults, plus `base_lr` (the optimizer's lr) for the two
 * LambdaLR functions, the only ones whose values it enters. The others overwrite the optimizer's lr
 * with min_lr at construction: they accept `base_lr` and ignore it. Plain Python calls: numbers are taken as given (no string coercion)
 * and an unknown keyword is a TypeError. The checks are the constructors' raises, in their order.
 */
import * as z from 'zod';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const PO = 'pytorch_optimizer.lr_scheduler';

// a torch scheduler built with last_epoch != -1 needs 'initial_lr' in the optimizer's groups:
// resuming is not a schedule
const lastEpoch = () => strictInt().default(-1);

export const wsdSchema = z.strictObject({
  kind: z.string(),
  base_lr: optimizerLr(),
  num_warmup_steps: strictInt(),
  num_stable_steps: strictInt(),
  num_decay_steps: strictInt(),
  min_lr_ratio: strictFloat().default(0),
  num_cycles: strictFloat().default(0.5),
  // a typing.Literal only: any other string runs, and its cooldown is min_lr_ratio
  cooldown_type: z.string({ error: 'must be a string' }).default('1-sqrt'),
  last_epoch: lastEpoch(),
});
export type WsdConfig = z.output<typeof wsdSchema> & NormalSpec;

// the optimizer's lr: accepted (sweeps set it on every kind) and unused, as these constructors
// overwrite it with min_lr
const unusedLr = () => optimizerLr().optional();

export const rexSchema = z.strictObject({
  kind: z.string(),
  base_lr: unusedLr(),
  total_steps: strictInt(),
  max_lr: strictFloat().default(1),
  min_lr: strictFloat().default(0),
});
export type RexConfig = z.output<typeof rexSchema> & NormalSpec;

export const warmupRestartsSchema = z.strictObject({
  kind: z.string(),
  base_lr: unusedLr(),
  first_cycle_steps: strictInt(),
  cycle_mult: strictFloat().default(1),
  max_lr: strictFloat().default(1e-4),
  min_lr: strictFloat().default(1e-6),
  warmup_steps: strictInt().default(0),
  gamma: strictFloat().default(0.9),
  last_epoch: lastEpoch(),
});
export type WarmupRestartsConfig = z.output<typeof warmupRestartsSchema> & NormalSpec;

const linearWarmup = {
  kind: z.string(),
  base_lr: unusedLr(),
  t_max: strictInt(),
  max_lr: strictFloat(),
  min_lr: strictFloat().default(0),
  init_lr: strictFloat().default(0),
  warmup_steps: strictInt().default(0),
};
export const linearWarmupSchema = z.strictObject(linearWarmup);
export type LinearWarmupConfig = z.output<typeof linearWarmupSchema> & NormalSpec;
export const polySchema = z.strictObject({ ...linearWarmup, poly_order: strictFloat().default(0.5) });
export type PolyConfig = z.output<typeof polySchema> & NormalSpec;

export const chebyshevSchema = z.strictObject({
  kind: z.string(),
  base_lr: optimizerLr(),
  num_epochs: strictInt(),
  is_warmup: z.boolean({ error: 'must be true or false' }).default(false),
  last_epoch: lastEpoch(),
});
export type ChebyshevConfig = z.output<typeof chebyshevSchema> & NormalSpec;

export function checkLastEpoch(c: { last_epoch: number }, refuse: Refuse): void {
  if (c.last_epoch !== -1)
    refuse(
      ['last_epoch'],
      "must be -1: resuming needs 'initial_lr' in the optimizer's param groups (torch raises KeyError)",
      c.last_epoch,
    );
}

/** CosineAnnealingWarmupRestarts.__init__: ValueError unless warmup_steps < first_cycle_steps. */
export function checkWarmupRestarts(c: WarmupRestartsConfig, refuse: Refuse): void {
  if (c.warmup_steps >= c.first_cycle_steps)
    refuse(
      ['warmup_steps'],
      `must be smaller than first_cycle_steps (${c.first_cycle_steps}) (ValueError)`,
      c.warmup_steps,
    );
  checkLastEpoch(c, refuse);
  // torch's constructor runs step() once: with first_cycle_steps <= 0 (a negative warmup) that step
  // already restarts, and get_lr may divide by the new cycle's cur_cycle_steps - warmup_steps = 0
  if (c.first_cycle_steps <= 0) {
    const product = (c.first_cycle_steps - c.warmup_steps) * c.cycle_mult;
    if (!Number.isFinite(product))
      refuse(['cycle_mult'], 'makes the first restart overflow (OverflowError at construction)', c.cycle_mult);
    const stepInCycle = -c.first_cycle_steps;
    if (Math.trunc(product) === 0 && !(stepInCycle < c.warmup_steps))
      refuse(
        ['cycle_mult'],
        "gives a zero-length cycle at the constructor's first step (ZeroDivisionError at construction)",
        c.cycle_mult,
      );
  }
}

/** BaseLinearWarmupScheduler.validate_parameters: NegativeLRError / NegativeStepError, in its order. */
export function checkLinearWarmup(c: LinearWarmupConfig, refuse: Refuse): void {
  for (const f of ['min_lr', 'max_lr', 'init_lr'] as const)
    if (c[f] < 0) refuse([f], 'must not be negative (NegativeLRError)', c[f]);
  for (const f of ['t_max', 'warmup_steps'] as const)
    if (c[f] < 0) refuse([f], 'must not be negative (NegativeStepError)', c[f]);
}

/** PolyScheduler checks poly_order before the base class validates anything. */
export function checkPoly(c: PolyConfig, refuse: Refuse): void {
  if (c.poly_order <= 0) refuse(['poly_order'], 'must be positive (ValueError)', c.poly_order);
  checkLinearWarmup(c, refuse);
}
