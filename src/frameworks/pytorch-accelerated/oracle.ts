/**
 * Oracle for pytorch_accelerated.schedulers: get_updated_values(t)[0] with the optimizer's lr =
 * base_lr, a direct scalar port of CosineLrScheduler (commit 3f41f938) and WSDLrScheduler.
 */
import { wsdCheckpoints, wsdWarmup, type CosineConfig, type WsdConfig } from './configs.js';
import { FrameworkError, pyDiv, pyPow } from '../python.js';

export function cosineValue(c: CosineConfig, t: number): number {
  const spe = c.num_update_steps_per_epoch;
  const total = c.total_num_epochs * spe;
  const warmup = c.num_warmup_epochs * spe;
  const cooldown = c.num_cooldown_epochs * spe;
  const lr = c.base_lr;
  const lo = c.min_lr_ratio !== null ? c.min_lr_ratio * lr : c.lr_min;
  if (t < warmup) {
    // the slope uses warmup_starting_lr even when the start is warmup_starting_lr_ratio * lr
    const startLr = c.warmup_starting_lr_ratio !== null ? c.warmup_starting_lr_ratio * lr : c.warmup_starting_lr;
    return startLr + t * ((lr - c.warmup_starting_lr) / warmup);
  }
  // the cosine ends at total - warmup - cooldown: the warmup is subtracted twice
  const cosineEnd = total - (warmup + cooldown);
  if (t < cosineEnd) {
    const x = t - warmup;
    const p = pyDiv(pyPow(x, c.k_decay), pyPow(cosineEnd, c.k_decay));
    return lo + 0.5 * (lr - lo) * (1 + Math.cos(Math.PI * p));
  }
  return lo;
}

/** The checkpoint period of step t: (length, steps into it); past the last checkpoint, period 0. */
export function wsdPeriod(checkpoints: readonly number[], t: number): { length: number; into: number } {
  let current = 0;
  for (let i = 0; i < checkpoints.length; i++)
    if (t < checkpoints[i]) {
      current = i;
      break;
    }
  const start = current === 0 ? 0 : checkpoints[current - 1];
  return { length: checkpoints[current] - start, into: t - start };
}

export function wsdValue(c: WsdConfig, t: number): number {
  const base = c.base_lr;
  const warmup = wsdWarmup(c);
  if (!c.is_continuation_from_checkpoint && t < warmup)
    return c.warmup_starting_lr + (t / warmup) * (base - c.warmup_starting_lr);
  const { length, into } = wsdPeriod(wsdCheckpoints(c), t);
  const decaySteps = Math.trunc(length * c.decay_phase_ratio);
  const decayStart = length - decaySteps;
  if (into < decayStart) return base;
  const r = Math.min(pyDiv(into - decayStart, decaySteps), 1);
  if (c.use_inverse_sqrt_decay) return base * (c.lr_min + (1 - c.lr_min) * (1 - Math.sqrt(r)));
  if (c.lr_min === 0) throw new FrameworkError('ZeroDivisionError', 'float division by zero');
  return base / (r * (1 / c.lr_min) + (1 - r) * 1);
}
