/**
 * Plan compiler for Megatron-LM's OptimizerParamScheduler. Update t sets num_steps n = t * increment;
 * each of get_lr's and get_wd's branches holds for a run of n, so its first and last update are
 * integers found here with Megatron's own comparisons (`n <= lr_warmup_steps`, `n > lr_decay_steps`,
 * `n <= wsd_anneal_start_`, `n > wd_incr_steps`). Within a branch the curve is a primitive of
 * u = t - origin / increment, the ratio Megatron forms from n.
 */
import { StepError } from '../../errors.js';
import { lastUpdateAtOrBelow, lrRaises, type SchedulerConfig } from './configs.js';
import { constant, phases, type Phase } from '../../plan/phases.js';
import type { PrimitiveName, Segment, Tracks } from '../../plan/segments.js';

/** A progress curve whose x + shift is t - origin / increment (origin: a num_steps, any integer). */
function along(
  prim: PrimitiveName,
  origin: number,
  inc: number,
  p: [number, number, number, number],
  levels?: Float64Array,
): (start: number) => Segment[] {
  const whole = lastUpdateAtOrBelow(origin, inc);
  const shift = -(origin - whole * inc) / inc;
  return (start) => [{ start, prim, offset: start - whole, quantum: 1, p, shift, ...(levels ? { levels } : {}) }];
}

/** The first update whose num_steps exceeds n (n = -Infinity: update 0). */
const firstAbove = (n: number, inc: number) => (n === -Infinity ? 0 : Math.max(0, lastUpdateAtOrBelow(n, inc) + 1));

function lrPhases(c: SchedulerConfig): Phase[] {
  const { init_lr: init, max_lr: max, min_lr: min, lr_warmup_steps: w, lr_decay_steps: d, increment: inc } = c;
  const list: Phase[] = [];
  // warmup while n <= W (inclusive), when W > 0
  if (w > 0) list.push({ from: 0, make: along('linear', 0, inc, [init, max - init, w / inc, 0]) });
  const after = firstAbove(w > 0 ? w : -Infinity, inc);
  if (c.lr_decay_style === 'constant') return [...list, { from: after, make: constant(max) }];
  const past = firstAbove(d, inc); // n > lr_decay_steps: min_lr
  const delta = max - min;
  const style = c.lr_decay_style;
  if (style === 'inverse-square-root') {
    const root = Math.sqrt(Math.max(w, 1));
    const isr = (t: number) => Math.max(min, (max * root) / Math.sqrt(Math.max(t * inc, 1)));
    // n = 0 reads max(n, 1) = 1; from n >= 1 on: max_lr * sqrt(W) / sqrt(t0 inc) * (1 + x / t0)^-0.5
    const t0 = Math.max(after, 1);
    if (after === 0) list.push({ from: 0, make: constant(isr(0)) });
    // decreasing in n: the max(min_lr, .) clamp holds from the first update below min_lr on
    let a = t0;
    let b = Math.max(t0, past);
    while (a < b) {
      const m = Math.floor((a + b) / 2);
      if ((max * root) / Math.sqrt(m * inc) < min) b = m;
      else a = m + 1;
    }
    const head = (max * root) / Math.sqrt(t0 * inc);
    list.push({
      from: t0,
      make: (start) => [{ start, prim: 'polynomial', offset: start - t0, quantum: 1, p: [head, -head, -t0, -0.5] }],
    });
    list.push({ from: a, make: constant(min) });
  } else if (style === 'linear') {
    list.push({ from: after, make: along('linear', w, inc, [min + 1 * delta, -delta, (d - w) / inc, 0]) });
  } else if (style === 'cosine') {
    list.push({ from: after, make: along('cosine', w, inc, [max, min - max, (d - w) / inc, 1]) });
  } else {
    // WSD: coeff 1 while n <= lr_decay_steps - wsd_decay_steps, then the anneal
    const wsd = c.wsd_decay_steps!;
    const anneal = d - wsd;
    list.push({ from: after, make: constant(min + 1 * delta) });
    const s = c.lr_wsd_decay_style;
    const dd = wsd / inc;
    const t0 = firstAbove(anneal, inc);
    // exponential: min + (2 * 0.5^r - 1) * delta = (min - delta) + 2 * delta * 0.5^r0 * 0.5^(x / d), x = t - t0
    const scale = 2 * delta * Math.pow(0.5, (t0 * inc - anneal) / wsd);
    const make =
      s === 'linear'
        ? along('linear', anneal, inc, [min + 1 * delta, -delta, dd, 0])
        : s === 'cosine'
          ? along('cosine', anneal, inc, [max, min - max, dd, 1])
          : s === 'minus_sqrt'
            ? along('kpoly', anneal, inc, [min, delta, dd, 1], Float64Array.from([0.5]))
            : (start: number): Segment[] => [
                {
                  start,
                  prim: 'offsetexp',
                  offset: start - t0,
                  quantum: 1,
                  p: [min - delta, scale, dd, Math.log(0.5)],
                },
              ];
    list.push({ from: t0, make });
  }
  list.push({ from: past, make: constant(min) });
  return list;
}

function wdPhases(c: SchedulerConfig): Phase[] {
  const { start_wd: start, end_wd: end, wd_incr_steps: wi, increment: inc } = c;
  const list: Phase[] = [];
  if (c.wd_incr_style === 'linear')
    list.push({ from: 0, make: along('linear', 0, inc, [start, end - start, wi / inc, 0]) });
  else if (c.wd_incr_style === 'cosine')
    // 0.5 * (cos(pi * (1 - r)) + 1) = (1 - cos(pi * r)) / 2
    list.push({ from: 0, make: along('cosine', 0, inc, [start, end - start, wi / inc, 1]) });
  // constant (start_wd == end_wd), and every update with n > wd_incr_steps: end_wd
  list.push({ from: c.wd_incr_style === 'constant' ? 0 : firstAbove(wi, inc), make: constant(end) });
  return list;
}

export function compileScheduler(c: SchedulerConfig, _total: number, lo: number, hi: number): Tracks {
  // get_wd raises at n = 0 or never (the constructor's check); get_lr from its first decay update
  const w = c.lr_warmup_steps;
  let low = w > 0 ? w : -Infinity;
  if (c.lr_decay_style === 'WSD') low = Math.max(low, c.lr_decay_steps - c.wsd_decay_steps!);
  const first = firstAbove(low, c.increment);
  const raised = lrRaises(c, first * c.increment);
  if (raised && first >= lo && first < hi)
    throw new StepError([raised.field], raised.error.message, c[raised.field], first);
  return phases(lo, hi, c.output === 'lr' ? lrPhases(c) : wdPhases(c));
}
