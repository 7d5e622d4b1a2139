/**
 * pytorch_accelerated.schedulers configs: CosineLrScheduler (as of commit 3f41f938) and
 * WSDLrScheduler, with the constructors' names and defaults plus `base_lr`, the lr of the optimizer
 * the scheduler wraps. Constructors take plain Python values (no string coercion) and refuse
 * unknown keywords. The checks are the constructors' own asserts and raises, in their order.
 */
import * as z from 'zod';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { Refuse } from '../types.js';

export const PA = 'pytorch_accelerated.schedulers';
export const paq = (name: string) => `${PA}.${name}`;

const bool = () => z.boolean({ error: 'must be true or false' });

const common = {
  kind: z.string(),
  base_lr: optimizerLr(),
  // the scheduled optimizer field: the values are the same for any field, base_lr being its value
  param_group_field: z.string({ error: 'must be a string' }).default('lr'),
};

export const cosineSchema = z.strictObject({
  ...common,
  total_num_epochs: strictInt(),
  num_update_steps_per_epoch: strictInt(),
  k_decay: strictFloat().default(1),
  lr_min: strictFloat().default(1e-6),
  min_lr_ratio: strictFloat().nullable().default(null),
  num_warmup_epochs: strictInt().default(0),
  warmup_starting_lr: strictFloat().default(1e-6),
  warmup_starting_lr_ratio: strictFloat().nullable().default(null),
  num_cooldown_epochs: strictInt().default(0),
});
export type CosineConfig = z.infer<typeof cosineSchema>;

export const wsdSchema = z.strictObject({
  ...common,
  num_epochs: strictInt().nullable().default(null),
  num_update_steps_per_epoch: strictInt().nullable().default(null),
  total_steps: strictInt().nullable().default(null),
  num_warmup_steps: strictInt().nullable().default(0),
  decay_phase_ratio: strictFloat().default(0.1),
  lr_min: strictFloat().default(1e-6),
  warmup_starting_lr: strictFloat().default(1e-6),
  use_inverse_sqrt_decay: bool().default(true),
  num_checkpoints: strictInt().default(1),
  is_continuation_from_checkpoint: bool().default(false),
});
export type WsdConfig = z.infer<typeof wsdSchema>;

export function checkCosine(c: CosineConfig, refuse: Refuse): void {
  if (!(c.total_num_epochs > 0))
    refuse(['total_num_epochs'], 'must be > 0 (AssertionError: total_num_epochs > 0)', c.total_num_epochs);
  if (!(c.num_update_steps_per_epoch > 0))
    refuse(
      ['num_update_steps_per_epoch'],
      'must be > 0 (AssertionError: num_update_steps_per_epoch > 0)',
      c.num_update_steps_per_epoch,
    );
  if (!(c.lr_min >= 0)) refuse(['lr_min'], 'must be >= 0 (AssertionError: lr_min >= 0)', c.lr_min);
}

/** WSD's total steps: num_epochs * num_update_steps_per_epoch when both are given, else total_steps. */
export function wsdTotal(c: WsdConfig): number {
  return c.num_epochs !== null && c.num_update_steps_per_epoch !== null
    ? c.num_epochs * c.num_update_steps_per_epoch
    : (c.total_steps as number);
}

/** num_warmup_steps, None meaning int(0.01 * total_steps). */
export function wsdWarmup(c: WsdConfig): number {
  return c.num_warmup_steps ?? Math.trunc(0.01 * wsdTotal(c));
}

/** estimate_checkpoint_steps: [total], or total // 4 * 2^i truncated at total (stopping there). */
export function wsdCheckpoints(c: WsdConfig): number[] {
  const total = wsdTotal(c);
  if (c.num_checkpoints === 1) return [total];
  const first = Math.floor(total / 4);
  // a run shorter than 4 steps: num_checkpoints periods of length 0, which one stands for (and
  // 0 * 2 ** 1024 would be NaN)
  if (first === 0) return [0];
  const out: number[] = [];
  for (let i = 0; i < c.num_checkpoints; i++) {
    const checkpoint = Math.min(first * 2 ** i, total);
    out.push(checkpoint);
    if (checkpoint === total) break;
  }
  return out;
}

export function checkWsd(c: WsdConfig, refuse: Refuse): void {
  if (c.num_epochs !== null && c.num_update_steps_per_epoch !== null && c.total_steps !== null)
    refuse(
      ['total_steps'],
      'Only num_epochs and num_update_steps_per_epoch, or total_steps should be provided (ValueError)',
      c.total_steps,
    );
  const total = wsdTotal(c);
  if (total === null)
    refuse(
      ['total_steps'],
      "is required without num_epochs and num_update_steps_per_epoch (TypeError: '>' not supported between instances of 'NoneType' and 'int')",
      null,
    );
  if (!(total > 0)) refuse(['total_steps'], 'total_steps must be positive (AssertionError)', total);
  if (!(c.decay_phase_ratio >= 0 && c.decay_phase_ratio <= 1))
    refuse(['decay_phase_ratio'], 'decay_fraction must be between 0 and 1 (AssertionError)', c.decay_phase_ratio);
  if (!(c.lr_min >= 0)) refuse(['lr_min'], 'lr_min must be non-negative (AssertionError)', c.lr_min);
  if (!(c.num_checkpoints > 0))
    refuse(['num_checkpoints'], 'num_checkpoints must be positive (AssertionError)', c.num_checkpoints);
  if (c.warmup_starting_lr > c.base_lr)
    refuse(
      ['warmup_starting_lr'],
      'warmup_starting_lr should not exceed maximum base learning rate (ValueError)',
      c.warmup_starting_lr,
    );
  if (c.num_checkpoints > 1 && c.decay_phase_ratio > 1 / 3)
    refuse(
      ['decay_phase_ratio'],
      `Decay phase ratio ${c.decay_phase_ratio} is too large and may cause overlapping decay phases. Maximum safe ratio is 0.33 with ${c.num_checkpoints} checkpoints using geometric progression (ValueError)`,
      c.decay_phase_ratio,
    );
}
