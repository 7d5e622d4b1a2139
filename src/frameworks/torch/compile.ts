/**
 * Plan compiler for torch.optim.lr_scheduler (torch 1.13). torch's schedulers update the lr
 * recursively; here each is its closed form on primitives, with every boundary (step multiples,
 * milestones, restarts, OneCycle phases, cycles) an integer computed in f64 as torch computes it.
 *
 * A scheduler's curve starts from an lr L at its local step 0 and then follows its recursion:
 * - 'fresh': constructed on an optimizer whose lr is `base` (its first get_lr runs at epoch 0);
 * - 'restart': SequentialLR's step(0) at a milestone, which evaluates the closed form at epoch 0.
 * The multiplicative schedulers scale with L, so a ChainedScheduler of them is a product of tracks.
 * Where torch would raise at some step, a StepError names the first such step.
 */
import { StepError, type PathPart } from '../../errors.js';
import {
  oneCyclePhases,
  oneCycleTotal,
  type ChainedConfig,
  type ConstantConfig,
  type CosineConfig,
  type CyclicConfig,
  type ExponentialConfig,
  type LinearConfig,
  type MultiStepConfig,
  type OneCycleConfig,
  type PolynomialConfig,
  type SequentialConfig,
  type StepConfig,
  type WarmRestartsConfig,
} from './configs.js';
import type { NormalSpec } from '../types.js';
import { firstOverflowingPower, FrameworkError, pyPow } from '../python.js';
import {
  concatTracks,
  constantSegment,
  exponentialSegment,
  shiftTracks,
  type Segment,
  type Tracks,
} from '../../plan/segments.js';
import { levelsSegment } from '../../plan/staircase.js';

export type Start = 'fresh' | 'restart';

const fail = (step: number, path: PathPart[], got: unknown, reason: string) => new StepError(path, reason, got, step);

/** Run `make`, turning a Python exception into a StepError at `step`. */
function raisesAt<T>(step: number, path: PathPart[], got: unknown, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof FrameworkError) throw fail(step, path, got, `${e.type}: ${e.detail}`);
    throw e;
  }
}

const zeroDivision = (detail: string) => {
  throw new FrameworkError('ZeroDivisionError', detail);
};

/** A 'linear' segment from local step `from`: p0 + (x / d) * p1 with x = step - from + offset. */
function linearSegment(from: number, offset: number, p0: number, p1: number, d: number): Segment {
  return { start: from, prim: 'linear', offset, quantum: 1, p: [p0, p1, d, 0] };
}

function cosineSegment(from: number, offset: number, p0: number, p1: number, d: number): Segment {
  return { start: from, prim: 'cosine', offset, quantum: 1, p: [p0, p1, d, 1] };
}

function tableSegment(from: number, values: number[]): Segment {
  return { start: from, prim: 'table', offset: 0, quantum: 1, p: [0, 0, 0, 0], levels: Float64Array.from(values) };
}

/**
 * Compiles a SequentialLR/ChainedScheduler child on the shared optimizer
 * (kinds.ts, which knows every kind, supplies it).
 */
export type ChildCurve = (c: NormalSpec, base: number, start: Start, lo: number, hi: number) => Tracks;

/** One kind's compiler: its curve over local steps [lo, hi) on an optimizer whose lr is `base`. */
export type Curve<C extends NormalSpec> = (
  c: C,
  base: number,
  start: Start,
  lo: number,
  hi: number,
  childCurve: ChildCurve,
) => Tracks;

export const stepLR: Curve<StepConfig> = (c, base, start, lo, hi) => [stepCurve(c, base, start, lo, hi)];
export const multiStepLR: Curve<MultiStepConfig> = (c, base, start, lo, hi) => [multiStepCurve(c, base, start, lo, hi)];
export const constantLR: Curve<ConstantConfig> = (c, base, start, lo, hi) => [constantCurve(c, base, start, lo, hi)];
export const linearLR: Curve<LinearConfig> = (c, base, start, lo, hi) => [linearCurve(c, base, start, lo, hi)];
export const exponentialLR: Curve<ExponentialConfig> = (c, base, _start, lo) => [
  [exponentialSegment(lo, lo, base, c.gamma, 1)],
];
export const polynomialLR: Curve<PolynomialConfig> = (c, base, start, lo, hi) => [
  polynomialCurve(c, base, start, lo, hi),
];
export const cosineAnnealingLR: Curve<CosineConfig> = (c, base, start, lo, hi) => [cosineCurve(c, base, start, lo, hi)];
export const cosineAnnealingWarmRestarts: Curve<WarmRestartsConfig> = (c, base, _start, lo, hi) => [
  warmRestartsCurve(c, base, lo, hi),
];
export const cyclicLR: Curve<CyclicConfig> = (c, _base, _start, lo, hi) => [cyclicCurve(c, lo, hi)];
export const oneCycleLR: Curve<OneCycleConfig> = (c, _base, _start, lo, hi) => [oneCycleCurve(c, lo, hi)];
export const sequentialLR: Curve<SequentialConfig> = (c, base, _start, lo, hi, childCurve) =>
  sequentialCurve(c, base, lo, hi, childCurve);
export const chainedScheduler: Curve<ChainedConfig> = (c, base, _start, lo, hi, childCurve) =>
  chainedCurve(c, base, lo, hi, childCurve);

/** StepLR: L * gamma ** (t // step_size); step_size 0 raises at the first step (t % 0). */
function stepCurve(c: StepConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const s = c.step_size;
  if (s === 0) {
    if (start === 'restart') throw fail(0, ['step_size'], s, 'ZeroDivisionError: integer division or modulo by zero');
    if (hi > 1) throw fail(Math.max(lo, 1), ['step_size'], s, 'ZeroDivisionError: integer modulo by zero');
    return [constantSegment(lo, base)];
  }
  // Python's t % s == 0 for a negative s holds at the multiples of |s| too
  const a = Math.abs(s);
  const aligned = Math.ceil(lo / a) * a;
  const out: Segment[] = [];
  if (aligned > lo) out.push(constantSegment(lo, base * c.gamma ** Math.floor(lo / a)));
  if (aligned < hi) out.push({ ...exponentialSegment(aligned, aligned, base, c.gamma, a), quantum: a });
  return out;
}

/** MultiStepLR: at each milestone m >= 1 the lr is multiplied by gamma ** (copies of m). */
function multiStepCurve(c: MultiStepConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const counts = new Map<number, number>();
  for (const m of c.milestones) counts.set(m, (counts.get(m) ?? 0) + 1);
  const power = (n: number, at: number) => raisesAt(at, ['gamma'], c.gamma, () => pyPow(c.gamma, n));
  // fresh: get_lr at epoch 0 applies milestone 0; restart: the closed form counts every milestone <= 0
  const atZero = start === 'fresh' ? (counts.get(0) ?? 0) : c.milestones.filter((m) => m <= 0).length;
  let lr = atZero ? base * power(atZero, 0) : base;
  const steps = [...counts.keys()].filter((m) => m >= 1 && m < hi).sort((a, b) => a - b);
  const breaks: number[] = [];
  const levels: number[] = [];
  for (const m of steps) {
    if (m <= lo) lr *= power(counts.get(m)!, m);
  }
  levels.push(lr);
  for (const m of steps) {
    if (m <= lo) continue;
    lr *= power(counts.get(m)!, m);
    breaks.push(m);
    levels.push(lr);
  }
  return [levelsSegment(lo, lo, { breaks, levels })];
}

/** ConstantLR: L (= base * factor when fresh) until total_iters, then L * (1 / factor). */
function constantCurve(c: ConstantConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const { factor: f, total_iters: n } = c;
  const L = start === 'fresh' ? base * f : base * (f + (0 >= n ? 1 : 0) * (1 - f));
  if (n < 1 || n >= hi) return [constantSegment(lo, L)];
  const after = raisesAt(n, ['factor'], f, () => L * (f === 0 ? zeroDivision('float division by zero') : 1 / f));
  if (n <= lo) return [constantSegment(lo, after)];
  return [constantSegment(lo, L), constantSegment(n, after)];
}

/** LinearLR: the recursion telescopes to L * (T s + t (e - s)) / (T s) up to T, then holds. */
function linearCurve(c: LinearConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const { start_factor: s, end_factor: e, total_iters: n } = c;
  let L: number;
  if (start === 'fresh') L = base * s;
  else if (n === 0) throw fail(0, ['total_iters'], n, 'ZeroDivisionError: float division by zero');
  else L = base * (s + ((e - s) * Math.min(n, 0)) / n);
  if (n < 1 || hi <= 1) return [constantSegment(lo, L)];
  const d = n * s;
  if (d === 0) throw fail(Math.max(lo, 1), ['start_factor'], s, 'ZeroDivisionError: float division by zero');
  const delta = L * (e - s);
  const out: Segment[] = [];
  if (lo <= n) out.push(linearSegment(lo, lo, L, delta, d));
  if (hi > n + 1) out.push(constantSegment(Math.max(lo, n + 1), L + (n / d) * delta));
  return out;
}

/** PolynomialLR: L * (1 - t / T) ** power up to T (0 ** negative raises at T), then holds. */
function polynomialCurve(c: PolynomialConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const { total_iters: n, power } = c;
  let L = base;
  if (start === 'restart') {
    if (n === 0) throw fail(0, ['total_iters'], n, 'ZeroDivisionError: division by zero');
    L = base * raisesAt(0, ['power'], power, () => pyPow(1 - Math.min(n, 0) / n, power));
  }
  if (n < 1 || hi <= 1) return [constantSegment(lo, L)];
  const held = n < hi ? raisesAt(n, ['power'], power, () => L * pyPow(0, power)) : 0;
  const out: Segment[] = [];
  if (lo <= n) out.push({ start: lo, prim: 'polynomial', offset: lo, quantum: 1, p: [L, -L, n, power] });
  if (hi > n + 1) out.push(constantSegment(Math.max(lo, n + 1), held));
  return out;
}

/** CosineAnnealingLR: the closed form eta + (base - eta)(1 + cos(pi t / T)) / 2, periodic past T. */
function cosineCurve(c: CosineConfig, base: number, start: Start, lo: number, hi: number): Segment[] {
  const { T_max: T, eta_min: eta } = c;
  if (T === 0) {
    if (start === 'restart') throw fail(0, ['T_max'], T, 'ZeroDivisionError: float division by zero');
    if (hi > 1) throw fail(Math.max(lo, 1), ['T_max'], T, 'ZeroDivisionError: integer modulo by zero');
    return [constantSegment(lo, base)];
  }
  // a negative T_max is the same curve: cos is even and Python's modulo follows the divisor's sign
  const d = Math.abs(T);
  const firstRestart = d + 1;
  // From each restart at (2k + 1) T + 1 torch climbs back by its recursion from lr = eta_min, and
  // the rounding of its first steps (lr - eta_min near zero, cos near -1) scales the whole period
  // by 1 + delta_k (3.5e-9 of max|v| at T_max 30000, eta_min 0.1). Where that stays far below the
  // 1e-9 contract, every period is the one closed form (one segment however long the run).
  // Its per-step ratios also take cos(pi e / T) at the absolute step e, an argument that rounds at
  // ulp(pi e / T): the scale drifts by about 2^-51 e of the amplitude (1.3e-9 of max|v| by step 4e6
  // at T_max 100), so periods restarting past where that reaches 1e-10 get their own amplitude.
  const swing = Math.abs(base - eta) / Math.max(Math.abs(base), Math.abs(eta));
  const closedUntil = restartRounding(base, eta, d) <= 1e-10 ? 1e-10 / (2 ** -51 * swing) : 0;
  if (hi <= closedUntil) return [cosineSegment(lo, lo, base, eta - base, d)];
  const k0 = Math.max(0, Math.ceil((closedUntil - firstRestart) / (2 * d)));
  const out: Segment[] = [];
  if (lo < firstRestart + 2 * k0 * d) out.push(cosineSegment(lo, lo, base, eta - base, d));
  for (let k = Math.max(k0, Math.floor((lo - firstRestart) / (2 * d))); firstRestart + 2 * k * d < hi; k++) {
    const restart = firstRestart + 2 * k * d;
    const from = Math.max(lo, restart);
    if (restart + 2 * d <= lo) continue;
    const amplitude = restartAmplitude(base, eta, T, restart);
    out.push(cosineSegment(from, from, eta + amplitude, -amplitude, d));
  }
  return out;
}

/**
 * The size, relative to max|v|, of the scale error torch's recursion picks up after a restart: its
 * first step above eta_min is v1 = (base - eta)(1 - cos(pi / T)) / 2 ~ (base - eta) pi^2 / (4 T^2),
 * stored as eta + v1 (rounding ulp(eta) / 2) and then scaled by ratios of 1 + cos near zero (each
 * off by ulp(1) relative to pi^2 j^2 / (2 T^2)).
 */
function restartRounding(base: number, eta: number, d: number): number {
  const amplitude = Math.abs(base - eta);
  if (amplitude === 0) return 0;
  const relative = ((2 ** -53 * 2 * d * d) / Math.PI ** 2) * (1 + (2 * Math.abs(eta)) / amplitude);
  return (relative * amplitude) / Math.max(Math.abs(base), Math.abs(eta));
}

/**
 * The amplitude A of the period that restarts at `restart`: torch's lr there is eta + A (1 + cos(pi e / T)) / 2
 * once its recursion has run a few hundred steps. Found by running that recursion as torch does:
 * lr = eta + (base - eta)(1 - cos(pi / T)) / 2 at the restart, then
 * lr = (1 + cos(pi e / T)) / (1 + cos(pi (e - 1) / T)) (lr - eta) + eta.
 */
function restartAmplitude(base: number, eta: number, T: number, restart: number): number {
  let lr = eta + ((base - eta) * (1 - Math.cos(Math.PI / T))) / 2;
  const steps = Math.min(Math.abs(T), 256);
  let e = restart;
  for (let j = 1; j < steps; j++) {
    e = restart + j;
    lr = ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - eta) + eta;
  }
  return (lr - eta) / ((1 + Math.cos((Math.PI * e) / T)) / 2);
}

/** CosineAnnealingWarmRestarts: one cosine per cycle of T_0 * T_mult ** i steps. */
function warmRestartsCurve(c: WarmRestartsConfig, base: number, lo: number, hi: number): Segment[] {
  const { T_0, T_mult, eta_min: eta } = c;
  if (T_0 === 1 && T_mult === 1) return [constantSegment(lo, base)];
  const out: Segment[] = [];
  let cycleStart = 0;
  let length = T_0;
  while (cycleStart < hi) {
    const end = cycleStart + length;
    if (end > lo) {
      const from = Math.max(lo, cycleStart);
      out.push(cosineSegment(from, from - cycleStart, base, eta - base, length));
    }
    cycleStart = end;
    length *= T_mult;
  }
  return out;
}

/** CyclicLR's get_lr at step t, as torch computes it (for table segments). */
function cyclicValue(c: CyclicConfig, t: number): number {
  const up = c.step_size_up;
  const total = up + (c.step_size_down ?? up);
  const ratio = up / total;
  const cycle = Math.floor(1 + t / total);
  const x = 1 + t / total - cycle;
  const scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const height = (c.max_lr - c.base_lr) * scale;
  if (c.mode === 'triangular') return c.base_lr + height;
  if (c.mode === 'triangular2') return c.base_lr + height * (1 / pyPow(2, cycle - 1));
  return c.base_lr + height * pyPow(c.gamma, t);
}

/** Values of `at(t)` for t in [lo, hi) as one table; a Python exception becomes a StepError at its step. */
function tableCurve(lo: number, hi: number, path: PathPart[], got: unknown, at: (t: number) => number): Segment[] {
  const values: number[] = [];
  for (let t = lo; t < hi; t++) values.push(raisesAt(t, path, got, () => at(t)));
  return [tableSegment(lo, values)];
}

/**
 * exp_range over half a cycle from step `from`: base + slope (x - root) gamma ** (from + x), with
 * gamma ** from folded into the slope so that the exponent stays local.
 */
function rampExp(from: number, base: number, slope: number, root: number, gamma: number): Segment {
  return {
    start: from,
    prim: 'rampexp',
    offset: 0,
    quantum: 1,
    p: [base, slope * gamma ** from, root, Math.log(gamma)],
  };
}

/**
 * CyclicLR: with integer step sizes, a segment per half cycle (the boundaries are integers): linear
 * for the triangular modes, a ramp times gamma ** t for exp_range; fractional sizes and very
 * short cycles use a table.
 */
function cyclicCurve(c: CyclicConfig, lo: number, hi: number): Segment[] {
  const up = c.step_size_up;
  const down = c.step_size_down ?? up;
  const total = up + down;
  const table = () =>
    tableCurve(lo, hi, c.mode === 'exp_range' ? ['gamma'] : ['mode'], c.mode, (t) => cyclicValue(c, t));
  const expRange = c.mode === 'exp_range';
  if (!Number.isInteger(up) || !Number.isInteger(down) || total < 16 || (expRange && !(c.gamma > 0))) return table();
  // triangular2 halves the height each cycle: 2. ** (cycle - 1) overflows from cycle 1025 on;
  // exp_range's gamma ** t overflows from some t on when gamma > 1
  const overflowAt =
    c.mode === 'triangular2' ? 1024 * total : expRange && c.gamma > 1 ? firstOverflowingPower(c.gamma) : Infinity;
  if (hi > overflowAt)
    throw fail(
      Math.max(lo, overflowAt),
      expRange ? ['gamma'] : ['mode'],
      expRange ? c.gamma : c.mode,
      "OverflowError: (34, 'Numerical result out of range')",
    );
  const out: Segment[] = [];
  const height = c.max_lr - c.base_lr;
  for (let k = Math.floor(lo / total); k * total < hi; k++) {
    const scale = c.mode === 'triangular2' ? 1 / 2 ** k : 1;
    const h = height * scale;
    const cycleStart = k * total;
    // rising: r = 0..up (r = up reaches max_lr); falling: r = up + 1 .. total - 1
    const riseEnd = down === 0 ? cycleStart + total : cycleStart + up + 1;
    if (riseEnd > lo) {
      const from = Math.max(lo, cycleStart);
      out.push(
        expRange
          ? rampExp(from, c.base_lr, h / up, cycleStart - from, c.gamma)
          : linearSegment(from, from - cycleStart, c.base_lr, h, up),
      );
    }
    // the falling half is empty when step_size_down is 0 or 1 (the next cycle starts right after the peak)
    if (riseEnd < cycleStart + total && riseEnd < hi && cycleStart + total > lo) {
      const from = Math.max(lo, riseEnd);
      out.push(
        expRange
          ? rampExp(from, c.base_lr, -h / down, cycleStart + total - from, c.gamma)
          : linearSegment(from, from - cycleStart - up, c.base_lr + h, -h, down),
      );
    }
  }
  return out;
}

/**
 * OneCycleLR: a segment per phase; pct = (t - start) / (end - start) with torch's float phase ends.
 * A cosine phase that starts between steps carries the fraction as its shift; one that runs
 * backwards (three_phase with pct_start > 0.5) is a table.
 */
function oneCycleCurve(c: OneCycleConfig, lo: number, hi: number): Segment[] {
  const total = oneCycleTotal(c);
  const phases = oneCyclePhases(c);
  let firstBad = hi - 1 > total ? Math.max(lo, total + 1) : Infinity;
  for (const p of phases) {
    const a = Math.max(lo, p.first);
    if (p.end - p.start === 0 && a <= Math.min(p.last, hi - 1)) firstBad = Math.min(firstBad, a);
  }
  if (firstBad < Infinity) {
    const reason =
      firstBad > total
        ? `ValueError: Tried to step ${firstBad + 1} times. The specified number of total steps is ${total}`
        : 'ZeroDivisionError: float division by zero';
    throw fail(
      firstBad,
      firstBad > total ? ['total_steps'] : ['pct_start'],
      firstBad > total ? total : c.pct_start,
      reason,
    );
  }
  const out: Segment[] = [];
  const cos = c.anneal_strategy === 'cos';
  for (const p of phases) {
    const from = Math.max(lo, p.first);
    const to = Math.min(p.last, hi - 1);
    if (from > to) continue;
    const d = p.end - p.start;
    const delta = p.endLr - p.startLr;
    const whole = Math.round(p.start);
    if (!cos) {
      if (Number.isInteger(p.start)) out.push(linearSegment(from, from - p.start, p.startLr, delta, d));
      else out.push(linearSegment(from, 0, p.startLr + delta * ((from - p.start) / d), delta, d));
    } else if (d > 0 && Math.abs(p.start - whole) <= 1e-9 * Math.max(1, d)) {
      out.push(cosineSegment(from, from - whole, p.startLr, delta, d));
    } else if (d > 0) {
      // a phase that starts between steps: x + shift = t - start
      const into = from - p.start;
      out.push({ ...cosineSegment(from, Math.floor(into), p.startLr, delta, d), shift: into - Math.floor(into) });
    } else {
      const values: number[] = [];
      for (let t = from; t <= to; t++) {
        const pct = (t - p.start) / d;
        values.push(p.endLr + ((p.startLr - p.endLr) / 2) * (Math.cos(Math.PI * pct) + 1));
      }
      out.push(tableSegment(from, values));
    }
  }
  return out;
}

/**
 * SequentialLR: child k runs from milestone k - 1 (child 0 from the start, as constructed after the
 * reset to base_lr); at each milestone torch calls step(0), the child's closed form at epoch 0.
 */
function sequentialCurve(c: SequentialConfig, base: number, lo: number, hi: number, childCurve: ChildCurve): Tracks {
  const parts: { from: number; tracks: Tracks }[] = [];
  c.schedulers.forEach((child, k) => {
    const a = k === 0 ? 0 : c.milestones[k - 1];
    const b = k < c.milestones.length ? c.milestones[k] : Infinity;
    const from = Math.max(lo, a);
    const to = Math.min(hi, b);
    if (from >= to) return;
    try {
      parts.push({
        from,
        tracks: shiftTracks(childCurve(child, base, k === 0 ? 'fresh' : 'restart', from - a, to - a), a),
      });
    } catch (e) {
      if (e instanceof StepError) throw e.under(['schedulers', k]).at(e.step + a);
      throw e;
    }
  });
  return concatTracks(parts);
}

/** ChainedScheduler of multiplicative schedulers: each child's factor curve is one more track. */
function chainedCurve(c: ChainedConfig, base: number, lo: number, hi: number, childCurve: ChildCurve): Tracks {
  const tracks: Tracks = [];
  let first: StepError | null = null;
  for (let i = 0; i < c.schedulers.length; i++) {
    try {
      tracks.push(...childCurve(c.schedulers[i], i === 0 ? base : 1, 'fresh', lo, hi));
    } catch (e) {
      if (!(e instanceof StepError)) throw e;
      // torch steps the children in order: the earliest step fails first, the first child at a tie
      if (first === null || e.step < first.step) first = e.under(['schedulers', i]);
    }
  }
  if (first) throw first;
  return tracks;
}
