/**
 * Megatron-LM's OptimizerParamScheduler (megatron/core/optimizer_param_scheduler.py): its
 * constructor arguments with their real names, plus two keys of the run: `increment`, how far
 * `num_steps` advances per update (Megatron's training loop passes the global batch size in samples
 * for sample-based runs), and `output`, the param group field read (lr or weight_decay).
 * A plain Python constructor: numbers are taken as given, an unknown keyword is a TypeError.
 */
import * as z from 'zod';
import { FrameworkError } from '../python.js';
import { laxBool, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const MEGATRON = 'megatron.core.optimizer_param_scheduler.OptimizerParamScheduler';
export const OUTPUTS = ['lr', 'weight_decay'] as const;

const str = () => z.string({ error: 'must be a string' });

export const schedulerSchema = z.strictObject({
  kind: z.string(),
  init_lr: strictFloat(),
  max_lr: strictFloat(),
  min_lr: strictFloat(),
  lr_warmup_steps: strictInt(),
  lr_decay_steps: strictInt(),
  // the styles are read only when a step reaches them: unknown ones raise there (see stepRaises)
  lr_decay_style: str(),
  start_wd: strictFloat(),
  end_wd: strictFloat(),
  wd_incr_steps: strictInt(),
  wd_incr_style: str(),
  use_checkpoint_opt_param_scheduler: laxBool().default(true),
  override_opt_param_scheduler: laxBool().default(false),
  wsd_decay_steps: strictInt().nullable().default(null),
  lr_wsd_decay_style: str().nullable().default(null),
  increment: strictInt()
    .pipe(z.number().min(1, { error: 'must be a positive integer (num_steps grows by it at every update)' }))
    .default(1),
  output: z.enum(OUTPUTS, { error: 'must be "lr" or "weight_decay"' }).default('lr'),
});

export type SchedulerConfig = z.output<typeof schedulerSchema> & NormalSpec;

export const LR_STYLES = ['constant', 'linear', 'cosine', 'inverse-square-root', 'WSD'];
export const WSD_STYLES = ['linear', 'cosine', 'exponential', 'minus_sqrt'];
export const WD_STYLES = ['linear', 'cosine'];

/** The constructor's assertions, in its order, then what its `step(0)` raises. */
export function checkScheduler(c: SchedulerConfig, refuse: Refuse): void {
  const why = '(Megatron asserts it: AssertionError)';
  if (!(c.min_lr >= 0)) refuse(['min_lr'], `must be >= 0.0 ${why}`, c.min_lr);
  if (!(c.max_lr >= c.min_lr)) refuse(['max_lr'], `must be >= min_lr (${c.min_lr}) ${why}`, c.max_lr);
  if (!(c.init_lr <= c.max_lr)) refuse(['init_lr'], `must be <= max_lr (${c.max_lr}) ${why}`, c.init_lr);
  if (!(c.lr_decay_steps > 0)) refuse(['lr_decay_steps'], `must be > 0 ${why}`, c.lr_decay_steps);
  if (!(c.lr_warmup_steps < c.lr_decay_steps))
    refuse(['lr_warmup_steps'], `must be < lr_decay_steps (${c.lr_decay_steps}) ${why}`, c.lr_warmup_steps);
  if (c.lr_decay_style === 'WSD' && c.wsd_decay_steps === null)
    refuse(['wsd_decay_steps'], `is required with lr_decay_style WSD ${why}`, null);
  if (!(c.start_wd >= 0)) refuse(['start_wd'], `must be >= 0.0 ${why}`, c.start_wd);
  if (!(c.end_wd >= c.start_wd)) refuse(['end_wd'], `must be >= start_wd (${c.start_wd}) ${why}`, c.end_wd);
  if (c.override_opt_param_scheduler && c.use_checkpoint_opt_param_scheduler)
    refuse(
      ['override_opt_param_scheduler'],
      `cannot be set with use_checkpoint_opt_param_scheduler ('both override and use-checkpoint are set.', AssertionError)`,
      true,
    );
  const lr = lrRaises(c, 0);
  if (lr) refuse([lr.field], `raises in the constructor's step(0) (${lr.error.message})`, c[lr.field]);
  const wd = wdRaises(c, 0);
  if (wd) refuse([wd.field], `raises in the constructor's step(0) (${wd.error.message})`, c[wd.field]);
}

export interface Raise {
  field: 'lr_decay_style' | 'lr_wsd_decay_style' | 'wd_incr_style' | 'wd_incr_steps';
  error: FrameworkError;
}

/** What get_lr raises at num_steps n (after the constructor's checks), or null: the branches it walks. */
export function lrRaises(c: SchedulerConfig, n: number): Raise | null {
  const { lr_warmup_steps: w, lr_decay_steps: d } = c;
  if (w > 0 && n <= w) return null;
  if (c.lr_decay_style === 'constant' || n > d || c.lr_decay_style === 'inverse-square-root') return null;
  if (!LR_STYLES.includes(c.lr_decay_style))
    return {
      field: 'lr_decay_style',
      error: new FrameworkError('Exception', `${c.lr_decay_style} decay style is not supported.`),
    };
  if (c.lr_decay_style === 'WSD' && n > d - c.wsd_decay_steps! && !WSD_STYLES.includes(c.lr_wsd_decay_style ?? ''))
    // coeff stays None: `assert coeff is not None`
    return { field: 'lr_wsd_decay_style', error: new FrameworkError('AssertionError', '') };
  return null;
}

/** What get_wd raises at num_steps n, or null. */
export function wdRaises(c: SchedulerConfig, n: number): Raise | null {
  if (n > c.wd_incr_steps) return null;
  if (c.wd_incr_style === 'constant')
    return c.start_wd === c.end_wd ? null : { field: 'wd_incr_style', error: new FrameworkError('AssertionError', '') };
  if (c.wd_incr_steps === 0)
    return { field: 'wd_incr_steps', error: new FrameworkError('ZeroDivisionError', 'float division by zero') };
  if (!WD_STYLES.includes(c.wd_incr_style))
    return {
      field: 'wd_incr_style',
      error: new FrameworkError('Exception', `${c.wd_incr_style} weight decay increment style is not supported.`),
    };
  return null;
}

/** The last update t whose num_steps t * increment is <= n (exact for integers below 2^53). */
export function lastUpdateAtOrBelow(n: number, increment: number): number {
  let q = Math.floor(n / increment);
  while ((q + 1) * increment <= n) q++;
  while (q * increment > n) q--;
  return q;
}
