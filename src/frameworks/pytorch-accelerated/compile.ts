/**
 * Plan compiler for pytorch_accelerated.schedulers: each phase is one segment from an integer step
 * computed as the scheduler computes it (warmup end, cosine end, WSD's checkpoint periods and decay
 * starts), so a plan's size does not grow with the run.
 */
import { StepError, type PathPart } from '../../errors.js';
import { wsdCheckpoints, wsdWarmup, type CosineConfig, type WsdConfig } from './configs.js';
import { FrameworkError, pyDiv, pyPow } from '../python.js';
import { constantSegment, type Segment, type Tracks } from '../../plan/segments.js';
import { firstStep } from '../../plan/staircase.js';

const fail = (step: number, path: PathPart[], got: unknown, reason: string) => new StepError(path, reason, got, step);

function linear(from: number, offset: number, start: number, delta: number, d: number): Segment {
  return { start: from, prim: 'linear', offset, quantum: 1, p: [start, delta, d, 0] };
}

/** Pieces [from, to) in order; those outside [lo, hi) dropped, the first clipped to lo. */
function clip(pieces: Segment[], ends: number[], lo: number, hi: number): Segment[] {
  const out: Segment[] = [];
  pieces.forEach((seg, i) => {
    const from = Math.max(seg.start, lo);
    if (from >= Math.min(ends[i], hi)) return;
    out.push({ ...seg, start: from, offset: seg.offset + (from - seg.start) });
  });
  return out.length ? out : [constantSegment(lo, 0)];
}

/**
 * What CosineLrScheduler's progress `x ** k_decay / cosine_end ** k_decay` raises at x (Python's
 * float `**` and `/`), or null: the one part of its cosine step that can raise.
 */
function progressRaises(x: number, k: number, cosineEnd: number): FrameworkError | null {
  try {
    pyDiv(pyPow(x, k), pyPow(cosineEnd, k));
    return null;
  } catch (e) {
    if (e instanceof FrameworkError) return e;
    throw e;
  }
}

export function compileCosine(c: CosineConfig, _total: number, lo: number, hi: number): Tracks {
  const spe = c.num_update_steps_per_epoch;
  const total = c.total_num_epochs * spe;
  const warmup = c.num_warmup_epochs * spe;
  const cooldown = c.num_cooldown_epochs * spe;
  const lr = c.base_lr;
  const low = c.min_lr_ratio !== null ? c.min_lr_ratio * lr : c.lr_min;
  const cosineEnd = total - (warmup + cooldown);
  const pieces: Segment[] = [];
  const ends: number[] = [];
  const warmupEnd = Math.max(0, warmup);
  if (warmupEnd > 0) {
    const startLr = c.warmup_starting_lr_ratio !== null ? c.warmup_starting_lr_ratio * lr : c.warmup_starting_lr;
    pieces.push(linear(0, 0, startLr, lr - c.warmup_starting_lr, warmup));
    ends.push(warmupEnd);
  }
  if (cosineEnd > warmupEnd) {
    // x ** k / cosineEnd ** k raises where Python's floats do: x = 0 with k < 0 (the first cosine
    // step), a denominator that overflows or underflows to 0 (every step), a numerator that
    // overflows (x ** k grows with x for k > 0: from some step on)
    const raised = (t: number) => progressRaises(t - warmup, c.k_decay, cosineEnd);
    const [first, stop] = [Math.max(lo, warmupEnd), Math.min(hi, cosineEnd)];
    const bad = first >= stop || raised(first) ? first : firstStep(first, stop, (t) => raised(t) !== null);
    if (first < stop && bad < stop) {
      const e = raised(bad)!;
      throw fail(bad, ['k_decay'], c.k_decay, `${e.type}: ${e.detail}`);
    }
    pieces.push({
      start: warmupEnd,
      prim: 'cosine',
      offset: warmupEnd - warmup,
      quantum: 1,
      p: [lr, low - lr, cosineEnd, c.k_decay],
    });
    ends.push(cosineEnd);
  }
  pieces.push(constantSegment(Math.max(warmupEnd, cosineEnd), low));
  ends.push(Infinity);
  return [clip(pieces, ends, lo, hi)];
}

export function compileWsd(c: WsdConfig, _total: number, lo: number, hi: number): Tracks {
  const base = c.base_lr;
  const warmup = c.is_continuation_from_checkpoint ? 0 : Math.max(0, wsdWarmup(c));
  const checkpoints = wsdCheckpoints(c);
  const pieces: Segment[] = [];
  const ends: number[] = [];
  const push = (seg: Segment, end: number) => {
    // only the part after the warmup counts; the warmup segment comes first
    if (end <= warmup) return;
    const from = Math.max(seg.start, warmup);
    pieces.push({ ...seg, start: from, offset: seg.offset + (from - seg.start) });
    ends.push(end);
  };
  if (warmup > 0) {
    pieces.push(linear(0, 0, c.warmup_starting_lr, base - c.warmup_starting_lr, warmup));
    ends.push(warmup);
  }
  const decay = (from: number, decaySteps: number): Segment => {
    if (c.use_inverse_sqrt_decay)
      return {
        start: from,
        prim: 'kpoly',
        offset: 0,
        quantum: 1,
        p: [base * c.lr_min, base * (1 - c.lr_min), decaySteps, 1],
        levels: Float64Array.from([0.5]),
      };
    return { start: from, prim: 'reciprocal', offset: 0, quantum: 1, p: [base, 1 / c.lr_min - 1, decaySteps, 0] };
  };
  const end = base * (c.use_inverse_sqrt_decay ? c.lr_min + (1 - c.lr_min) * 0 : 1 / (1 / c.lr_min));
  // steps that reach a decay with lr_min = 0 under the inverse formula raise (1.0 / lr_min)
  const raises = !c.use_inverse_sqrt_decay && c.lr_min === 0;
  // the first step from `step` on that the warmup does not cover raises, if it comes before `until`
  const refuseFrom = (step: number, detail: string, until = Infinity) => {
    const at = Math.max(step, warmup, lo);
    if (at < Math.min(hi, until))
      throw fail(at, raises ? ['lr_min'] : ['decay_phase_ratio'], raises ? c.lr_min : c.decay_phase_ratio, detail);
  };
  let periodStart = 0;
  for (const checkpoint of checkpoints) {
    const length = checkpoint - periodStart;
    const decaySteps = Math.trunc(length * c.decay_phase_ratio);
    const decayStart = periodStart + length - decaySteps;
    if (checkpoint > periodStart) {
      push(constantSegment(periodStart, base), decayStart);
      if (decaySteps > 0) {
        if (raises) refuseFrom(decayStart, 'ZeroDivisionError: float division by zero', checkpoint);
        push(decay(decayStart, decaySteps), checkpoint);
      }
    }
    periodStart = Math.max(periodStart, checkpoint);
  }
  // past the last checkpoint the lookup falls back to period 0, already at its end (r = 1)
  const last = checkpoints[checkpoints.length - 1];
  const firstDecaySteps = Math.trunc(checkpoints[0] * c.decay_phase_ratio);
  if (firstDecaySteps === 0) refuseFrom(last, 'ZeroDivisionError: division by zero');
  if (raises) refuseFrom(last, 'ZeroDivisionError: float division by zero');
  push(constantSegment(last, end), Infinity);
  return [clip(pieces, ends, lo, hi)];
}
