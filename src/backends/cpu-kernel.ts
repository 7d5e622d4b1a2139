/**
 * Plan -> values on the CPU, f64: for each segment, the primitive's tight loop over the segment's
 * whole run of steps (no per-element dispatch, no per-element allocation). Shared by the main
 * thread and the worker threads.
 */
import type { Plan } from '../plan/compile.js';
import { PRIMITIVES, type SegmentView } from '../plan/primitives.js';
import { scaleGroups } from '../plan/scale.js';
import { tileRect, wholeTable, type TileRect } from '../tiles.js';

function view(plan: Plan, k: number, exact: boolean): SegmentView {
  const p = k * 4;
  return {
    p0: plan.segParams[p],
    p1: plan.segParams[p + 1],
    p2: plan.segParams[p + 2],
    p3: plan.segParams[p + 3],
    shift: plan.segShift[k],
    levels: plan.levels,
    levelsAt: plan.segLevelsAt[k],
    breaks: plan.breaks,
    breaksAt: plan.segBreaksAt[k],
    count: plan.segCount[k],
    exact,
  };
}

/** Fill out[(r - row0) * steps + (t - step0)] for rows [row0, row0 + rows) and steps [step0, step0 + steps). */
export function evaluateTile(
  plan: Plan,
  row0: number,
  rows: number,
  step0: number,
  steps: number,
  out: Float64Array,
  exact = false,
): void {
  let factor: Float64Array | null = null;
  // rows that are another row times a constant scale that row (their group's source), whichever
  // tile it is in: a value never depends on the tiling
  const { scale, source } = scaleGroups(plan);
  for (let r = 0; r < rows; r++) {
    const row = row0 + r;
    const rowBase = r * steps;
    const src = source[row];
    if (src >= 0 && src !== row && !exact) {
      const ratio = scale[row] / scale[src];
      const from = src >= row0 ? out : sourceRow(plan, src, step0, steps);
      const fromBase = src >= row0 ? (src - row0) * steps : 0;
      for (let i = 0; i < steps; i++) out[rowBase + i] = from[fromBase + i] * ratio;
      continue;
    }
    evaluateRow(plan, row, step0, steps, out, rowBase, exact, () => (factor ??= new Float64Array(steps)));
  }
}

/** One row: its first track, times each further track (ChainedScheduler's factors, noise). */
function evaluateRow(
  plan: Plan,
  row: number,
  step0: number,
  steps: number,
  out: Float64Array,
  rowBase: number,
  exact: boolean,
  scratch: () => Float64Array,
): void {
  const first = plan.rowTracks[row];
  const last = plan.rowTracks[row + 1];
  fillTrack(plan, first, step0, steps, out, rowBase, exact);
  for (let k = first + 1; k < last; k++) {
    const factor = scratch();
    fillTrack(plan, k, step0, steps, factor, 0, exact);
    for (let i = 0; i < steps; i++) out[rowBase + i] *= factor[i];
  }
}

/**
 * Source rows held by this thread for tiles that scale a row outside them (a sweep over the peak
 * of long runs puts a few rows in each tile): evaluated once per (plan, row, steps), not per tile.
 */
const sources = new WeakMap<Plan, Map<string, Float64Array>>();
const SOURCE_CACHE_VALUES = 2 ** 23;

function sourceRow(plan: Plan, row: number, step0: number, steps: number): Float64Array {
  let held = sources.get(plan);
  if (!held) sources.set(plan, (held = new Map()));
  const key = `${row}:${step0}:${steps}`;
  let values = held.get(key);
  if (!values) {
    let total = steps;
    for (const v of held.values()) total += v.length;
    if (total > SOURCE_CACHE_VALUES) held.clear();
    values = new Float64Array(steps);
    evaluateRow(plan, row, step0, steps, values, 0, false, () => new Float64Array(steps));
    held.set(key, values);
  }
  return values;
}

/** One track over steps [step0, step0 + steps) into out[base ...]: each segment's run in one tight loop. */
function fillTrack(
  plan: Plan,
  track: number,
  step0: number,
  steps: number,
  out: Float64Array,
  base: number,
  exact: boolean,
): void {
  const stepEnd = step0 + steps;
  const first = plan.trackSegments[track];
  const last = plan.trackSegments[track + 1];
  // last segment starting at or before step0
  let lo = first;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (plan.segStart[mid] <= step0) lo = mid;
    else hi = mid;
  }
  const at = base - step0;
  for (let k = lo; k < last; k++) {
    const segStart = plan.segStart[k];
    if (segStart >= stepEnd) break;
    const a = Math.max(step0, segStart);
    const b = Math.min(stepEnd, k + 1 < last ? plan.segStart[k + 1] : stepEnd);
    if (a >= b) continue;
    const prim = PRIMITIVES[plan.segPrim[k]];
    const v = view(plan, k, exact);
    const q = plan.segQuantum[k];
    const offset = plan.segOffset[k];
    if (q === 1) {
      prim.fill(v, a - segStart + offset, out, at + a, b - a);
      continue;
    }
    // interval 'epoch': one value per block of q steps
    for (let t = a; t < b;) {
      const blockEnd = Math.min(b, segStart + (Math.floor((t - segStart) / q) + 1) * q);
      prim.fill(v, Math.floor((t - segStart) / q) * q + offset, out, at + t, 1);
      out.fill(out[at + t], at + t + 1, at + blockEnd);
      t = blockEnd;
    }
  }
}

/** Cut the table into tiles of about `tileValues` values: whole rows where they fit, else row pieces. */
export function cpuTiles(rows: number, steps: number, tileValues: number): TileRect[] {
  return tileRect(wholeTable(rows, steps), { values: tileValues });
}

/**
 * A Float64Array of n values in `spare` when it is big enough, else a new one: tiles evaluated into
 * reused buffers fault no fresh pages in (page faults serialise threads on the process's memory map).
 */
export function lend(spare: ArrayBuffer | null, n: number): Float64Array {
  return spare !== null && spare.byteLength >= n * 8 ? new Float64Array(spare, 0, n) : new Float64Array(n);
}
