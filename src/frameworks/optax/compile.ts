/**
 * Plan compiler for optax's schedules. Each builder mirrors its constructor and returns a compiler
 * of local steps [lo, hi); join_schedules (and the schedules optax builds from it) concatenates its
 * children's plans at the boundaries with the count restarted, as optax's `step - boundary` does.
 * Where a value changes (a clip to end_value, a staircase step) the step is found on the CPU from
 * optax's f64 arithmetic as compile-values.ts writes it (the compiler's own, not the oracle's).
 */
import {
  sgdrBoundaries,
  sortedScales,
  warmupCosineParts,
  warmupExponentialParts,
  cosineOnecycleScales,
  linearOnecycleScales,
  type CosineDecayArgs,
  type ExponentialArgs,
  type JoinConfig,
  type PiecewiseConstantArgs,
  type PiecewiseInterpolateArgs,
  type PolynomialArgs,
  type SgdrConfig,
  type WarmupConstantArgs,
  type WarmupCosineArgs,
  type WarmupExponentialArgs,
  type CosineOnecycleArgs,
  type LinearOnecycleArgs,
  type LinearArgs,
  type ConstantArgs,
} from './configs.js';
import type { CompileRange } from '../types.js';
import { cosineDecayAt, exponentialClip, exponentialUnclipped, polynomialAtClipped } from './compile-values.js';
import { constant, curve, phases, table, type Phase } from '../../plan/phases.js';
import { concatTracks, constantSegment, shiftTracks, type Segment, type Tracks } from '../../plan/segments.js';
import { levelsSegment } from '../../plan/staircase.js';

export type Compiler = (lo: number, hi: number) => Tracks;

export const constantSchedule =
  (c: ConstantArgs): Compiler =>
  (lo, hi) =>
    phases(lo, hi, [{ from: -Infinity, make: constant(c.value) }]);

/**
 * (init - end) * (1 - k / T) ** power + end, k = clip(count - begin, 0, T): init before begin, the
 * polynomial primitive over [begin, begin + T), its value at T from then on.
 */
export function polynomial(c: PolynomialArgs): Compiler {
  const steps = c.transition_steps;
  if (steps <= 0) return (lo, hi) => phases(lo, hi, [{ from: -Infinity, make: constant(c.init_value) }]);
  const begin = Math.max(0, c.transition_begin);
  const { init_value: init, end_value: end, power } = c;
  return (lo, hi) =>
    phases(lo, hi, [
      { from: -Infinity, make: constant(polynomialAtClipped(c, 0)) },
      // optax's order, (init - end) * frac ** power + end: kpoly with k = 1 (the polynomial
      // primitive's init + (1 - frac ** power) * (end - init) rounds differently, e.g. init 1e-8, end 1)
      {
        from: begin,
        make: (start) => [
          {
            start,
            prim: 'kpoly',
            offset: start - begin,
            quantum: 1,
            p: [end, init - end, steps, power],
            levels: Float64Array.from([1]),
          },
        ],
      },
      { from: begin + steps, make: constant(polynomialAtClipped(c, steps)) },
    ]);
}

export const linear = (c: LinearArgs): Compiler => polynomial({ ...c, power: 1 });

/**
 * init * ((1 - alpha) * (0.5 * (1 + cos(pi * k / T))) ** exponent + alpha), k = min(count, T):
 * the cosine primitive for exponent 1; other exponents have no primitive and are listed.
 */
export function cosineDecay(c: CosineDecayArgs): Compiler {
  const f = (count: number) => cosineDecayAt(c, count);
  const { init_value: init, decay_steps: steps, alpha } = c;
  const decay = c.exponent === 1 ? curve('cosine', 0, [init, init * (alpha - 1), steps, 1]) : table(f);
  return (lo, hi) =>
    phases(lo, hi, [
      { from: -Infinity, make: decay },
      { from: steps, make: constant(f(steps)) },
    ]);
}

/**
 * exponential_decay: init through transition_begin, then init * rate ** (x / T) (the exponential
 * primitive; with staircase its x is floored to whole transitions by the segment's quantum), then
 * end_value where the clip binds. The raw curve is monotone, so the clip starts or stops once.
 */
export function exponentialDecay(c: ExponentialArgs): Compiler {
  if (c.transition_steps <= 0 || c.decay_rate === 0)
    return (lo, hi) => phases(lo, hi, [{ from: -Infinity, make: constant(c.init_value) }]);
  const raw = (count: number) => exponentialUnclipped(c, count);
  const f = (count: number) => exponentialClip(c, raw(count));
  const begin = Math.max(0, c.transition_begin);
  const steps = c.transition_steps;
  const { init_value: init, decay_rate: rate, end_value: end } = c;
  const decayMake = c.staircase
    ? staircaseMake(begin, steps, init, rate, f)
    : curve('exponential', begin, expParams(init, rate, steps));
  const rawPhases: Phase[] = [
    { from: -Infinity, make: constant(init) },
    // at count == begin the staircase's floor(0) already gives init: starting there saves a segment
    { from: c.staircase ? begin : begin + 1, make: decayMake },
  ];
  return (lo, hi) => {
    if (end === null) return phases(lo, hi, rawPhases);
    const clipped = (t: number) => f(t) === end && raw(t) !== f(t);
    const first = clipped(lo);
    if (first === clipped(hi - 1))
      return phases(lo, hi, first ? [{ from: -Infinity, make: constant(end) }] : rawPhases);
    // binary search the one change of the clip over [lo, hi)
    let a = lo;
    let b = hi - 1;
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (clipped(mid) === first) a = mid;
      else b = mid;
    }
    return phases(
      lo,
      hi,
      first
        ? [
            { from: -Infinity, make: constant(end) },
            ...rawPhases.map((p) => ({ from: Math.max(p.from, b), make: p.make })),
          ]
        : [...rawPhases, { from: b, make: constant(end) }],
    );
  };
}

const expParams = (init: number, rate: number, d: number): [number, number, number, number] => [
  init,
  rate,
  d,
  Math.log(rate),
];

/**
 * init * rate ** floor((t - begin) / T) from start on: a constant up to the next whole transition,
 * then one exponential segment whose x = floor((t - s) / T) * T + (s - begin) is k * T exactly.
 */
function staircaseMake(begin: number, steps: number, init: number, rate: number, f: (count: number) => number) {
  return (start: number): Segment[] => {
    const aligned = begin + Math.ceil((start - begin) / steps) * steps;
    const out: Segment[] = [];
    if (aligned > start) out.push(constantSegment(start, f(start)));
    out.push({
      start: aligned,
      prim: 'exponential',
      offset: aligned - begin,
      quantum: steps,
      p: expParams(init, rate, steps),
    });
    return out;
  };
}

/** The scale products as levels, breaking where the count reaches each boundary (those <= 0 apply from the start). */
export function piecewiseConstant(c: PiecewiseConstantArgs): Compiler {
  const pairs = sortedScales(c.boundaries_and_scales);
  return (lo, hi) => {
    let v = c.init_value;
    for (const [threshold, scale] of pairs) if (threshold <= lo) v = scale * v;
    const breaks: number[] = [];
    const levels = [v];
    for (const [threshold, scale] of pairs)
      if (threshold > lo && threshold < hi) {
        v = scale * v;
        breaks.push(threshold);
        levels.push(v);
      }
    return [[levelsSegment(lo, lo, { breaks, levels })]];
  };
}

/** One interpolation per interval [bounds[i], bounds[i + 1]), then the last cumulative value. */
export function piecewiseInterpolate(c: PiecewiseInterpolateArgs): Compiler {
  const pairs = sortedScales(c.boundaries_and_scales);
  const bounds = [0, ...pairs.map(([b]) => b)];
  const values = [c.init_value];
  for (const [, scale] of pairs) values.push(values[values.length - 1] * scale);
  const list: Phase[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const size = Math.max(bounds[i + 1] - bounds[i], 1);
    const [a, b] = [values[i], values[i + 1]];
    list.push({
      from: i === 0 ? -Infinity : bounds[i],
      make: curve(c.interpolate_type === 'linear' ? 'linear' : 'cosine', bounds[i], [a, b - a, size, 1]),
    });
  }
  list.push({ from: list.length ? bounds[bounds.length - 1] : -Infinity, make: constant(values[values.length - 1]) });
  return (lo, hi) => phases(lo, hi, list);
}

export const linearOnecycle = (c: LinearOnecycleArgs): Compiler =>
  piecewiseInterpolate({
    interpolate_type: 'linear',
    init_value: c.peak_value / c.div_factor,
    boundaries_and_scales: linearOnecycleScales(c),
  });

export const cosineOnecycle = (c: CosineOnecycleArgs): Compiler =>
  piecewiseInterpolate({
    interpolate_type: 'cosine',
    init_value: c.peak_value / c.div_factor,
    boundaries_and_scales: cosineOnecycleScales(c),
  });

/**
 * join_schedules: at step t the last i (in list order) with t >= boundaries[i] runs
 * schedules[i + 1] at t - boundaries[i]; none: schedules[0] at t. Compiled interval by interval
 * between the boundaries that fall inside [lo, hi).
 */
export function join(children: readonly Compiler[], boundaries: readonly number[]): Compiler {
  const used = boundaries.slice(0, Math.max(0, children.length - 1));
  const active = (t: number) => {
    let k = 0;
    used.forEach((b, i) => {
      if (!(t < b)) k = i + 1;
    });
    return k;
  };
  return (lo, hi) => {
    const cuts = [...new Set([lo, ...used.filter((b) => b > lo && b < hi)])].sort((a, b) => a - b);
    const parts = cuts.map((a, j) => {
      const e = j + 1 < cuts.length ? cuts[j + 1] : hi;
      const k = active(a);
      const origin = k === 0 ? 0 : used[k - 1];
      return { from: a, tracks: shiftTracks(children[k](a - origin, e - origin), origin) };
    });
    return concatTracks(parts);
  };
}

export function warmupConstant(c: WarmupConstantArgs): Compiler {
  return linear({
    init_value: c.init_value,
    end_value: c.peak_value,
    transition_steps: c.warmup_steps,
    transition_begin: 0,
  });
}

export function warmupCosine(c: WarmupCosineArgs): Compiler {
  const parts = warmupCosineParts(c);
  return join([linear(parts.warmup), cosineDecay(parts.decay)], [c.warmup_steps]);
}

export function warmupExponential(c: WarmupExponentialArgs): Compiler {
  const parts = warmupExponentialParts(c);
  return join([linear(parts.warmup), exponentialDecay(parts.decay)], [c.warmup_steps]);
}

export function sgdr(c: SgdrConfig): Compiler {
  return join(c.cosine_kwargs.map(warmupCosine), sgdrBoundaries(c));
}

export function compileJoin(c: JoinConfig, total: number, lo: number, hi: number, compileChild: CompileRange): Tracks {
  return join(
    c.schedules.map((s) => (a: number, b: number) => compileChild(s, total, a, b)),
    c.boundaries,
  )(lo, hi);
}
