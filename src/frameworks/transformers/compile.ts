/**
 * Plan compiler for HF transformers' schedules: each lr_lambda is a chain of phases (warmup, hold,
 * decay, floor) whose boundaries are HF's integer comparisons on the step. Curves are base_lr times
 * the lambda, drawn by the shared primitives; where the lambda's max(0, ...) clamp can bind (a
 * negative min ratio) or no primitive draws the shape (WSD's 1-sqrt decay), the phase is a table.
 */
import { StepError } from '../../errors.js';
import {
  inverseSqrtTimescale,
  minLrRate,
  wsdStable,
  type ConstantWarmupConfig,
  type CosineConfig,
  type CosineMinLrConfig,
  type HardRestartsConfig,
  type HfBase,
  type InverseSqrtConfig,
  type LinearConfig,
  type PolynomialConfig,
  type WsdConfig,
} from './configs.js';
import {
  cosineDecayFactor,
  inverseSqrtRaises,
  polynomialDecayLambda,
  wsdDecayShape,
  wsdFactor,
  wsdWarmupShape,
} from './compile-lambdas.js';
import { constant, curve, phases, table, type Phase } from '../../plan/phases.js';
import type { Segment, Tracks } from '../../plan/segments.js';
import { staircase } from '../../plan/staircase.js';

/** float(step) / float(max(1, W)) times base_lr, for steps [0, W). */
function warmup(lr: number, w: number): Phase {
  return { from: -Infinity, make: curve('linear', 0, [0, lr, Math.max(1, w), 0]) };
}

export function compileConstant(c: HfBase, _total: number, lo: number, hi: number): Tracks {
  return phases(lo, hi, [{ from: -Infinity, make: constant(c.base_lr * 1) }]);
}

export function compileConstantWarmup(c: ConstantWarmupConfig, _total: number, lo: number, hi: number): Tracks {
  return phases(lo, hi, [
    warmup(c.base_lr, c.num_warmup_steps),
    { from: c.num_warmup_steps, make: constant(c.base_lr * 1) },
  ]);
}

export function compileLinear(c: LinearConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w, num_training_steps: n } = c;
  const d = Math.max(1, n - w);
  return phases(lo, hi, [
    warmup(lr, w),
    // (n - step) / d = (n - w) / d - (step - w) / d
    { from: w, make: curve('linear', w, [lr * ((n - w) / d), -lr, d, 0]) },
    { from: n, make: constant(lr * 0) },
  ]);
}

/**
 * base_lr * max(0, f * (1 - rate) + rate), f = 0.5 * (1 + cos(pi * cycles * 2 * progress)), from
 * step w on (the cosine keeps going past num_training_steps, as HF's does). With rate >= 0 the
 * clamp never binds and the curve is one cosine of half-period d / (2 |cycles|).
 */
function cosineDecay(lr: number, w: number, n: number, cycles: number, rate: number): Phase {
  const d = Math.max(1, n - w);
  if (rate < 0) return { from: w, make: table((t) => lr * cosineDecayFactor(t, w, n, cycles, rate)) };
  if (cycles === 0) return { from: w, make: constant(lr * (1 * (1 - rate) + rate)) };
  return { from: w, make: curve('cosine', w, [lr, lr * (rate - 1), d / (2 * Math.abs(cycles)), 1]) };
}

export function compileCosine(c: CosineConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w } = c;
  return phases(lo, hi, [warmup(lr, w), cosineDecay(lr, w, c.num_training_steps, c.num_cycles, 0)]);
}

export function compileCosineMinLr(c: CosineMinLrConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w } = c;
  return phases(lo, hi, [warmup(lr, w), cosineDecay(lr, w, c.num_training_steps, c.num_cycles, minLrRate(c))]);
}

/**
 * Hard restarts: cycle i = floor(cycles * progress) runs 0.5 * (1 + cos(pi * (y - i))) with
 * y = cycles * progress, which is 0.5 * (1 +- cos(pi * y)) by the parity of i: every cycle is the
 * same cosine of x = step - w, falling on even cycles and rising on odd ones. The cycle starts are
 * found from HF's own f64 product, so restarts land on the steps HF restarts at.
 */
export function compileHardRestarts(c: HardRestartsConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w, num_training_steps: n, num_cycles: cycles } = c;
  const d = Math.max(1, n - w);
  const end = w + d; // progress >= 1 from here on
  const restarts = (start: number, stop: number): Segment[] => {
    if (cycles === 0) return [{ start, prim: 'constant', offset: 0, quantum: 1, p: [lr * 1, 0, 0, 0] }];
    const key = (t: number) => Math.floor(cycles * ((t - w) / d));
    const stairs = staircase(
      key,
      (k) => k,
      start,
      stop - 1,
      (k) => w + ((k + Math.sign(cycles)) * d) / cycles,
    );
    const starts = [start, ...stairs.breaks];
    return starts.map((s, j) => {
      const falling = Math.abs(stairs.levels[j]) % 2 === 0;
      const p: [number, number, number, number] = falling
        ? [lr, -lr, d / Math.abs(cycles), 1]
        : [0, lr, d / Math.abs(cycles), 1];
      return { start: s, prim: 'cosine', offset: s - w, quantum: 1, p };
    });
  };
  return phases(lo, hi, [warmup(lr, w), { from: w, make: restarts }, { from: end, make: constant(lr * 0) }]);
}

/**
 * Polynomial decay: warmup, then lr_end + (lr_init - lr_end) * (1 - x / (n - w)) ** power through
 * step n, then lr_end / lr_init. HF raises at step n when n == w (division by zero) or power < 0
 * (0.0 ** negative), and at every step from w on when lr_init is 0.
 */
export function compilePolynomial(c: PolynomialConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w, num_training_steps: n, lr_end: end, power } = c;
  const firstBad = lr === 0 ? Math.max(w, 0) : n >= w && n >= 0 && (n === w || power < 0) ? n : Infinity;
  if (firstBad >= lo && firstBad < hi) {
    try {
      polynomialDecayLambda(c, firstBad);
    } catch (e) {
      const field = lr === 0 ? 'base_lr' : n === w ? 'num_training_steps' : 'power';
      const got = field === 'base_lr' ? lr : field === 'power' ? power : n;
      throw new StepError([field], `${(e as Error).message}`, got, firstBad);
    }
  }
  return phases(lo, hi, [
    warmup(lr, w),
    { from: w, make: curve('polynomial', w, [lr, end - lr, n - w, power]) },
    // step n itself from HF's own arithmetic: the primitive's lr + (1 - 0) * (lr_end - lr) cancels
    { from: n, make: (start) => (start === n ? constant(lr * polynomialDecayLambda(c, n))(start) : []) },
    { from: n + 1, make: constant(lr * (end / lr)) },
  ]);
}

/**
 * Inverse square root: lr / sqrt((step + timescale - w) / timescale) from w on, which is the
 * polynomial primitive's (1 - x / d) ** -0.5 with x = step - w and d = -timescale. HF raises where
 * the ratio reaches 0 or below (timescale <= 0).
 */
export function compileInverseSqrt(c: InverseSqrtConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w } = c;
  const timescale = inverseSqrtTimescale(c);
  const firstBad = timescale === 0 ? Math.max(w, 0) : timescale < 0 ? Math.max(w - timescale, 0) : Infinity;
  if (firstBad >= lo && firstBad < hi) {
    const e = inverseSqrtRaises(c, timescale, firstBad);
    if (e) throw new StepError(['timescale'], e.message, timescale, firstBad);
  }
  return phases(lo, hi, [warmup(lr, w), { from: w, make: curve('polynomial', w, [lr, -lr, -timescale, -0.5]) }]);
}

/** WSD: warmup by warmup_type from min_lr_ratio to 1, hold 1, decay by decay_type to the ratio, hold the ratio. */
export function compileWsd(c: WsdConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w, num_decay_steps: dn, min_lr_ratio: m } = c;
  const stable = wsdStable(c);
  const decayFrom = w + stable;
  const dw = Math.max(1, w);
  const dd = Math.max(1, dn);
  // the max(0, ...) clamp only binds with a negative ratio: list those phases
  const warmupMake =
    m < 0
      ? table((t) => lr * wsdFactor(wsdWarmupShape(c.warmup_type, t / dw), m))
      : c.warmup_type === 'linear'
        ? curve('linear', 0, [lr * m, lr * (1 - m), dw, 0])
        : c.warmup_type === 'cosine'
          ? curve('cosine', 0, [lr * m, lr * (1 - m), dw, 1])
          : curve('polynomial', 0, [lr * m, lr * (1 - m), dw, 0.5]);
  const decayMake: (start: number, end: number) => Segment[] =
    m < 0
      ? table((t) => lr * wsdFactor(wsdDecayShape(c.decay_type, c.num_cycles, (t - decayFrom) / dd), m))
      : c.decay_type === '1-sqrt'
        ? // m + (1 - m) * (1 - sqrt(p)): kpoly with k = 1/2, power 1
          (start) => [
            {
              start,
              prim: 'kpoly',
              offset: start - decayFrom,
              quantum: 1,
              p: [lr * m, lr * (1 - m), dd, 1],
              levels: Float64Array.from([0.5]),
            },
          ]
        : c.decay_type === 'linear'
          ? curve('linear', decayFrom, [lr, lr * (m - 1), dd, 0])
          : c.num_cycles === 0
            ? constant(lr * (1 * (1 - m) + m))
            : curve('cosine', decayFrom, [lr, lr * (m - 1), dd / (2 * Math.abs(c.num_cycles)), 1]);
  return phases(lo, hi, [
    { from: -Infinity, make: warmupMake },
    { from: w, make: constant(lr * 1) },
    { from: decayFrom, make: decayMake },
    { from: decayFrom + dn, make: constant(lr * m) },
  ]);
}
