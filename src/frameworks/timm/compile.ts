/**
 * Plan compiler for timm.scheduler: the warmup as one linear segment, then one segment per cycle
 * (cycle_mul = 1: starts at integer multiples of t_initial), Step as a quantized exponential and
 * MultiStep as a staircase, and the noise as a second track. cycle_mul != 1 puts cycles at
 * fractional steps: one segment per cycle still, with the fraction as the segment's shift.
 */
import { StepError } from '../../errors.js';
import {
  tmq,
  type CycleConfig,
  type MultiStepConfig,
  type PolyConfig,
  type StepConfig,
  type TanhConfig,
  type TimmConfig,
  type CosineConfig,
} from './configs.js';
import { firstOverflowingPower, FrameworkError } from '../python.js';
import { timmCycle, timmLr, timmWarmupStep } from './oracle.js';
import { noiseThreshold } from '../noise.js';
import { constantSegment, exponentialSegment, type Segment, type Tracks } from '../../plan/segments.js';
import { firstStep, staircase } from '../../plan/staircase.js';

/** timm's value at t, a Python exception becoming a StepError at t. */
function lrAt(c: TimmConfig, t: number): number {
  try {
    return timmLr(c, t);
  } catch (e) {
    if (e instanceof FrameworkError) throw new StepError([], `${e.type}: ${e.detail}`, undefined, t);
    throw e;
  }
}

/**
 * One cycle from step `from`, whose t_curr there is offset + shift (offset integer, shift the
 * fraction left when cycles start between steps) and whose length is d = t_i.
 */
function cycleSegment(
  c: CycleConfig,
  from: number,
  offset: number,
  lrMax: number,
  d = c.t_initial,
  shift = 0,
): Segment {
  const lo = c.lr_min;
  const at = { start: from, offset, quantum: 1, shift };
  if (c.kind === tmq('TanhLRScheduler')) {
    const { lb, ub } = c as TanhConfig;
    return { ...at, prim: 'tanh', p: [lo, lrMax - lo, d, lb], levels: Float64Array.from([ub]) };
  }
  if (c.kind === tmq('CosineLRScheduler'))
    return { ...at, prim: 'cosine', p: [lrMax, lo - lrMax, d, (c as CosineConfig).k_decay] };
  const p = c as PolyConfig;
  return { ...at, prim: 'kpoly', p: [lo, lrMax - lo, d, p.power], levels: Float64Array.from([p.k_decay]) };
}

/**
 * The cycles over [from, stop): cycle i starts at i t_initial, or t_initial (1 - m^i) / (1 - m)
 * with cycle_mul m != 1, often between two steps. Its steps are found from timm's own cycle index
 * (a staircase over its floor division or f64 log) up to the first step past cycle_limit, which
 * holds lr_min; each cycle is one segment whose x + shift is timm's t_curr. With m < 1 the cycles
 * shrink toward t_initial / (1 - m), where timm's log leaves its domain (see cyclesRaiseFrom).
 */
function cycles(c: CycleConfig, from: number, stop: number, shift: number): Segment[] {
  const m = c.cycle_mul;
  const cycleOf = (t: number) => timmCycleIndex(c, t - shift);
  const cycleStart = (i: number) => (m === 1 ? i * c.t_initial : ((1 - m ** i) / (1 - m)) * c.t_initial);
  const limitAt = firstStep(from, stop, (t) => cycleOf(t) >= c.cycle_limit);
  const out: Segment[] = [];
  if (from < limitAt) {
    const stairs = staircase(
      cycleOf,
      (i) => i,
      from,
      limitAt - 1,
      (i) => shift + cycleStart(i + 1),
    );
    [from, ...stairs.breaks].forEach((t, j) => {
      const i = stairs.levels[j];
      lrAt(c, t); // raises where timm raises (0 ** negative k_decay)
      const tcurr = t - shift - cycleStart(i);
      const offset = Math.max(0, Math.floor(tcurr));
      out.push(cycleSegment(c, t, offset, c.base_lr * c.cycle_decay ** i, m ** i * c.t_initial, tcurr - offset));
    });
  }
  if (limitAt < stop) out.push(constantSegment(limitAt, c.lr_min));
  return out;
}

/**
 * The first step in [from, hi) where timm's _get_lr raises in every cycle, the limit's lr_min
 * included: cycle_mul < 1 once the log's argument reaches 0, and Cosine/Poly once
 * cycle_decay ** i overflows (they compute it before testing the limit); hi if none.
 */
function cyclesRaiseFrom(c: CycleConfig, from: number, hi: number, shift: number): number {
  const m = c.cycle_mul;
  let stop = hi;
  if (m < 1) stop = firstStep(from, stop, (t) => 1 - ((t - shift) / c.t_initial) * (1 - m) <= 0);
  const overflowing = firstOverflowingPower(c.cycle_decay);
  if (c.kind !== tmq('TanhLRScheduler') && overflowing < Infinity)
    stop = firstStep(from, stop, (t) => timmCycleIndex(c, t - shift) >= overflowing);
  return stop;
}

function table(c: TimmConfig, from: number, to: number): Segment {
  const values = new Float64Array(to - from);
  for (let t = from; t < to; t++) values[t - from] = lrAt(c, t);
  return { start: from, prim: 'table', offset: 0, quantum: 1, p: [0, 0, 0, 0], levels: values };
}

/** Segments from step `from` (the warmup's end) to hi. */
function afterWarmup(c: TimmConfig, from: number, hi: number): Segment[] {
  const shift = c.warmup_prefix ? c.warmup_t : 0;
  if (c.kind === tmq('StepLRScheduler')) {
    const s = c as StepConfig;
    const q = s.decay_t;
    if (!(Number.isInteger(q) && q > 0 && s.decay_rate > 0 && Number.isInteger(shift))) return [table(c, from, hi)];
    // decay_rate ** k overflows from some k on: timm raises OverflowError there
    const stop = Math.min(hi, shift + firstOverflowingPower(s.decay_rate) * q);
    // base * rate^(floor((t - shift) / q)): constant up to the next multiple, then quantized
    const x0 = from - shift;
    const next = Math.ceil(x0 / q) * q + shift;
    const out: Segment[] = [];
    if (next > from) out.push(constantSegment(from, lrAt(c, from)));
    const seg = exponentialSegment(next, next - shift, s.base_lr, s.decay_rate, q);
    if (next < stop) out.push({ ...seg, quantum: q });
    if (stop < hi) lrAt(c, stop); // raises
    return out;
  }
  if (c.kind === tmq('MultiStepLRScheduler')) {
    const s = c as MultiStepConfig;
    // the count bisect_right(decay_t, x + 1) rises at x >= d - 1, x = t - shift
    const thresholds = s.decay_t.map((d) => Math.max(0, Math.ceil(d - 1 + shift) - from));
    const sorted = [...s.decay_t].every((d, i, a) => i === 0 || a[i - 1] <= d);
    if (!sorted || s.decay_rate < 0) return [table(c, from, hi)];
    const levels = thresholds.map((_, k) => s.base_lr * s.decay_rate ** (k + 1));
    return [
      {
        start: from,
        prim: 'levels',
        offset: 0,
        quantum: 1,
        p: [0, 0, 0, 0],
        breaks: Uint32Array.from(thresholds.map((x) => Math.min(x, 0xffffffff))),
        levels: Float64Array.from([s.base_lr, ...levels]),
      },
    ];
  }
  const cc = c as CycleConfig;
  const stop = cyclesRaiseFrom(cc, from, hi, shift);
  const out = cycles(cc, from, stop, shift);
  if (stop < hi) lrAt(c, stop); // raises
  return out;
}

function timmCycleIndex(c: CycleConfig, t: number): number {
  try {
    return timmCycle(c, t).i;
  } catch (e) {
    if (e instanceof FrameworkError)
      throw new StepError([], `${e.type}: ${e.detail}`, undefined, t + (c.warmup_prefix ? c.warmup_t : 0));
    throw e;
  }
}

function noiseTrack(c: TimmConfig, hi: number): Segment[] {
  const r = c.noise_range_t;
  if (r === null) return [];
  const from = Math.max(0, Math.ceil(Array.isArray(r) ? r[0] : r));
  const to = Array.isArray(r) ? Math.max(from, Math.ceil(r[1])) : Infinity;
  if (from >= hi || to <= from) return [];
  const out: Segment[] = [];
  if (from > 0) out.push(constantSegment(0, 1));
  out.push({
    start: from,
    prim: 'noise',
    offset: from,
    quantum: 1,
    p: [0, 0, 0, 0],
    breaks: Uint32Array.from([c.noise_seed >>> 0, noiseThreshold(c.noise_pct)]),
  });
  if (to < hi) out.push(constantSegment(to, 1));
  return out;
}

export function compileTimm(c: TimmConfig, _total: number, lo: number, hi: number): Tracks {
  const W = Math.max(0, c.warmup_t);
  const main: Segment[] = [];
  if (W > 0)
    main.push({ start: 0, prim: 'linear', offset: 0, quantum: 1, p: [c.warmup_lr_init, timmWarmupStep(c) * W, W, 0] });
  // the warmup covers t < warmup_t: the first step past it is the first whole step >= W
  if (hi > Math.ceil(W)) main.push(...afterWarmup(c, Math.ceil(W), hi));
  const noise = noiseTrack(c, hi);
  const clip = (segs: Segment[]) => {
    const kept = segs.filter((s, i) => i + 1 >= segs.length || segs[i + 1].start > lo);
    if (kept.length && kept[0].start < lo)
      kept[0] = { ...kept[0], start: lo, offset: kept[0].offset + lo - kept[0].start };
    return kept;
  };
  return noise.length ? [clip(main), clip(noise)] : [clip(main)];
}
