/**
 * Plan -> values on the CPU, f64: for each segment, the primitive's tight loop over the segment's
 * whole run of steps (no per-element dispatch, no per-element allocation). Shared by the main
 * thread and the worker threads.
 */
import type { Plan } from '../plan/compile.js';
import { PRIMITIVES, type SegmentView } from '../plan/primitives.js';
import { scaleGroups } from '../plan/scale.js';
import { tileRect, wholeTable, type TileRect } from '../tiles.js';

function view(plan: Plan, k: number): SegmentView {
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
): void {
  let factor: Float64Array | null = null;
  // rows that are another row of this tile times a constant are copied and scaled
  const { group, scale } = scaleGroups(plan);
  const firstOfGroup = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const rowBase = r * steps;
    const g = group[row0 + r];
    const seen = g >= 0 ? firstOfGroup.get(g) : undefined;
    if (seen !== undefined) {
      const ratio = scale[row0 + r] / scale[row0 + seen];
      const from = seen * steps;
      for (let i = 0; i < steps; i++) out[rowBase + i] = out[from + i] * ratio;
      continue;
    }
    if (g >= 0) firstOfGroup.set(g, r);
    const first = plan.rowTracks[row0 + r];
    const last = plan.rowTracks[row0 + r + 1];
    fillTrack(plan, first, step0, steps, out, rowBase);
    // further tracks multiply the row (ChainedScheduler's factors, noise)
    for (let k = first + 1; k < last; k++) {
      factor ??= new Float64Array(steps);
      fillTrack(plan, k, step0, steps, factor, 0);
      for (let i = 0; i < steps; i++) out[rowBase + i] *= factor[i];
    }
  }
}

/** One track over steps [step0, step0 + steps) into out[base ...]: each segment's run in one tight loop. */
function fillTrack(plan: Plan, track: number, step0: number, steps: number, out: Float64Array, base: number): void {
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
    const v = view(plan, k);
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
