/**
 * Oracle for pytorch_optimizer.lr_scheduler: each scheduler's arithmetic ported line by line
 * (wsd.py, rex.py, cosine_anealing.py, linear_warmup.py with base/scheduler.py, chebyshev.py). The
 * value at update t is the optimizer's lr after construction and t calls of step(), which each
 * class defines its own way:
 * - get_wsd_schedule, get_chebyshev_schedule: torch LambdaLR, base_lr * lambda(t);
 * - REXScheduler: torch's constructor calls REX's step() once (step_t becomes 1), then init_lr()
 *   sets the lr to min_lr; the k-th later step() applies step_t = k: value(t) = rex(t), t >= 1;
 * - CosineAnnealingWarmupRestarts: the constructor's step() is undone by init_lr() (min_lr), later
 *   steps walk step_in_cycle / cur_cycle_steps / cycle as its step() does;
 * - Linear/Cosine/PolyScheduler: no torch scheduler at all; min_lr at construction, and the k-th
 *   step() applies step_t = k - 1.
 */
import type {
  ChebyshevConfig,
  LinearWarmupConfig,
  PolyConfig,
  RexConfig,
  WarmupRestartsConfig,
  WsdConfig,
} from './configs.js';
import { FrameworkError, pyInt, pyPow } from '../python.js';

/** get_wsd_scheduler_lambda. */
export function wsdLambda(c: WsdConfig, step: number): number {
  const { num_warmup_steps: w, num_stable_steps: s, num_decay_steps: d, min_lr_ratio: m } = c;
  if (step < w) return step / Math.max(1, w);
  if (step < w + s) return 1.0;
  if (step < w + s + d) {
    const x = step - w - s;
    if (c.cooldown_type === 'cosine') {
      const progress = x / Math.max(1, d);
      const value = Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * c.num_cycles * 2.0 * progress)));
      return (1.0 - m) * value + m;
    }
    if (c.cooldown_type === '1-sqrt') return 1.0 - Math.sqrt(x / d);
    if (c.cooldown_type === '1-square') return 1.0 - Math.pow(x / d, 2);
    if (c.cooldown_type === 'linear') return 1.0 - x / d;
  }
  return m;
}

export const wsdValue = (c: WsdConfig, step: number): number => c.base_lr * wsdLambda(c, step);

/** REXScheduler.get_linear_lr at step_t. */
function rexLr(c: RexConfig, stepT: number): number {
  if (stepT >= c.total_steps) return c.min_lr;
  const progress = stepT / c.total_steps;
  return c.min_lr + (c.max_lr - c.min_lr) * ((1.0 - progress) / (1.0 - progress / 2.0));
}

export const rexValue = (c: RexConfig, step: number): number => (step === 0 ? c.min_lr : rexLr(c, step));

/** One stretch of CosineAnnealingWarmupRestarts' state: from step t0 on, step_in_cycle = s0 + (t - t0). */
interface Cycle {
  t0: number;
  s0: number;
  cur: number;
  cycle: number;
}

const cycleMemo = new WeakMap<WarmupRestartsConfig, Cycle[]>();

/** The state stretch covering step t, walking step() from the constructor's (step_in_cycle -1 at t = -1). */
function cycleAt(c: WarmupRestartsConfig, t: number): Cycle {
  let list = cycleMemo.get(c);
  if (!list) cycleMemo.set(c, (list = [{ t0: -1, s0: -1, cur: c.first_cycle_steps, cycle: 0 }]));
  for (;;) {
    const last = list[list.length - 1];
    // step() adds 1 to step_in_cycle and restarts once it reaches cur_cycle_steps
    const next = last.t0 + Math.max(1, last.cur - last.s0);
    if (next > t) break;
    list.push({
      t0: next,
      s0: last.s0 + (next - last.t0) - last.cur,
      cur: pyInt((last.cur - c.warmup_steps) * c.cycle_mult) + c.warmup_steps,
      cycle: last.cycle + 1,
    });
  }
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (list[mid].t0 <= t) lo = mid;
    else hi = mid - 1;
  }
  return list[lo];
}

/** get_lr() for one base lr at the state covering step t. */
export function warmupRestartsLr(c: WarmupRestartsConfig, baseLr: number, t: number): number {
  const st = cycleAt(c, t);
  const s = st.s0 + (t - st.t0);
  const maxLr = c.max_lr * pyPow(c.gamma, st.cycle);
  if (s === -1) return baseLr;
  const w = c.warmup_steps;
  if (s < w) return ((maxLr - baseLr) * s) / w + baseLr;
  if (st.cur - w === 0) throw new FrameworkError('ZeroDivisionError', 'float division by zero');
  return baseLr + ((maxLr - baseLr) * (1 + Math.cos((Math.PI * (s - w)) / (st.cur - w)))) / 2.0;
}

export function warmupRestartsValue(c: WarmupRestartsConfig, step: number): number {
  // the constructor's own step computes get_lr (and may raise) before init_lr() sets min_lr
  if (step === 0) {
    warmupRestartsLr(c, c.min_lr, 0);
    return c.min_lr;
  }
  return warmupRestartsLr(c, c.min_lr, step);
}

/** BaseLinearWarmupScheduler.step() at step_t, with the subclass's _step. */
function linearWarmupLr(c: LinearWarmupConfig, stepT: number, after: (stepT: number) => number): number {
  const w = c.warmup_steps;
  if (stepT < w) return c.init_lr + ((c.max_lr - c.init_lr) * stepT) / w;
  if (stepT === w) return c.max_lr;
  return after(stepT);
}

/** Python's `/`: a float numerator says 'float division by zero', an int one 'division by zero'. */
function ratio(a: number, b: number, message: string): number {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', message);
  return a / b;
}

export function linearValue(c: LinearWarmupConfig, step: number): number {
  if (step === 0) return c.min_lr;
  const { max_lr: max, min_lr: min, warmup_steps: w, t_max: n } = c;
  return linearWarmupLr(c, step - 1, (s) => max + ratio((min - max) * (s - w), n - w, 'float division by zero'));
}

export function cosineValue(c: LinearWarmupConfig, step: number): number {
  if (step === 0) return c.min_lr;
  const { max_lr: max, min_lr: min, warmup_steps: w, t_max: n } = c;
  return linearWarmupLr(c, step - 1, (s) => {
    const phase = ratio(s - w, n - w, 'division by zero') * Math.PI;
    return min + ((max - min) * (Math.cos(phase) + 1.0)) / 2.0;
  });
}

export function polyValue(c: PolyConfig, step: number): number {
  if (step === 0) return c.min_lr;
  const { max_lr: max, min_lr: min, warmup_steps: w } = c;
  return linearWarmupLr(c, step - 1, (s) => min + (max - min) * pyPow(s - w, c.poly_order));
}

const chebyshevMemo = new Map<number, Float64Array>();

/** get_chebyshev_perm_steps(n): the step sizes in fractal order. */
function chebyshevPermSteps(n: number): Float64Array {
  const known = chebyshevMemo.get(n);
  if (known) return known;
  const bigM = 1.0;
  const smallM = 0.05;
  const center = (bigM + smallM) / 2.0;
  const radius = (bigM - smallM) / 2.0;
  const steps = Array.from({ length: n }, (_, k) => 1.0 / (center - radius * Math.cos(((k + 0.5) * Math.PI) / n)));
  let perm = [0];
  while (perm.length < n - 2) {
    const next: number[] = [];
    for (const p of perm) next.push(p, 2 * perm.length - 1 - p);
    perm = next;
  }
  const out = Float64Array.from(perm, (p) => steps[p]);
  chebyshevMemo.set(n, out);
  return out;
}

/** get_chebyshev_lr_lambda. */
export function chebyshevLambda(c: ChebyshevConfig, epoch: number): number {
  if (c.is_warmup) return 1.0;
  const n = c.num_epochs;
  const power = n > 1 ? 2 ** (Math.floor(Math.log2(n - 1)) + 1) : 1;
  const schedule = chebyshevPermSteps(power);
  const idx = Math.min(Math.max(epoch - 2, 0), schedule.length - 1);
  return schedule[idx];
}

export const chebyshevValue = (c: ChebyshevConfig, step: number): number => c.base_lr * chebyshevLambda(c, step);
