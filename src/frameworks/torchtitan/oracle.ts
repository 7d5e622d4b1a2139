/**
 * Oracle for torchtitan's LRSchedulersContainer: linear_warmup_stable_decay ported line by line,
 * times base_lr as its LambdaLR gives it after `step` calls of step().
 */
import { decayRaises, phaseLengths, type ContainerConfig } from './configs.js';

export function containerValue(c: ContainerConfig, step: number, total: number): number {
  const p = phaseLengths(c, total);
  const warmupStable = p.warmup + p.stable;
  let adjustment: number;
  if (step < p.warmup)
    adjustment = (step + 1) / p.warmup; // 0-indexed step, hence + 1
  else if (step < warmupStable) adjustment = 1;
  else {
    const raised = decayRaises(c, p, step);
    if (raised) throw raised;
    const progress = (step + 1 - warmupStable) / p.decay;
    let shape: number;
    if (c.decay_type === 'linear') shape = 1 - progress;
    else if (c.decay_type === 'sqrt') shape = 1 - Math.sqrt(progress);
    else shape = 0.5 * (1 + Math.cos(Math.PI * progress));
    adjustment = c.min_lr_factor + (1 - c.min_lr_factor) * shape;
  }
  return c.base_lr * adjustment;
}
