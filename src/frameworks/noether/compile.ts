/**
 * Plan compiler for noether.core.schedules. Each function turns a spec evaluated with `total` steps,
 * over its local steps [lo, hi), into segments; every boundary (sequential starts, staircase indices,
 * int(pct * (total - 1))) is computed here in f64 exactly as noether computes it.
 * Where noether would raise at some step, a StepError names the first such step.
 */
import { Shown, StepError, type PathPart } from '../../errors.js';
import type { CompileRange, NormalSpec } from '../types.js';
import {
  lwcdInner,
  progressStartDelta,
  type ConstantConfig,
  type CustomConfig,
  type LwcdConfig,
  type Overhang,
  type ProgressConfig,
  type SequentialPercentConfig,
  type SequentialStepConfig,
  type StepDecreasingConfig,
  type StepFixedConfig,
  type StepIntervalConfig,
} from './configs.js';
import { FrameworkError, pyIntRound10, pyPow } from '../python.js';
import { concatTracks, constantSegment, shiftTracks, type Segment, type Tracks } from '../../plan/segments.js';
import { valueAtTracks } from '../../plan/segment-value.js';
import { levelsSegment, staircase } from '../../plan/staircase.js';

/**
 * ScheduleBase.get_value's `0 <= step <= total_steps` around a kind's compiler: steps past the end
 * raise, unless an earlier step already raised inside the kind (noether fails at the first bad step).
 */
function inRange(total: number, lo: number, hi: number, compile: (hi: number) => Segment[] | Tracks): Tracks {
  const refuse = (step: number) =>
    new StepError([], `ValueError: 0 <= step <= total_steps (step=${step} total_steps=${total})`, undefined, step);
  if (lo < 0) throw refuse(lo);
  const firstBad = hi - 1 > total ? Math.max(lo, total + 1) : null;
  if (firstBad === null) return asTracks(compile(hi));
  if (firstBad > lo) compile(firstBad);
  throw refuse(firstBad);
}

/** Leaf kinds build one track. */
function asTracks(curve: Segment[] | Tracks): Tracks {
  return Array.isArray(curve[0]) ? (curve as Tracks) : [curve as Segment[]];
}

function withOverhang(c: Overhang, total: number): number {
  if (c.overhang_percent != null) total += Math.trunc(total * c.overhang_percent);
  if (c.overhang_steps != null) total += c.overhang_steps;
  return total;
}

/** Run `make`, turning a FrameworkError into a StepError at `step`. */
function raisesAt<T>(step: number, path: PathPart[], got: unknown, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof FrameworkError) throw new StepError(path, `${e.type}: ${e.detail}`, got, step);
    throw e;
  }
}

export function compileConstant(c: ConstantConfig, total: number, lo: number, hi: number): Tracks {
  return inRange(total, lo, hi, () => [constantSegment(lo, c.value)]);
}

export function compileCustom(c: CustomConfig, total: number, lo: number, hi: number): Tracks {
  return inRange(total, lo, hi, (hi) => customTable(c, lo, hi));
}

function customTable(c: CustomConfig, lo: number, hi: number): Segment[] {
  const n = c.values.length;
  if (hi > n)
    throw new StepError(['values'], 'IndexError: list index out of range', new Shown(`${n} values`), Math.max(lo, n));
  return [
    {
      start: lo,
      prim: 'table',
      offset: 0,
      quantum: 1,
      p: [0, 0, 0, 0],
      levels: Float64Array.from(c.values.slice(lo, hi)),
    },
  ];
}

/** Linear/Cosine/Polynomial Increasing/DecreasingSchedule: x = step (+1 with exclude_first), d = max(1, total' - 1). */
export function compileProgress(shape: 'linear' | 'cosine' | 'polynomial', decreasing: boolean) {
  return (c: ProgressConfig, total: number, lo: number, hi: number): Tracks =>
    inRange(total, lo, hi, (hi) => {
      let n = withOverhang(c, total);
      const shift = c.exclude_first ? 1 : 0;
      if (c.exclude_last) n += 1;
      n += shift;
      const d = Math.max(1, n - 1);
      const power = c.power ?? 1;
      if (shape === 'polynomial') checkPolynomial(power, d, lo + shift, hi - 1 + shift, shift);
      const [start, delta] = progressStartDelta(c, decreasing);
      return [{ start: lo, prim: shape, offset: lo + shift, quantum: 1, p: [start, delta, d, power] }];
    });
}

/** Where `(1 - x / d) ** power` raises in Python for some x in [xlo, xhi]: the first such step. */
function checkPolynomial(power: number, d: number, xlo: number, xhi: number, shift: number): void {
  const fails = (x: number) => {
    try {
      pyPow(1 - x / d, power);
      return null;
    } catch (e) {
      return e as FrameworkError;
    }
  };
  // candidates: the first x past progress 1 (complex), x = d (0 ** negative), and overflow, which
  // grows monotonically away from x = d on each side
  const candidates = [xlo, xhi, d, d + 1, d - 1].filter((x) => x >= xlo && x <= xhi).sort((a, b) => a - b);
  let first = Infinity;
  for (const x of candidates) if (fails(x)) first = Math.min(first, x);
  for (const [a, b] of [
    [xlo, Math.min(xhi, d - 1)],
    [Math.max(xlo, d + 1), xhi],
  ]) {
    if (a > b) continue;
    const left = fails(a) !== null;
    const right = fails(b) !== null;
    if (left === right) continue;
    // exactly one end fails: binary search the boundary
    let ok = left ? b : a;
    let bad = left ? a : b;
    while (Math.abs(ok - bad) > 1) {
      const mid = Math.floor((ok + bad) / 2);
      if (fails(mid)) bad = mid;
      else ok = mid;
    }
    first = Math.min(first, left ? a : bad);
  }
  if (first !== Infinity) {
    const e = fails(first)!;
    throw new StepError(['power'], `${e.type}: ${e.detail}`, power, first - shift);
  }
}

/** StepDecreasingSchedule: start + (1 - factor ** k) * delta, k = int(round(x / total / interval, 10)). */
export function compileStepDecreasing(c: StepDecreasingConfig, total: number, lo: number, hi: number): Tracks {
  return inRange(total, lo, hi, (hi) => {
    let n = withOverhang(c, total);
    const shift = c.exclude_first ? 1 : 0;
    if (c.exclude_last) n += 1;
    n += shift;
    if (n === 0) throw new StepError([], 'ZeroDivisionError: division by zero', undefined, lo);
    const [start, delta] = progressStartDelta(c, true);
    const interval = c.decreases_interval;
    const stairs = staircase(
      (x) => pyIntRound10(x / n / interval),
      (k, x) => raisesAt(x - shift, ['factor'], c.factor, () => start + (1 - pyPow(c.factor, k)) * delta),
      lo + shift,
      hi - 1 + shift,
      (k) => (k + 1) * interval * n,
    );
    return [levelsSegment(lo, lo + shift, stairs)];
  });
}

/** StepIntervalSchedule: start * factor ** int(round(step / total / update_interval, 10)). */
export function compileStepInterval(c: StepIntervalConfig, total: number, lo: number, hi: number): Tracks {
  return inRange(total, lo, hi, (hi) => {
    const n = withOverhang(c, total);
    if (n === 0) throw new StepError([], 'ZeroDivisionError: division by zero', undefined, lo);
    const interval = c.update_interval;
    const stairs = staircase(
      (x) => pyIntRound10(x / n / interval),
      (k, x) => raisesAt(x, ['factor'], c.factor, () => c.start_value * pyPow(c.factor, k)),
      lo,
      hi - 1,
      (k) => (k + 1) * interval * n,
    );
    return [levelsSegment(lo, lo, stairs)];
  });
}

/** StepFixedSchedule: start * factor ** (first i with sorted(steps)[i] > step / total). */
export function compileStepFixed(c: StepFixedConfig, total: number, lo: number, hi: number): Tracks {
  return inRange(total, lo, hi, (hi) => {
    const n = withOverhang(c, total);
    if (n === 0) throw new StepError([], 'ZeroDivisionError: division by zero', undefined, lo);
    const sorted = [...c.steps].sort((a, b) => a - b);
    const indexAt = (x: number) => {
      const progress = x / n;
      const i = sorted.findIndex((s) => s > progress);
      return i === -1 ? sorted.length : i;
    };
    const stairs = staircase(
      indexAt,
      (k, x) => raisesAt(x, ['factor'], c.factor, () => c.start_value * pyPow(c.factor, k)),
      lo,
      hi - 1,
      (k) => (k < sorted.length ? sorted[k] * n : Infinity),
    );
    return [levelsSegment(lo, lo, stairs)];
  });
}

/** One entry of a sequential schedule after noether's propagation: integer start/end steps. */
interface Piece {
  start: number;
  end: number;
  schedule: NormalSpec;
  path: PathPart[];
}

/**
 * The shared part of SequentialPercent/StepSchedule: the last piece whose start <= step runs with
 * its local step; past its end it holds its last value; before the first piece starts, the first
 * piece's value at step 0. `zeroLengthRunsOnce`: SequentialPercent evaluates a zero-length piece as
 * get_value(0, 1); SequentialStep has no such rule (and raises).
 */
function compilePieces(
  pieces: Piece[],
  lo: number,
  hi: number,
  compileChild: CompileRange,
  zeroLengthRunsOnce: boolean,
): Tracks {
  const active = (t: number) => {
    for (let i = pieces.length - 1; i >= 0; i--) if (pieces[i].start <= t) return i;
    return -1;
  };
  const cuts = [...new Set([lo, ...pieces.map((p) => p.start).filter((s) => s > lo && s < hi)])].sort((a, b) => a - b);
  const parts: { from: number; tracks: Tracks }[] = [];
  // the value of piece p at its local step `step` of `total`, held over parent steps [a, b)
  const hold = (p: Piece, step: number, total: number, a: number, b: number) => {
    if (a >= b) return;
    const tracks = within(p, a, () => compileChild(p.schedule, total, step, step + 1));
    parts.push({ from: a, tracks: [[constantSegment(a, valueAtTracks(tracks, step))]] });
  };
  cuts.forEach((a, j) => {
    const b = j + 1 < cuts.length ? cuts[j + 1] : hi;
    const i = active(a);
    if (i === -1) return hold(pieces[0], 0, pieces[0].end - pieces[0].start, a, b);
    const p = pieces[i];
    const adjTotal = p.end - p.start;
    if (zeroLengthRunsOnce && adjTotal === 0) return hold(p, 0, 1, a, b);
    const liveEnd = Math.min(b, p.start + adjTotal);
    if (a < liveEnd) {
      const tracks = within(p, null, () => compileChild(p.schedule, adjTotal, a - p.start, liveEnd - p.start));
      parts.push({ from: a, tracks: shiftTracks(tracks, p.start) });
    }
    hold(p, adjTotal - 1, adjTotal, Math.max(a, p.start + adjTotal), b);
  });
  return concatTracks(parts);
}

/** Compile a piece's schedule; its errors move under the piece's path and to the parent's step. */
function within(p: Piece, heldFrom: number | null, make: () => Tracks): Tracks {
  try {
    return make();
  } catch (e) {
    if (e instanceof StepError) throw e.under(p.path).at(heldFrom ?? e.step + p.start);
    throw e;
  }
}

export function compileSequentialPercent(
  c: SequentialPercentConfig,
  total: number,
  lo: number,
  hi: number,
  compileChild: CompileRange,
): Tracks {
  return inRange(total, lo, hi, (hi) => {
    const m1 = total - 1;
    const pieces = c.schedule_configs.map((cfg, i): Piece => {
      const start = Math.trunc(cfg.start_percent! * m1);
      const end = cfg.end_percent === 1 || cfg.end_percent === null ? total : Math.trunc(m1 * cfg.end_percent);
      return { start, end, schedule: cfg.schedule, path: ['schedule_configs', i, 'schedule'] };
    });
    return compilePieces(pieces, lo, hi, compileChild, true);
  });
}

export function compileSequentialStep(
  c: SequentialStepConfig,
  total: number,
  lo: number,
  hi: number,
  compileChild: CompileRange,
): Tracks {
  return inRange(total, lo, hi, (hi) => {
    const n = withOverhang(c, total);
    const pieces = c.schedule_configs.map((cfg, i): Piece => ({
      start: cfg.start_step!,
      end: cfg.end_step || n,
      schedule: cfg.schedule,
      path: ['schedule_configs', i, 'schedule'],
    }));
    return compilePieces(pieces, lo, hi, compileChild, false);
  });
}

/** LinearWarmupCosineDecaySchedule: its overhang, then the sequential schedule it builds. */
export function compileLwcd(c: LwcdConfig, total: number, lo: number, hi: number, compileChild: CompileRange): Tracks {
  return inRange(total, lo, hi, (hi) => {
    try {
      return compileChild(lwcdInner(c), withOverhang(c, total), lo, hi);
    } catch (e) {
      // the inner schedules are noether's construction, not the user's: report at the spec itself
      if (e instanceof StepError) throw new StepError([], e.reason, e.got, e.step);
      throw e;
    }
  });
}
