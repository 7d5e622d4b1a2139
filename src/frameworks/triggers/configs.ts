/**
 * Periodic triggers: PAMIQ's StepIntervalScheduler and TimeIntervalScheduler (with a simulated clock,
 * schedgpu's addition) and noether's PeriodicCallback (its CallBackBaseConfig fields plus the
 * trainer's updates_per_epoch). Their value is 1 where the callback fires, else 0.
 */
import * as z from 'zod';
import { Shown } from '../../errors.js';
import { ge, laxFloat, laxFloatList, laxInt, strictFloat } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const PAMIQ = 'pamiq_core.utils.schedulers';

// PAMIQ's constructors take (interval, callbacks): any other keyword is a TypeError, and they do
// not coerce (a string interval fails `interval <= 0`). Callbacks cannot come from a file: only
// an empty `callbacks` is taken.
const noCallbacks = z
  .union([z.null(), z.array(z.never()).length(0)], { error: 'must be null or empty (callbacks are added in code)' })
  .optional();
export const stepIntervalSchema = z.strictObject({ kind: z.string(), interval: strictFloat(), callbacks: noCallbacks });
export const timeIntervalSchema = z.strictObject({
  kind: z.string(),
  interval: strictFloat(),
  callbacks: noCallbacks,
  seconds_per_step: laxFloat().optional(),
  step_seconds: laxFloatList().optional(),
});

// CallBackBaseConfig forbids extra keys; updates_per_epoch is the trainer's, given here
const optionalCount = () => laxInt().pipe(ge(0)).nullable().default(null);
export const periodicSchema = z.strictObject({
  kind: z.string(),
  // CallBackBaseConfig declares name: Literal["BaseCallbacksConfig"]
  name: z
    .literal('BaseCallbacksConfig', { error: 'must be "BaseCallbacksConfig" (a Literal in CallBackBaseConfig)' })
    .optional(),
  every_n_epochs: optionalCount(),
  every_n_updates: optionalCount(),
  every_n_samples: optionalCount(),
  batch_size: laxInt().nullable().default(null),
  updates_per_epoch: laxInt().nullable().default(null),
});

export type StepIntervalConfig = z.output<typeof stepIntervalSchema> & NormalSpec;
export type TimeIntervalConfig = z.output<typeof timeIntervalSchema> & NormalSpec;
export type PeriodicConfig = z.output<typeof periodicSchema> & NormalSpec;

export function checkStepInterval(c: StepIntervalConfig, refuse: Refuse): void {
  if (!(c.interval > 0)) refuse(['interval'], 'must be positive (PAMIQ raises ValueError)', c.interval);
}

export function checkTimeInterval(c: TimeIntervalConfig, refuse: Refuse): void {
  if (!(c.interval >= 0)) refuse(['interval'], 'must be >= 0 seconds (PAMIQ raises ValueError)', c.interval);
  if ((c.seconds_per_step === undefined) === (c.step_seconds === undefined))
    refuse([], 'needs exactly one simulated clock: seconds_per_step or step_seconds', new Shown('neither or both'));
  if (c.seconds_per_step !== undefined && !(c.seconds_per_step >= 0))
    refuse(['seconds_per_step'], 'must be >= 0', c.seconds_per_step);
  if (c.step_seconds !== undefined) {
    if (c.step_seconds.length === 0) refuse(['step_seconds'], 'must list at least one duration', c.step_seconds);
    c.step_seconds.forEach((s, i) => {
      if (!(s >= 0)) refuse(['step_seconds', i], 'must be >= 0', s);
    });
  }
}

/** CallBackBaseConfig's validators, then what the trainer's UpdateCounter needs. */
export function checkPeriodic(c: PeriodicConfig, refuse: Refuse): void {
  for (const field of ['every_n_epochs', 'every_n_updates', 'every_n_samples', 'batch_size'] as const) {
    const v = c[field];
    if (v !== null && v <= 0) refuse([field], 'must be a positive integer', v);
  }
  const set = (['every_n_epochs', 'every_n_updates', 'every_n_samples'] as const).filter((f) => c[f] !== null);
  if (set.length !== 1)
    refuse(
      [],
      'needs exactly one of every_n_epochs, every_n_updates or every_n_samples',
      new Shown(set.length ? set.join(', ') : 'none'),
    );
  if (c.every_n_samples !== null && c.batch_size === null)
    refuse(['batch_size'], 'is required with every_n_samples', undefined);
  if (c.updates_per_epoch !== null && c.updates_per_epoch <= 0)
    refuse(['updates_per_epoch'], 'must be a positive integer (noether divides by it)', c.updates_per_epoch);
  if (c.every_n_epochs !== null && c.updates_per_epoch === null)
    refuse(['updates_per_epoch'], 'is required with every_n_epochs', undefined);
}

/** Seconds the k-th step takes (0-based): the simulated clock of a TimeIntervalScheduler. */
export function stepDuration(c: TimeIntervalConfig, k: number): number {
  return c.seconds_per_step ?? c.step_seconds![k % c.step_seconds!.length];
}
