/**
 * spec + total steps -> plan: a flat segment table per schedule (integer starts, primitive ids,
 * f64 parameters, integer breaks), the one input both backends read.
 */
import { Shown, SpecError, StepError } from '../errors.js';
import { kindEntry } from '../kinds/registry.js';
import type { NormalSpec } from '../kinds/types.js';
import type { RunSpec } from '../spec/validate.js';
import { PRIMITIVE_IDS } from './primitives.js';
import { MAX_STEPS, type Segment } from './segments.js';

export interface Plan {
  /** Steps per schedule (table width). */
  steps: number;
  /** Schedules (table height). */
  rows: number;
  ids: string[];
  kinds: string[];
  /** rows + 1 offsets: the segments of row r are [rowSegments[r], rowSegments[r + 1]). */
  rowSegments: Uint32Array;
  segStart: Uint32Array;
  segPrim: Uint32Array;
  segOffset: Uint32Array;
  segQuantum: Uint32Array;
  segLevelsAt: Uint32Array;
  segBreaksAt: Uint32Array;
  /** Breaks ('levels') or values ('table') of each segment. */
  segCount: Uint32Array;
  /** Four f64 parameters per segment. */
  segParams: Float64Array;
  levels: Float64Array;
  breaks: Uint32Array;
}

/** Compile any spec, dispatching on its kind (composite kinds call back in for their children). */
export function compileNode(spec: NormalSpec, total: number, lo: number, hi: number): Segment[] {
  return kindEntry(spec.kind).compile(spec, total, lo, hi, compileNode);
}

export function checkSteps(steps: unknown): number {
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS)
    throw new SpecError('--steps', `must be an integer in [1, ${MAX_STEPS}]`, steps);
  return steps;
}

/** The segments of one top-level spec over steps [0, steps). */
export function compileRun(run: RunSpec, steps: number): Segment[] {
  checkSteps(steps);
  try {
    const segments =
      run.interval === 'epoch'
        ? compileEpochs(run.spec, steps, run.updatesPerEpoch as number)
        : compileNode(run.spec, steps, 0, steps);
    return tidy(segments, steps);
  } catch (e) {
    if (e instanceof StepError)
      throw new StepError([...run.path, ...e.path], e.reason, e.got ?? new Shown(`steps=${steps}`), e.step);
    throw e;
  }
}

/**
 * noether's interval 'epoch' (ScheduleWrapper): at update t the schedule is asked for
 * get_value(epoch * upe, epochs * upe) with epoch = t // upe and epochs = steps // upe, so each
 * value holds for a whole epoch. Segments get quantum = upe and start on epoch boundaries.
 */
function compileEpochs(spec: NormalSpec, steps: number, upe: number): Segment[] {
  const total = Math.floor(steps / upe) * upe;
  const end = Math.floor((steps - 1) / upe) * upe + 1;
  const inner: Segment[] = [];
  // only epoch starts are ever evaluated: a step noether would refuse in between is never asked for
  for (let from = 0; from < end;) {
    try {
      inner.push(...compileNode(spec, total, from, end));
      break;
    } catch (e) {
      if (!(e instanceof StepError) || e.step % upe === 0) throw e;
      if (e.step > from) inner.push(...compileNode(spec, total, from, e.step));
      from = (Math.floor(e.step / upe) + 1) * upe;
    }
  }
  const out: Segment[] = [];
  inner.forEach((seg, i) => {
    const innerEnd = i + 1 < inner.length ? inner[i + 1].start : end;
    const start = Math.ceil(seg.start / upe) * upe;
    if (start >= Math.min(steps, Math.ceil(innerEnd / upe) * upe)) return;
    out.push({ ...seg, start, quantum: upe, offset: seg.offset + (start - seg.start) });
  });
  return out;
}

/** Check the invariants the backends rely on: first segment at 0, strictly increasing starts. */
function tidy(segments: Segment[], steps: number): Segment[] {
  const kept = segments.filter((s) => s.start < steps);
  if (kept.length === 0 || kept[0].start !== 0) throw new Error('internal: plan does not start at step 0');
  for (let i = 1; i < kept.length; i++)
    if (kept[i].start <= kept[i - 1].start) throw new Error('internal: plan segments out of order');
  return kept;
}

/** Compile every run into one flat plan. */
export function compilePlan(runs: readonly RunSpec[], steps: number): Plan {
  checkSteps(steps);
  const perRow = runs.map((run) => compileRun(run, steps));
  const nSeg = perRow.reduce((n, segs) => n + segs.length, 0);
  let nLevels = 0;
  let nBreaks = 0;
  for (const segs of perRow)
    for (const s of segs) {
      nLevels += s.levels?.length ?? 0;
      nBreaks += s.breaks?.length ?? 0;
    }
  const plan: Plan = {
    steps,
    rows: runs.length,
    ids: runs.map((r) => r.id),
    kinds: runs.map((r) => r.spec.kind),
    rowSegments: new Uint32Array(runs.length + 1),
    segStart: new Uint32Array(nSeg),
    segPrim: new Uint32Array(nSeg),
    segOffset: new Uint32Array(nSeg),
    segQuantum: new Uint32Array(nSeg),
    segLevelsAt: new Uint32Array(nSeg),
    segBreaksAt: new Uint32Array(nSeg),
    segCount: new Uint32Array(nSeg),
    segParams: new Float64Array(nSeg * 4),
    levels: new Float64Array(nLevels),
    breaks: new Uint32Array(nBreaks),
  };
  let k = 0;
  let levelsAt = 0;
  let breaksAt = 0;
  perRow.forEach((segs, r) => {
    plan.rowSegments[r] = k;
    for (const s of segs) {
      plan.segStart[k] = s.start;
      plan.segPrim[k] = PRIMITIVE_IDS[s.prim];
      plan.segOffset[k] = s.offset;
      plan.segQuantum[k] = s.quantum;
      plan.segParams.set(s.p, k * 4);
      plan.segLevelsAt[k] = levelsAt;
      plan.segBreaksAt[k] = breaksAt;
      plan.segCount[k] = s.prim === 'levels' ? (s.breaks?.length ?? 0) : (s.levels?.length ?? 0);
      if (s.levels) plan.levels.set(s.levels, levelsAt);
      if (s.breaks) plan.breaks.set(s.breaks, breaksAt);
      levelsAt += s.levels?.length ?? 0;
      breaksAt += s.breaks?.length ?? 0;
      k++;
    }
  });
  plan.rowSegments[runs.length] = k;
  return plan;
}
