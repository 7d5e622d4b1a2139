/**
 * spec + total steps -> plan: a flat segment table per schedule (integer starts, primitive ids,
 * f64 parameters, integer breaks), the one input both backends read.
 */
import { Shown, SpecError, StepError } from '../errors.js';
import { kindEntry } from '../frameworks/registry.js';
import type { NormalSpec } from '../frameworks/types.js';
import type { RunSpec } from '../spec/validate.js';
import { PRIMITIVE_IDS, primitiveByName, segmentCount } from './primitives.js';
import { concatTracks, MAX_STEPS, type Segment, type Tracks } from './segments.js';

export interface Plan {
  /** Steps per schedule (table width). */
  steps: number;
  /** Schedules (table height). */
  rows: number;
  ids: string[];
  kinds: string[];
  /** rows + 1 offsets: the tracks of row r are [rowTracks[r], rowTracks[r + 1]); its value is their product. */
  rowTracks: Uint32Array;
  /** tracks + 1 offsets: the segments of track k are [trackSegments[k], trackSegments[k + 1]). */
  trackSegments: Uint32Array;
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
  /** The real added to x by progress curves (see Segment.shift). */
  segShift: Float64Array;
  levels: Float64Array;
  breaks: Uint32Array;
}

/** Compile any spec, dispatching on its kind (composite kinds call back in for their children). */
export function compileNode(spec: NormalSpec, total: number, lo: number, hi: number): Tracks {
  return kindEntry(spec.kind).compile(spec, total, lo, hi, compileNode);
}

export function checkSteps(steps: unknown): number {
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS)
    throw new SpecError('steps', `must be an integer in [1, ${MAX_STEPS}]`, steps, 'steps-out-of-range');
  return steps;
}

/** The tracks of one top-level spec over steps [0, steps). */
export function compileRun(run: RunSpec, steps: number): Tracks {
  checkSteps(steps);
  try {
    const tracks =
      run.interval === 'epoch'
        ? compileEpochs(run.spec, steps, run.updatesPerEpoch as number)
        : compileNode(run.spec, steps, 0, steps);
    return tracks.map((track) => tidy(track, steps));
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
function compileEpochs(spec: NormalSpec, steps: number, upe: number): Tracks {
  const total = Math.floor(steps / upe) * upe;
  const end = Math.floor((steps - 1) / upe) * upe + 1;
  const parts: { from: number; tracks: Tracks }[] = [];
  // only epoch starts are ever evaluated: a step noether would refuse in between is never asked for
  for (let from = 0; from < end;) {
    try {
      parts.push({ from, tracks: compileNode(spec, total, from, end) });
      break;
    } catch (e) {
      if (!(e instanceof StepError) || e.step % upe === 0) throw e;
      if (e.step > from) parts.push({ from, tracks: compileNode(spec, total, from, e.step) });
      from = (Math.floor(e.step / upe) + 1) * upe;
    }
  }
  return concatTracks(parts).map((inner) => {
    const out: Segment[] = [];
    inner.forEach((seg, i) => {
      const innerEnd = i + 1 < inner.length ? inner[i + 1].start : end;
      const start = Math.ceil(seg.start / upe) * upe;
      if (start >= Math.min(steps, Math.ceil(innerEnd / upe) * upe)) return;
      out.push({ ...seg, start, quantum: upe, offset: seg.offset + (start - seg.start) });
    });
    return out;
  });
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
  return flattenPlan(
    runs.map((run) => ({ id: run.id, kind: run.spec.kind, tracks: compileRun(run, steps) })),
    steps,
  );
}

/** Lay compiled rows out as the flat arrays the backends read. */
export function flattenPlan(rows: readonly { id: string; kind: string; tracks: Tracks }[], steps: number): Plan {
  const perRow = rows.map((r) => r.tracks);
  const tracks = perRow.flat();
  const segments = tracks.flat();
  const nSeg = segments.length;
  const plan: Plan = {
    steps,
    rows: rows.length,
    ids: rows.map((r) => r.id),
    kinds: rows.map((r) => r.kind),
    rowTracks: new Uint32Array(rows.length + 1),
    trackSegments: new Uint32Array(tracks.length + 1),
    segStart: new Uint32Array(nSeg),
    segPrim: new Uint32Array(nSeg),
    segOffset: new Uint32Array(nSeg),
    segQuantum: new Uint32Array(nSeg),
    segLevelsAt: new Uint32Array(nSeg),
    segBreaksAt: new Uint32Array(nSeg),
    segCount: new Uint32Array(nSeg),
    segParams: new Float64Array(nSeg * 4),
    segShift: new Float64Array(nSeg),
    levels: new Float64Array(segments.reduce((n, s) => n + (s.levels?.length ?? 0), 0)),
    breaks: new Uint32Array(segments.reduce((n, s) => n + (s.breaks?.length ?? 0), 0)),
  };
  let track = 0;
  perRow.forEach((rowTracks, r) => {
    plan.rowTracks[r] = track;
    track += rowTracks.length;
  });
  plan.rowTracks[rows.length] = track;
  let k = 0;
  tracks.forEach((segs, t) => {
    plan.trackSegments[t] = k;
    k += segs.length;
  });
  plan.trackSegments[tracks.length] = k;
  let levelsAt = 0;
  let breaksAt = 0;
  segments.forEach((s, i) => {
    plan.segStart[i] = s.start;
    plan.segPrim[i] = PRIMITIVE_IDS[s.prim];
    plan.segOffset[i] = s.offset;
    plan.segQuantum[i] = s.quantum;
    plan.segParams.set(s.p, i * 4);
    plan.segShift[i] = s.shift ?? 0;
    plan.segLevelsAt[i] = levelsAt;
    plan.segBreaksAt[i] = breaksAt;
    plan.segCount[i] = segmentCount(primitiveByName(s.prim), s.levels?.length ?? 0, s.breaks?.length ?? 0);
    if (s.levels) plan.levels.set(s.levels, levelsAt);
    if (s.breaks) plan.breaks.set(s.breaks, breaksAt);
    levelsAt += s.levels?.length ?? 0;
    breaksAt += s.breaks?.length ?? 0;
  });
  return plan;
}
