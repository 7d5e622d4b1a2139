/**
 * HF transformers' `get_*_schedule*` functions (transformers/optimization.py): their keyword
 * arguments plus `base_lr`, the optimizer's lr that LambdaLR multiplies by the lambda. These are
 * plain Python functions: numbers are taken as given and an unknown keyword is a TypeError.
 */
import * as z from 'zod';
import { Shown } from '../../errors.js';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const HF = 'transformers.optimization';

// LambdaLR(last_epoch != -1) needs 'initial_lr' in the optimizer's groups: resuming is not a schedule
const lastEpoch = () => strictInt().default(-1);
const base = { kind: z.string(), base_lr: optimizerLr(), last_epoch: lastEpoch() };

export const constantSchema = z.strictObject({ ...base });
export const constantWarmupSchema = z.strictObject({ ...base, num_warmup_steps: strictInt() });
export const linearSchema = z.strictObject({ ...base, num_warmup_steps: strictInt(), num_training_steps: strictInt() });
export const cosineSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  num_training_steps: strictInt(),
  num_cycles: strictFloat().default(0.5),
});
export const hardRestartsSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  num_training_steps: strictInt(),
  num_cycles: strictFloat().default(1),
});
export const polynomialSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  num_training_steps: strictInt(),
  lr_end: strictFloat().default(1e-7),
  power: strictFloat().default(1),
});
export const inverseSqrtSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  timescale: strictInt().nullable().default(null),
});
export const wsdSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  num_decay_steps: strictInt(),
  num_training_steps: strictInt().nullable().default(null),
  num_stable_steps: strictInt().nullable().default(null),
  // checked in check() so that HF's order of ValueErrors holds
  warmup_type: z.string({ error: 'must be a string' }).default('linear'),
  decay_type: z.string({ error: 'must be a string' }).default('cosine'),
  min_lr_ratio: strictFloat().default(0),
  num_cycles: strictFloat().default(0.5),
});
export const cosineMinLrSchema = z.strictObject({
  ...base,
  num_warmup_steps: strictInt(),
  num_training_steps: strictInt(),
  num_cycles: strictFloat().default(0.5),
  min_lr: strictFloat().nullable().default(null),
  min_lr_rate: strictFloat().nullable().default(null),
});

export type HfBase = z.output<typeof constantSchema> & NormalSpec;
export type ConstantWarmupConfig = z.output<typeof constantWarmupSchema> & NormalSpec;
export type LinearConfig = z.output<typeof linearSchema> & NormalSpec;
export type CosineConfig = z.output<typeof cosineSchema> & NormalSpec;
export type HardRestartsConfig = z.output<typeof hardRestartsSchema> & NormalSpec;
export type PolynomialConfig = z.output<typeof polynomialSchema> & NormalSpec;
export type InverseSqrtConfig = z.output<typeof inverseSqrtSchema> & NormalSpec;
export type WsdConfig = z.output<typeof wsdSchema> & NormalSpec;
export type CosineMinLrConfig = z.output<typeof cosineMinLrSchema> & NormalSpec;

export const SHAPES = ['linear', 'cosine', '1-sqrt'] as const;
export type Shape = (typeof SHAPES)[number];

export function checkLastEpoch(c: HfBase, refuse: Refuse): void {
  if (c.last_epoch !== -1)
    refuse(
      ['last_epoch'],
      "must be -1: resuming needs 'initial_lr' in the optimizer's param groups (torch raises KeyError)",
      c.last_epoch,
    );
}

/** get_polynomial_decay_schedule_with_warmup: lr_init = optimizer.defaults['lr'] must exceed lr_end. */
export function checkPolynomial(c: PolynomialConfig, refuse: Refuse): void {
  checkLastEpoch(c, refuse);
  if (!(c.base_lr > c.lr_end))
    refuse(['lr_end'], `must be smaller than initial lr (${c.base_lr}) (HF raises ValueError)`, c.lr_end);
}

/** get_wsd_schedule's ValueErrors, in its order. */
export function checkWsd(c: WsdConfig, refuse: Refuse): void {
  checkLastEpoch(c, refuse);
  if (c.num_training_steps === null && c.num_stable_steps === null)
    refuse(
      ['num_training_steps'],
      'either num_training_steps or num_stable_steps must be given (HF raises ValueError)',
      new Shown('neither'),
    );
  if (!(SHAPES as readonly string[]).includes(c.warmup_type))
    refuse(['warmup_type'], "must be 'linear', 'cosine' or '1-sqrt' (HF raises ValueError)", c.warmup_type);
  if (!(SHAPES as readonly string[]).includes(c.decay_type))
    refuse(['decay_type'], "must be 'linear', 'cosine' or '1-sqrt' (HF raises ValueError)", c.decay_type);
}

/** num_stable_steps wins over num_training_steps (HF warns when both are given). */
export function wsdStable(c: WsdConfig): number {
  return c.num_stable_steps ?? c.num_training_steps! - c.num_warmup_steps - c.num_decay_steps;
}

/** get_cosine_with_min_lr_schedule_with_warmup: exactly one of min_lr, min_lr_rate. */
export function checkCosineMinLr(c: CosineMinLrConfig, refuse: Refuse): void {
  checkLastEpoch(c, refuse);
  if (c.min_lr !== null && c.min_lr_rate !== null)
    refuse(['min_lr'], 'only one of min_lr or min_lr_rate may be set (HF raises ValueError)', new Shown('both'));
  if (c.min_lr === null && c.min_lr_rate === null)
    refuse(['min_lr_rate'], 'one of min_lr or min_lr_rate must be set (HF raises ValueError)', new Shown('neither'));
  if (c.min_lr !== null && c.base_lr === 0)
    refuse(['base_lr'], 'must not be 0 with min_lr (HF divides min_lr by it: ZeroDivisionError)', c.base_lr);
}

/** min_lr_rate as HF derives it. */
export function minLrRate(c: CosineMinLrConfig): number {
  return c.min_lr !== null ? c.min_lr / c.base_lr : c.min_lr_rate!;
}

/** get_inverse_sqrt_schedule's timescale: None means num_warmup_steps, or 10_000 where that is 0 (Python's `or`). */
export function inverseSqrtTimescale(c: InverseSqrtConfig): number {
  return c.timescale ?? (c.num_warmup_steps || 10_000);
}
