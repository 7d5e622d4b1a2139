/**
 * Plan compiler for pytorch_optimizer.lr_scheduler. Every boundary is the integer comparison the
 * scheduler makes on its own step counter (LambdaLR's last_epoch, REX's and the linear-warmup
 * schedulers' step_t, which run one behind the update for the latter, CosineAnnealingWarmupRestarts'
 * step_in_cycle), written here from pytorch_optimizer's source apart from the oracle.
 */
import { StepError } from '../../errors.js';
import { constant, curve, phases, type Phase } from '../../plan/phases.js';
import type { Segment, Tracks } from '../../plan/segments.js';
import { firstStep, levelsSegment } from '../../plan/staircase.js';
import { FrameworkError, pyInt, pyPow } from '../python.js';
import type {
  ChebyshevConfig,
  LinearWarmupConfig,
  PolyConfig,
  RexConfig,
  WarmupRestartsConfig,
  WsdConfig,
} from './configs.js';

/**
 * get_wsd_schedule: warmup t / max(1, W), 1 until W + S, the cooldown over x = t - W - S, then
 * min_lr_ratio. Only the cosine cooldown mixes in min_lr_ratio; the others fall toward 0 and the
 * lr jumps to min_lr_ratio when the cooldown ends; an unknown cooldown_type is min_lr_ratio at once.
 */
export function compileWsd(c: WsdConfig, _total: number, lo: number, hi: number): Tracks {
  const { base_lr: lr, num_warmup_steps: w, num_stable_steps: s, num_decay_steps: d, min_lr_ratio: m } = c;
  const from = w + s;
  const kpoly = (k: number) => (start: number) => [
    {
      start,
      prim: 'kpoly' as const,
      offset: start - from,
      quantum: 1,
      p: [0, lr, d, 1] as [number, number, number, number],
      levels: Float64Array.from([k]),
    },
  ];
  const cooldown =
    c.cooldown_type === 'cosine'
      ? c.num_cycles === 0
        ? constant(lr * ((1 - m) * 1 + m))
        : curve('cosine', from, [lr, lr * (m - 1), Math.max(1, d) / (2 * Math.abs(c.num_cycles)), 1])
      : c.cooldown_type === '1-sqrt'
        ? kpoly(0.5)
        : c.cooldown_type === '1-square'
          ? kpoly(2)
          : c.cooldown_type === 'linear'
            ? curve('linear', from, [lr, -lr, d, 0])
            : constant(lr * m);
  return phases(lo, hi, [
    { from: -Infinity, make: curve('linear', 0, [0, lr, Math.max(1, w), 0]) },
    { from: w, make: constant(lr * 1) },
    { from, make: cooldown },
    { from: from + d, make: constant(lr * m) },
  ]);
}

/** REXScheduler: min_lr at construction, then the rex curve of step_t = t while t < total_steps, then min_lr. */
export function compileRex(c: RexConfig, _total: number, lo: number, hi: number): Tracks {
  const { total_steps: n, max_lr: max, min_lr: min } = c;
  return phases(lo, hi, [
    { from: -Infinity, make: constant(min) },
    { from: 1, make: (start) => [{ start, prim: 'rex', offset: start, quantum: 1, p: [min, max - min, n, 0] }] },
    { from: Math.max(1, n), make: constant(min) },
  ]);
}

/**
 * CosineAnnealingWarmupRestarts: each stretch between restarts is a linear warmup (step_in_cycle <
 * warmup_steps) then a half cosine over cur_cycle_steps - warmup_steps, peaking at max_lr *
 * gamma^cycle. A restart happens at the step where step_in_cycle + 1 reaches cur_cycle_steps (one
 * subtraction per step: a shrinking cycle can restart on the next step again).
 */
export function compileWarmupRestarts(c: WarmupRestartsConfig, _total: number, lo: number, hi: number): Tracks {
  const { min_lr: min, warmup_steps: w } = c;
  const out: Segment[] = [];
  if (lo === 0 && hi > 0) out.push({ start: 0, prim: 'constant', offset: 0, quantum: 1, p: [min, 0, 0, 0] });
  const lo1 = Math.max(lo, 1);
  // the stretch the constructor's step() enters from step_in_cycle = -1
  let t0 = -1;
  let s0 = -1;
  let cur = c.first_cycle_steps;
  let cycle = 0;
  while (t0 < hi) {
    const next = t0 + Math.max(1, cur - s0);
    const a = Math.max(lo1, t0);
    const b = Math.min(hi, next);
    if (a < b) {
      let peak: number;
      try {
        peak = c.max_lr * pyPow(c.gamma, cycle);
      } catch (e) {
        throw new StepError(['gamma'], (e as FrameworkError).message, c.gamma, a);
      }
      const warmEnd = Math.min(b, Math.max(a, t0 + (w - s0)));
      if (a < warmEnd)
        out.push({ start: a, prim: 'linear', offset: s0 + (a - t0), quantum: 1, p: [min, peak - min, w, 0] });
      if (warmEnd < b) {
        if (cur - w === 0)
          throw new StepError(['cycle_mult'], 'ZeroDivisionError: float division by zero', c.cycle_mult, warmEnd);
        out.push({
          start: warmEnd,
          prim: 'cosine',
          offset: s0 + (warmEnd - t0) - w,
          quantum: 1,
          p: [peak, min - peak, Math.abs(cur - w), 1],
        });
      }
    }
    if (next >= hi) break;
    let nextCur: number;
    try {
      nextCur = pyInt((cur - w) * c.cycle_mult) + w;
    } catch (e) {
      throw new StepError(['cycle_mult'], (e as FrameworkError).message, c.cycle_mult, Math.max(next, lo));
    }
    s0 = s0 + (next - t0) - cur;
    t0 = next;
    cur = nextCur;
    cycle += 1;
  }
  return [out];
}

/**
 * BaseLinearWarmupScheduler: min_lr at construction; update t applies step_t = t - 1: the warmup
 * from init_lr while step_t < warmup_steps, max_lr at step_t == warmup_steps, the subclass's curve
 * after (`after` is its phase from update warmup_steps + 2).
 */
function linearWarmup(c: LinearWarmupConfig, lo: number, hi: number, after: Phase['make']): Tracks {
  const { warmup_steps: w, init_lr: init, max_lr: max } = c;
  return phases(lo, hi, [
    { from: -Infinity, make: constant(c.min_lr) },
    { from: 1, make: curve('linear', 1, [init, max - init, w, 0]) },
    { from: w + 1, make: constant(max) },
    { from: w + 2, make: after },
  ]);
}

/** Where (step_t - W) / (t_max - W) divides by zero: the first update past the warmup. */
function zeroSpan(c: LinearWarmupConfig, lo: number, hi: number, message: string): void {
  const at = c.warmup_steps + 2;
  if (c.t_max === c.warmup_steps && at >= lo && at < hi)
    throw new StepError(['t_max'], `ZeroDivisionError: ${message}`, c.t_max, at);
}

/** LinearScheduler: max_lr + (min_lr - max_lr) * (step_t - W) / (t_max - W), unclamped past t_max. */
export function compileLinear(c: LinearWarmupConfig, _total: number, lo: number, hi: number): Tracks {
  zeroSpan(c, lo, hi, 'float division by zero');
  const span = c.t_max - c.warmup_steps;
  const delta = (c.min_lr - c.max_lr) * Math.sign(span);
  return linearWarmup(c, lo, hi, curve('linear', c.warmup_steps + 1, [c.max_lr, delta, Math.abs(span), 0]));
}

/** CosineScheduler: a half cosine from max_lr to min_lr over t_max - W, periodic past t_max. */
export function compileCosine(c: LinearWarmupConfig, _total: number, lo: number, hi: number): Tracks {
  zeroSpan(c, lo, hi, 'division by zero');
  const span = Math.abs(c.t_max - c.warmup_steps);
  return linearWarmup(c, lo, hi, curve('cosine', c.warmup_steps + 1, [c.max_lr, c.min_lr - c.max_lr, span, 1]));
}

/**
 * PolyScheduler: min_lr + (max_lr - min_lr) * (step_t - W) ** poly_order, never normalised by
 * t_max: it grows without bound. Written as N^p ((step_t - W) / N)^p with N the window's largest
 * step_t - W, so the power's base stays in (0, 1] and f32 keeps its digits where the values are
 * largest: the polynomial primitive's (1 - (x + shift) / d) with d = -N, shift = -N.
 */
export function compilePoly(c: PolyConfig, _total: number, lo: number, hi: number): Tracks {
  const { warmup_steps: w, poly_order: p } = c;
  const from = Math.max(lo, w + 2);
  const bad = firstStep(from, hi, (t) => !Number.isFinite((t - 1 - w) ** p));
  if (bad < hi) {
    let reason = 'OverflowError';
    try {
      pyPow(bad - 1 - w, p);
    } catch (e) {
      reason = (e as FrameworkError).message;
    }
    throw new StepError(['poly_order'], reason, p, bad);
  }
  const span = Math.max(1, hi - 2 - w);
  const top = (c.max_lr - c.min_lr) * span ** p;
  const growth = (start: number): Segment[] => [
    { start, prim: 'polynomial', offset: start - 1 - w, quantum: 1, p: [c.min_lr + top, -top, -span, p], shift: -span },
  ];
  return linearWarmup(c, lo, hi, growth);
}

/**
 * get_chebyshev_schedule: base_lr times the Chebyshev step sizes of the next power of two above
 * num_epochs - 1, in fractal order, read at clamp(t - 2): a staircase with a break at each t in
 * [3, length + 1]. Only the entries the window reads are computed (the framework builds them all).
 */
export function compileChebyshev(c: ChebyshevConfig, _total: number, lo: number, hi: number): Tracks {
  const lr = c.base_lr;
  if (hi <= lo) return [[]];
  if (c.is_warmup) return phases(lo, hi, [{ from: -Infinity, make: constant(lr * 1.0) }]);
  const n = c.num_epochs;
  let size = 1;
  if (n > 1) while (size <= n - 1) size *= 2;
  // the permutation doubles from [0] until it holds at least size - 2 entries
  let length = 1;
  while (length < size - 2) length *= 2;
  const at = (t: number) => lr * chebyshevSize(size, length, Math.min(Math.max(t - 2, 0), length - 1));
  const breaks: number[] = [];
  const levels = [at(lo)];
  for (let t = Math.max(lo + 1, 3); t < hi && t <= length + 1; t++) {
    breaks.push(t);
    levels.push(at(t));
  }
  return [[levelsSegment(lo, lo, { breaks, levels })]];
}

/**
 * Entry i of the permuted sizes: 1 / (c - r cos(theta_k)), theta_k = (k + 0.5) pi / size (m = 0.05,
 * M = 1), k the permutation's entry i. Doubling a permutation p of length h puts p[j] at 2j and
 * 2h - 1 - p[j] at 2j + 1, so k unwinds from i's bits, lowest first.
 */
function chebyshevSize(size: number, length: number, i: number): number {
  const c = (1.0 + 0.05) / 2.0;
  const r = (1.0 - 0.05) / 2.0;
  const bits: number[] = [];
  for (let h = length; h > 1; h /= 2) {
    bits.push(i % 2);
    i = Math.floor(i / 2);
  }
  let k = 0;
  let h = 1;
  for (let j = bits.length - 1; j >= 0; j--) {
    k = bits[j] === 0 ? k : 2 * h - 1 - k;
    h *= 2;
  }
  return 1.0 / (c - r * Math.cos(((k + 0.5) * Math.PI) / size));
}
