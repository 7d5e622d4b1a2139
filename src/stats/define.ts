/**
 * What `schedgpu stats` and `rank` compute per schedule, and the f64 CPU reduction that defines it.
 * Both backends fold step ranges of a row into the same Partial: sum, min/argmin, max/argmax (first
 * step on ties), step-changes, and the annealing area of the LR scaling law. The WebGPU kernel
 * (shaders/stats.wgsl) is the same loop in f32 values with double-float sums.
 */
import { SpecError } from '../errors.js';

/** A step-change at t: |v[t] - v[t-1]| above this many times both neighbouring changes... */
export const JUMP_RATIO = 4;
/** ...and above this fraction of the larger of the two values (so float noise never counts). */
export const JUMP_RELATIVE = 1e-5;
/** Magnitudes below float32's smallest normal count as 0 in that test, so both backends agree. */
export const JUMP_FLOOR = 1.1754943508222875e-38;

const floored = (x: number) => (Math.abs(x) < JUMP_FLOOR ? 0 : x);

export interface Partial {
  sum: number;
  /** Neumaier compensation of `sum` (the GPU keeps a double-float instead). */
  sumC: number;
  min: number;
  argmin: number;
  max: number;
  argmax: number;
  jumps: number;
  count: number;
  /** S2 of the LR annealing law over the range [0, end): sum of decreases weighted by their momentum. */
  anneal: number;
  annealC: number;
}

export function emptyPartial(): Partial {
  return { sum: 0, sumC: 0, min: 0, argmin: 0, max: 0, argmax: 0, jumps: 0, count: 0, anneal: 0, annealC: 0 };
}

/** Neumaier's compensated addition: returns [sum, compensation]. */
function addCompensated(sum: number, c: number, x: number): [number, number] {
  const t = sum + x;
  c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  return [t, c];
}

export function combine(p: Partial, q: Partial): Partial {
  if (q.count === 0) return p;
  if (p.count === 0) return { ...q };
  const [sum, sumC] = addCompensated(p.sum, p.sumC + q.sumC, q.sum);
  const [anneal, annealC] = addCompensated(p.anneal, p.annealC + q.annealC, q.anneal);
  const minFromQ = q.min < p.min || (q.min === p.min && q.argmin < p.argmin);
  const maxFromQ = q.max > p.max || (q.max === p.max && q.argmax < p.argmax);
  return {
    sum,
    sumC,
    min: minFromQ ? q.min : p.min,
    argmin: minFromQ ? q.argmin : p.argmin,
    max: maxFromQ ? q.max : p.max,
    argmax: maxFromQ ? q.argmax : p.argmax,
    jumps: p.jumps + q.jumps,
    count: p.count + q.count,
    anneal,
    annealC,
  };
}

/** A step range [from, to) of every row. */
export type Range = readonly [number, number];

export interface RangeSet {
  /** 0: the whole run, 1: step 0, 2: the last step, then the --at steps, then the windows. */
  ranges: Range[];
  at: number[];
  windows: Range[];
}

export function rangeSet(steps: number, at: readonly number[] = [], windows: readonly Range[] = []): RangeSet {
  at.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s >= steps)
      throw new SpecError(['at', i], `must be a step in [0, ${steps})`, s, 'at-out-of-range');
  });
  windows.forEach(([a, b], i) => {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > steps || a >= b)
      throw new SpecError(
        ['windows', i],
        `must be a:b with 0 <= a < b <= ${steps}`,
        `${a}:${b}`,
        'window-out-of-range',
      );
  });
  return {
    ranges: [[0, steps], [0, 1], [steps - 1, steps], ...at.map((s): Range => [s, s + 1]), ...windows],
    at: [...at],
    windows: [...windows],
  };
}

/** The annealing weight of a decrease at step t for a range ending at `end`: (1 - lambda^(end - t)) / (1 - lambda). */
export function annealWeight(end: number, t: number, lambda: number): number {
  return -Math.expm1((end - t) * Math.log(lambda)) / (1 - lambda);
}

/**
 * The annealing weights of steps 0 .. end - 1 for ranges ending at `end` (the same for every row, so
 * computed once per range end rather than once per value).
 */
export function annealWeights(end: number, lambda: number): Float64Array {
  const w = new Float64Array(end);
  for (let t = 0; t < end; t++) w[t] = annealWeight(end, t, lambda);
  return w;
}

/**
 * Fold steps [from, to) of one row into a Partial, f64. The row's value at step t is
 * `values[offset + t]`, which must exist for t - 2 .. t + 1 within the run: the step-change test looks
 * at the neighbouring changes. `weights[t]` (annealWeights of the range's end) when lambda is given;
 * without it each weight is computed here.
 */
export function reduceSteps(
  values: ArrayLike<number>,
  offset: number,
  from: number,
  to: number,
  range: Range,
  totalSteps: number,
  lambda: number | null,
  weights: Float64Array | null = null,
): Partial {
  // one tight loop over plain locals, the floored neighbours carried along: this runs once per value
  // of a rank or stats table
  if (!(from < to)) return emptyPartial();
  let sum = 0;
  let sumC = 0;
  let min = values[offset + from];
  let argmin = from;
  let max = min;
  let argmax = from;
  let jumps = 0;
  let anneal = 0;
  let annealC = 0;
  const end = range[1];
  const lastStep = totalSteps - 1;
  let before = from >= 1 ? values[offset + from - 1] : 0;
  let fb = floored(before);
  let fbb = from >= 2 ? floored(values[offset + from - 2]) : 0;
  let v = values[offset + from];
  let fv = floored(v);
  for (let t = from; t < to; t++) {
    const next = t < lastStep ? values[offset + t + 1] : 0;
    const fn = floored(next);
    // Neumaier's compensated additions, written out
    let s = sum + v;
    sumC += Math.abs(sum) >= Math.abs(v) ? sum - s + v : v - s + sum;
    sum = s;
    if (v < min) {
      min = v;
      argmin = t;
    }
    if (v > max) {
      max = v;
      argmax = t;
    }
    if (t >= 1) {
      const dPrev = t >= 2 ? fb - fbb : 0;
      const dNext = t < lastStep ? fn - fv : 0;
      const size = Math.abs(fv - fb);
      if (
        size > JUMP_RELATIVE * Math.max(Math.abs(fv), Math.abs(fb)) &&
        size > JUMP_RATIO * Math.max(Math.abs(dPrev), Math.abs(dNext))
      )
        jumps++;
      // m_k = lambda m_{k-1} + (eta_{k-1} - eta_k) summed to the range's end: each decrease counts
      // (1 - lambda^(end - t)) / (1 - lambda) times
      if (lambda !== null) {
        const x = -(v - before) * (weights !== null ? weights[t] : annealWeight(end, t, lambda));
        s = anneal + x;
        annealC += Math.abs(anneal) >= Math.abs(x) ? anneal - s + x : x - s + anneal;
        anneal = s;
      }
    }
    fbb = fb;
    fb = fv;
    before = v;
    v = next;
    fv = fn;
  }
  return { sum, sumC, min, argmin, max, argmax, jumps, count: to - from, anneal, annealC };
}

export interface RowStats {
  id: string;
  first: number;
  last: number;
  min: number;
  argmin: number;
  max: number;
  argmax: number;
  mean: number;
  /** Sum over every step (the area under the curve, one unit per step). */
  sum: number;
  /** Step-changes: steps whose change is over JUMP_RATIO times both neighbouring changes. */
  discontinuities: number;
  /** Value at each --at step. */
  at: number[];
  /** Sum over each --window a:b (steps a .. b - 1). */
  windows: number[];
  /** S2 of the LR annealing law at the end of the run, when a lambda was given. */
  annealing?: number;
}

/** Row statistics from the accumulated partials of every range (index: range * rows + row). */
export function rowStats(
  ids: readonly string[],
  set: RangeSet,
  partials: readonly Partial[],
  withAnnealing = false,
): RowStats[] {
  const rows = ids.length;
  const total = (p: Partial) => p.sum + p.sumC;
  return ids.map((id, r) => {
    const whole = partials[r];
    const at = (k: number) => total(partials[k * rows + r]);
    return {
      id,
      first: at(1),
      last: at(2),
      min: whole.min,
      argmin: whole.argmin,
      max: whole.max,
      argmax: whole.argmax,
      mean: total(whole) / whole.count,
      sum: total(whole),
      discontinuities: whole.jumps,
      at: set.at.map((_, i) => at(3 + i)),
      windows: set.windows.map((_, i) => at(3 + set.at.length + i)),
      ...(withAnnealing ? { annealing: whole.anneal + whole.annealC } : {}),
    };
  });
}
