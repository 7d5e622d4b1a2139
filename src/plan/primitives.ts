/**
 * The primitive curves: each pairs its TypeScript formula (the CPU backend and the plan compiler use
 * it) with its WGSL function (shaders/primitives/<name>.wgsl). The TS formulas keep the frameworks'
 * operation order so that plan-on-cpu reproduces the reference bit for bit where it can.
 */
import constantWgsl from '../../shaders/primitives/constant.wgsl';
import constantHighWgsl from '../../shaders/primitives/constant.high.wgsl';
import linearWgsl from '../../shaders/primitives/linear.wgsl';
import linearHighWgsl from '../../shaders/primitives/linear.high.wgsl';
import cosineWgsl from '../../shaders/primitives/cosine.wgsl';
import cosineHighWgsl from '../../shaders/primitives/cosine.high.wgsl';
import polynomialWgsl from '../../shaders/primitives/polynomial.wgsl';
import polynomialHighWgsl from '../../shaders/primitives/polynomial.high.wgsl';
import levelsWgsl from '../../shaders/primitives/levels.wgsl';
import levelsHighWgsl from '../../shaders/primitives/levels.high.wgsl';
import tableWgsl from '../../shaders/primitives/table.wgsl';
import tableHighWgsl from '../../shaders/primitives/table.high.wgsl';
import pulsesWgsl from '../../shaders/primitives/pulses.wgsl';
import pulsesHighWgsl from '../../shaders/primitives/pulses.high.wgsl';
import exponentialWgsl from '../../shaders/primitives/exponential.wgsl';
import exponentialHighWgsl from '../../shaders/primitives/exponential.high.wgsl';
import kpolyWgsl from '../../shaders/primitives/kpoly.wgsl';
import kpolyHighWgsl from '../../shaders/primitives/kpoly.high.wgsl';
import reciprocalWgsl from '../../shaders/primitives/reciprocal.wgsl';
import reciprocalHighWgsl from '../../shaders/primitives/reciprocal.high.wgsl';
import tanhWgsl from '../../shaders/primitives/tanh.wgsl';
import tanhHighWgsl from '../../shaders/primitives/tanh.high.wgsl';
import noiseWgsl from '../../shaders/primitives/noise.wgsl';
import noiseHighWgsl from '../../shaders/primitives/noise.high.wgsl';
import rampexpWgsl from '../../shaders/primitives/rampexp.wgsl';
import rampexpHighWgsl from '../../shaders/primitives/rampexp.high.wgsl';
import type { PrimitiveName } from './segments.js';
import { noiseValue } from '../frameworks/noise.js';

/** What a primitive reads: its parameters and, for pooled primitives, a window of the pools. */
export interface SegmentView {
  p0: number;
  p1: number;
  p2: number;
  p3: number;
  /** Added to x by the progress curves (see Segment.shift). */
  shift: number;
  levels: Float64Array;
  levelsAt: number;
  breaks: Uint32Array;
  breaksAt: number;
  /** Number of breaks ('levels') or of table values ('table'). */
  count: number;
}

export interface Primitive {
  name: PrimitiveName;
  /** Parameter meanings, for docs and for reading plans. */
  params: readonly string[];
  /**
   * Which parameters (indices) and whether the pooled values scale with the curve: the value is
   * linear in them, so rows that differ only by these times a constant are copies times a ratio.
   */
  scaled: readonly number[];
  scalesPool?: boolean;
  /** How many levels and breaks a segment with this `count` reads from the pools. */
  levelsUsed?(count: number): number;
  breaksUsed?(count: number): number;
  summary: string;
  /** WGSL source defining `fn prim_<name>(s: Segment, x: u32) -> f32`. */
  wgsl: string;
  /** WGSL source of the double-float version, `fn prim_<name>_high(s: Segment, x: u32) -> vec2<f32>`. */
  wgslHigh: string;
  /** out[o + i] = value at x0 + i, for i in [0, n): a tight loop, no per-element dispatch. */
  fill(s: SegmentView, x0: number, out: Float64Array, o: number, n: number): void;
}

const PI = Math.PI;

export const PRIMITIVES: readonly Primitive[] = [
  {
    name: 'constant',
    params: ['value'],
    scaled: [0],
    summary: 'p0',
    wgsl: constantWgsl,
    wgslHigh: constantHighWgsl,
    fill(s, _x0, out, o, n) {
      out.fill(s.p0, o, o + n);
    },
  },
  {
    name: 'linear',
    params: ['start', 'delta', 'denominator'],
    scaled: [0, 1],
    summary: 'start + (x / d) * delta',
    wgsl: linearWgsl,
    wgslHigh: linearHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: delta, p2: d, shift } = s;
      for (let i = 0; i < n; i++) out[o + i] = start + ((x0 + i + shift) / d) * delta;
    },
  },
  {
    name: 'cosine',
    params: ['start', 'delta', 'denominator', 'k'],
    scaled: [0, 1],
    summary: 'start + (1 - (1 + cos(pi * p)) / 2) * delta, p = (x / d)^k (k = 1 but for k-decay)',
    wgsl: cosineWgsl,
    wgslHigh: cosineHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: delta, p2: d, p3: k, shift } = s;
      if (k === 1)
        for (let i = 0; i < n; i++) out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d))) / 2) * delta;
      else
        for (let i = 0; i < n; i++)
          out[o + i] = start + (1 - (1 + Math.cos(PI * ((x0 + i + shift) / d) ** k)) / 2) * delta;
    },
  },
  {
    name: 'polynomial',
    params: ['start', 'delta', 'denominator', 'power'],
    scaled: [0, 1],
    summary: 'start + (1 - (1 - x / d) ^ power) * delta',
    wgsl: polynomialWgsl,
    wgslHigh: polynomialHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: delta, p2: d, p3: power, shift } = s;
      // V8's ** for a fractional exponent is ~50 ns: half-integer powers use sqrt, others exp(p log b)
      // (within a few ulps of pow); integer powers keep **, which V8 does by multiplication
      const whole = Math.floor(power);
      if (Number.isInteger(power))
        for (let i = 0; i < n; i++) out[o + i] = start + (1 - (1 - (x0 + i + shift) / d) ** power) * delta;
      else if (power - whole === 0.5 && whole >= 0)
        for (let i = 0; i < n; i++) {
          const b = 1 - (x0 + i + shift) / d;
          out[o + i] = start + (1 - (b >= 0 ? b ** whole * Math.sqrt(b) : NaN)) * delta;
        }
      else
        for (let i = 0; i < n; i++) {
          const b = 1 - (x0 + i + shift) / d;
          out[o + i] = start + (1 - (b > 0 ? Math.exp(power * Math.log(b)) : b ** power)) * delta;
        }
    },
  },
  {
    name: 'exponential',
    params: ['start', 'base', 'denominator', 'ln(base)'],
    scaled: [0],
    summary: 'start * base ^ (x / d)',
    wgsl: exponentialWgsl,
    wgslHigh: exponentialHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: base, p2: d } = s;
      for (let i = 0; i < n; i++) out[o + i] = start * base ** ((x0 + i) / d);
    },
  },
  {
    name: 'levels',
    params: [],
    levelsUsed: (count) => count + 1,
    breaksUsed: (count) => count,
    scaled: [],
    scalesPool: true,
    summary: 'levels[number of breaks <= x]',
    wgsl: levelsWgsl,
    wgslHigh: levelsHighWgsl,
    fill(s, x0, out, o, n) {
      const { breaks, breaksAt, count, levels, levelsAt } = s;
      let k = upperBound(breaks, breaksAt, count, x0);
      let next = k < count ? breaks[breaksAt + k] : Infinity;
      for (let i = 0; i < n;) {
        const x = x0 + i;
        while (x >= next) {
          k++;
          next = k < count ? breaks[breaksAt + k] : Infinity;
        }
        // fill the whole run of this level at once
        const runEnd = Math.min(n, next === Infinity ? n : next - x0);
        out.fill(levels[levelsAt + k], o + i, o + runEnd);
        i = runEnd;
      }
    },
  },
  {
    name: 'table',
    params: [],
    levelsUsed: (count) => count,
    scaled: [],
    scalesPool: true,
    summary: 'values[x]',
    wgsl: tableWgsl,
    wgslHigh: tableHighWgsl,
    fill(s, x0, out, o, n) {
      out.set(s.levels.subarray(s.levelsAt + x0, s.levelsAt + x0 + n), o);
    },
  },
  {
    name: 'pulses',
    params: ['value when firing', 'value otherwise'],
    breaksUsed: (count) => count + 1,
    scaled: [0, 1],
    summary: 'p0 where x mod period is a firing residue, else p1 (breaks: period, then the residues)',
    wgsl: pulsesWgsl,
    wgslHigh: pulsesHighWgsl,
    fill(s, x0, out, o, n) {
      const { breaks, breaksAt, count, p0: on, p1: off } = s;
      const period = breaks[breaksAt];
      const first = breaksAt + 1;
      // walk x and the sorted residues together, wrapping both at the period
      let r = x0 % period;
      let k = lowerBound(breaks, first, count, r);
      for (let i = 0; i < n; i++) {
        if (k < count && breaks[first + k] === r) {
          out[o + i] = on;
          k++;
        } else out[o + i] = off;
        if (++r === period) {
          r = 0;
          k = 0;
        }
      }
    },
  },
  {
    name: 'kpoly',
    params: ['start', 'delta', 'denominator', 'power'],
    levelsUsed: () => 1,
    scaled: [0, 1],
    summary: 'start + (1 - (x / d)^k)^power * delta (k = levels[0])',
    wgsl: kpolyWgsl,
    wgslHigh: kpolyHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: delta, p2: d, p3: power, shift } = s;
      const k = s.levels[s.levelsAt];
      for (let i = 0; i < n; i++) {
        const p = (x0 + i + shift) / d;
        out[o + i] = start + (1 - (k === 0.5 ? Math.sqrt(p) : p ** k)) ** power * delta;
      }
    },
  },
  {
    name: 'reciprocal',
    params: ['start', 'slope', 'denominator'],
    scaled: [0],
    summary: 'start / (1 + (x / d) * slope)',
    wgsl: reciprocalWgsl,
    wgslHigh: reciprocalHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: slope, p2: d, shift } = s;
      for (let i = 0; i < n; i++) out[o + i] = start / (1 + ((x0 + i + shift) / d) * slope);
    },
  },
  {
    name: 'tanh',
    params: ['start', 'delta', 'denominator', 'lb'],
    levelsUsed: () => 1,
    scaled: [0, 1],
    summary: 'start + delta / (1 + exp(2 z)), z = lb (1 - x / d) + ub x / d (ub = levels[0])',
    wgsl: tanhWgsl,
    wgslHigh: tanhHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: delta, p2: d, p3: lb, shift } = s;
      const ub = s.levels[s.levelsAt];
      for (let i = 0; i < n; i++) {
        const p = (x0 + i + shift) / d;
        out[o + i] = start + delta / (1 + Math.exp(2 * (lb * (1 - p) + ub * p)));
      }
    },
  },
  {
    name: 'rampexp',
    params: ['start', 'slope', 'root', 'c'],
    scaled: [0, 1],
    summary: 'start + slope (x - root) exp(c x)',
    wgsl: rampexpWgsl,
    wgslHigh: rampexpHighWgsl,
    fill(s, x0, out, o, n) {
      const { p0: start, p1: slope, p2: root, p3: c } = s;
      for (let i = 0; i < n; i++) {
        const x = x0 + i;
        out[o + i] = start + slope * (x - root) * Math.exp(c * x);
      }
    },
  },
  {
    name: 'noise',
    params: [],
    breaksUsed: () => 2,
    scaled: [],
    summary: '1 + noise(seed, x): counter-based hash draws (breaks: seed, threshold)',
    wgsl: noiseWgsl,
    wgslHigh: noiseHighWgsl,
    fill(s, x0, out, o, n) {
      const seed = s.breaks[s.breaksAt];
      const threshold = s.breaks[s.breaksAt + 1];
      for (let i = 0; i < n; i++) out[o + i] = 1 + noiseValue(seed, x0 + i, threshold);
    },
  },
];

export const PRIMITIVE_IDS: Readonly<Record<PrimitiveName, number>> = Object.fromEntries(
  PRIMITIVES.map((p, i) => [p.name, i]),
) as Record<PrimitiveName, number>;

export function primitiveByName(name: PrimitiveName): Primitive {
  return PRIMITIVES[PRIMITIVE_IDS[name]];
}

/** Number of entries in breaks[at, at + count) that are < x. */
export function lowerBound(breaks: Uint32Array, at: number, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (breaks[at + mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries in breaks[at, at + count) that are <= x. */
export function upperBound(breaks: Uint32Array, at: number, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (breaks[at + mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
