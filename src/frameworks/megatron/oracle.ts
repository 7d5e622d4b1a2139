/**
 * Oracle for Megatron-LM's OptimizerParamScheduler: get_lr and get_wd ported line by line, at
 * num_steps = t * increment (the constructor's step(0), then t calls of step(increment)). step()
 * computes both fields, so what either raises at that num_steps raises for both outputs.
 */
import { lrRaises, wdRaises, type SchedulerConfig } from './configs.js';
import { pyDiv } from '../python.js';

export function getLr(c: SchedulerConfig, n: number): number {
  const maxLr = c.max_lr;
  const minLr = c.min_lr;
  const w = c.lr_warmup_steps;
  if (w > 0 && n <= w) return c.init_lr + ((maxLr - c.init_lr) * n) / w;
  if (c.lr_decay_style === 'constant') return maxLr;
  if (n > c.lr_decay_steps) return minLr;
  if (c.lr_decay_style === 'inverse-square-root') {
    const warmup = Math.max(w, 1);
    const steps = Math.max(n, 1);
    const lr = (maxLr * Math.sqrt(warmup)) / Math.sqrt(steps);
    return Math.max(minLr, lr);
  }
  const decayRatio = (n - w) / (c.lr_decay_steps - w);
  const delta = maxLr - minLr;
  let coeff: number;
  if (c.lr_decay_style === 'linear') coeff = 1 - decayRatio;
  else if (c.lr_decay_style === 'cosine') coeff = 0.5 * (Math.cos(Math.PI * decayRatio) + 1);
  else {
    // WSD (lrRaises has thrown for the rest)
    const annealStart = c.lr_decay_steps - c.wsd_decay_steps!;
    if (n <= annealStart) coeff = 1;
    else {
      const r = (n - annealStart) / c.wsd_decay_steps!;
      const style = c.lr_wsd_decay_style;
      if (style === 'linear') coeff = 1 - r;
      else if (style === 'cosine') coeff = 0.5 * (Math.cos(Math.PI * r) + 1);
      else if (style === 'exponential') coeff = 2 * Math.pow(0.5, r) - 1;
      else coeff = 1 - Math.sqrt(r);
    }
  }
  return minLr + coeff * delta;
}

export function getWd(c: SchedulerConfig, n: number): number {
  if (n > c.wd_incr_steps) return c.end_wd;
  if (c.wd_incr_style === 'constant') return c.end_wd;
  const ratio = pyDiv(n, c.wd_incr_steps);
  const delta = c.end_wd - c.start_wd;
  const coeff = c.wd_incr_style === 'linear' ? ratio : 0.5 * (Math.cos(Math.PI * (1 - ratio)) + 1);
  return c.start_wd + coeff * delta;
}

export function schedulerValue(c: SchedulerConfig, step: number): number {
  const n = step * c.increment;
  const raised = lrRaises(c, n) ?? wdRaises(c, n);
  if (raised) throw raised.error;
  const lr = getLr(c, n);
  const wd = getWd(c, n) * 1.0; // times the group's wd_mult, 1.0 by default
  return c.output === 'lr' ? lr : wd;
}
