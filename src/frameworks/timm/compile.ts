/**
 * Plan compiler for timm.scheduler, one compiler per scheduler class: the warmup as one linear
 * segment, then one segment per cycle (cycle_mul = 1: starts at integer multiples of t_initial),
 * Step as a quantized exponential and MultiStep as a staircase, and the noise as a second track.
 * cycle_mul != 1 puts cycles at fractional steps: one segment per cycle still, with the fraction as
 * the segment's shift. Values and Python errors come from compile-lr.ts, the compiler's own
 * reading of timm's _get_lr.
 */
import { StepError } from '../../errors.js';
import type {
  CosineConfig,
  CycleConfig,
  MultiStepConfig,
  PolyConfig,
  StepConfig,
  TanhConfig,
  TimmConfig,
} from './configs.js';
import { firstOverflowingPower, FrameworkError } from '../python.js';
import { cosineLr, cyclePlace, multiStepLr, polyLr, stepLr, tanhLr } from './compile-lr.js';
import { noiseThreshold } from '../noise.js';
import { constantSegment, exponentialSegment, type Segment, type Tracks } from '../../plan/segments.js';
import { firstStep, staircase } from '../../plan/staircase.js';

/** `f(t)`, a Python exception in it becoming a StepError at `step` (t unless given). */
function refusing<T>(f: () => T, step: number): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FrameworkError) throw new StepError([], `${e.type}: ${e.detail}`, undefined, step);
    throw e;
  }
}

/** Where a segment of one cycle starts: x + shift is timm's t_curr at `start`. */
interface CycleAt {
  start: number;
  offset: number;
  quantum: number;
  shift: number;
}

/** What tells the three cycle schedulers apart. */
interface CycleKind<C extends CycleConfig> {
  /** _get_lr(t) past the warmup. */
  lr(c: C, t: number): number;
  /** One cycle of length d from lrMax down to lr_min. */
  segment(c: C, at: CycleAt, lrMax: number, d: number): Segment;
  /** Cosine and Poly raise cycle_decay ** i before the cycle_limit test (also past it), Tanh inside it. */
  decayBeforeLimit: boolean;
  /** The value the warmup rises to at warmup_t. */
  warmupTarget(c: C): number;
}

const COSINE: CycleKind<CosineConfig> = {
  lr: cosineLr,
  segment: (c, at, lrMax, d) => ({ ...at, prim: 'cosine', p: [lrMax, c.lr_min - lrMax, d, c.k_decay] }),
  decayBeforeLimit: true,
  warmupTarget: (c) => c.base_lr,
};

const POLY: CycleKind<PolyConfig> = {
  lr: polyLr,
  segment: (c, at, lrMax, d) => ({
    ...at,
    prim: 'kpoly',
    p: [c.lr_min, lrMax - c.lr_min, d, c.power],
    levels: Float64Array.from([c.k_decay]),
  }),
  decayBeforeLimit: true,
  warmupTarget: (c) => c.base_lr,
};

const TANH: CycleKind<TanhConfig> = {
  lr: tanhLr,
  segment: (c, at, lrMax, d) => ({
    ...at,
    prim: 'tanh',
    p: [c.lr_min, lrMax - c.lr_min, d, c.lb],
    levels: Float64Array.from([c.ub]),
  }),
  decayBeforeLimit: false,
  // without warmup_prefix the constructor aims the warmup at _get_lr(warmup_t)
  warmupTarget: (c) => (c.warmup_prefix ? c.base_lr : tanhLr(c, c.warmup_t)),
};

/** timm's cycle index of t (past the warmup prefix), a Python error refused at the step it belongs to. */
function cycleIndex(c: CycleConfig, t: number): number {
  return refusing(() => cyclePlace(c.t_initial, c.cycle_mul, t).i, t + (c.warmup_prefix ? c.warmup_t : 0));
}

/**
 * The cycles over [from, stop): cycle i starts at i t_initial, or t_initial (1 - m^i) / (1 - m)
 * with cycle_mul m != 1, often between two steps. Its steps are found from timm's own cycle index
 * (a staircase over its floor division or f64 log) up to the first step past cycle_limit, which
 * holds lr_min; each cycle is one segment whose x + shift is timm's t_curr. With m < 1 the cycles
 * shrink toward t_initial / (1 - m), where timm's log leaves its domain (see cyclesRaiseFrom).
 */
function cycles<C extends CycleConfig>(kind: CycleKind<C>, c: C, from: number, stop: number, shift: number): Segment[] {
  const m = c.cycle_mul;
  const cycleOf = (t: number) => cycleIndex(c, t - shift);
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
      refusing(() => kind.lr(c, t), t); // raises where timm raises (0 ** negative k_decay)
      const tcurr = t - shift - cycleStart(i);
      const offset = Math.max(0, Math.floor(tcurr));
      const at = { start: t, offset, quantum: 1, shift: tcurr - offset };
      out.push(kind.segment(c, at, c.base_lr * c.cycle_decay ** i, m ** i * c.t_initial));
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
function cyclesRaiseFrom<C extends CycleConfig>(
  kind: CycleKind<C>,
  c: C,
  from: number,
  hi: number,
  shift: number,
): number {
  const m = c.cycle_mul;
  let stop = hi;
  if (m < 1) stop = firstStep(from, stop, (t) => 1 - ((t - shift) / c.t_initial) * (1 - m) <= 0);
  const overflowing = firstOverflowingPower(c.cycle_decay);
  if (kind.decayBeforeLimit && overflowing < Infinity)
    stop = firstStep(from, stop, (t) => cycleIndex(c, t - shift) >= overflowing);
  return stop;
}

const prefixShift = (c: TimmConfig) => (c.warmup_prefix ? c.warmup_t : 0);

function cyclesAfterWarmup<C extends CycleConfig>(kind: CycleKind<C>, c: C, from: number, hi: number): Segment[] {
  const shift = prefixShift(c);
  const stop = cyclesRaiseFrom(kind, c, from, hi, shift);
  const out = cycles(kind, c, from, stop, shift);
  if (stop < hi) refusing(() => kind.lr(c, stop), stop); // raises
  return out;
}

/** `lr(t)` listed step by step over [from, to). */
function table<C>(lr: (c: C, t: number) => number, c: C, from: number, to: number): Segment {
  const values = new Float64Array(to - from);
  for (let t = from; t < to; t++) values[t - from] = refusing(() => lr(c, t), t);
  return { start: from, prim: 'table', offset: 0, quantum: 1, p: [0, 0, 0, 0], levels: values };
}

function stepAfterWarmup(c: StepConfig, from: number, hi: number): Segment[] {
  const shift = prefixShift(c);
  const q = c.decay_t;
  if (!(Number.isInteger(q) && q > 0 && c.decay_rate > 0 && Number.isInteger(shift)))
    return [table(stepLr, c, from, hi)];
  // decay_rate ** k overflows from some k on: timm raises OverflowError there
  const stop = Math.min(hi, shift + firstOverflowingPower(c.decay_rate) * q);
  // base * rate^(floor((t - shift) / q)): constant up to the next multiple, then quantized
  const x0 = from - shift;
  const next = Math.ceil(x0 / q) * q + shift;
  const out: Segment[] = [];
  if (next > from)
    out.push(
      constantSegment(
        from,
        refusing(() => stepLr(c, from), from),
      ),
    );
  const seg = exponentialSegment(next, next - shift, c.base_lr, c.decay_rate, q);
  if (next < stop) out.push({ ...seg, quantum: q });
  if (stop < hi) refusing(() => stepLr(c, stop), stop); // raises
  return out;
}

function multiStepAfterWarmup(c: MultiStepConfig, from: number, hi: number): Segment[] {
  const shift = prefixShift(c);
  // the count bisect_right(decay_t, x + 1) rises at x >= d - 1, x = t - shift
  const thresholds = c.decay_t.map((d) => Math.max(0, Math.ceil(d - 1 + shift) - from));
  const sorted = [...c.decay_t].every((d, i, a) => i === 0 || a[i - 1] <= d);
  if (!sorted || c.decay_rate < 0) return [table(multiStepLr, c, from, hi)];
  const levels = thresholds.map((_, k) => c.base_lr * c.decay_rate ** (k + 1));
  return [
    {
      start: from,
      prim: 'levels',
      offset: 0,
      quantum: 1,
      p: [0, 0, 0, 0],
      breaks: Uint32Array.from(thresholds.map((x) => Math.min(x, 0xffffffff))),
      levels: Float64Array.from([c.base_lr, ...levels]),
    },
  ];
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

/**
 * Any scheduler's plan over local steps [lo, hi): the warmup toward `target` over t < warmup_t,
 * `after(from, hi)` from the first whole step past it, and the noise track.
 */
function compileScheduler(
  c: TimmConfig,
  lo: number,
  hi: number,
  target: () => number,
  after: (from: number, hi: number) => Segment[],
): Tracks {
  const W = Math.max(0, c.warmup_t);
  const main: Segment[] = [];
  if (W > 0) {
    // timm's warmup_steps: the per-step increment (target - warmup_lr_init) / warmup_t
    const increment = (target() - c.warmup_lr_init) / c.warmup_t;
    main.push({ start: 0, prim: 'linear', offset: 0, quantum: 1, p: [c.warmup_lr_init, increment * W, W, 0] });
  }
  // the warmup covers t < warmup_t: the first step past it is the first whole step >= W
  if (hi > Math.ceil(W)) main.push(...after(Math.ceil(W), hi));
  const noise = noiseTrack(c, hi);
  const clip = (segs: Segment[]) => {
    const kept = segs.filter((s, i) => i + 1 >= segs.length || segs[i + 1].start > lo);
    if (kept.length && kept[0].start < lo)
      kept[0] = { ...kept[0], start: lo, offset: kept[0].offset + lo - kept[0].start };
    return kept;
  };
  return noise.length ? [clip(main), clip(noise)] : [clip(main)];
}

function compileCycles<C extends CycleConfig>(kind: CycleKind<C>, c: C, lo: number, hi: number): Tracks {
  return compileScheduler(
    c,
    lo,
    hi,
    () => kind.warmupTarget(c),
    (from, to) => cyclesAfterWarmup(kind, c, from, to),
  );
}

export function compileCosine(c: CosineConfig, _total: number, lo: number, hi: number): Tracks {
  return compileCycles(COSINE, c, lo, hi);
}

export function compilePoly(c: PolyConfig, _total: number, lo: number, hi: number): Tracks {
  return compileCycles(POLY, c, lo, hi);
}

export function compileTanh(c: TanhConfig, _total: number, lo: number, hi: number): Tracks {
  return compileCycles(TANH, c, lo, hi);
}

export function compileStep(c: StepConfig, _total: number, lo: number, hi: number): Tracks {
  return compileScheduler(
    c,
    lo,
    hi,
    () => c.base_lr,
    (from, to) => stepAfterWarmup(c, from, to),
  );
}

export function compileMultiStep(c: MultiStepConfig, _total: number, lo: number, hi: number): Tracks {
  return compileScheduler(
    c,
    lo,
    hi,
    () => c.base_lr,
    (from, to) => multiStepAfterWarmup(c, from, to),
  );
}
