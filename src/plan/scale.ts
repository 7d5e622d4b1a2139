/**
 * Rows that are the same curve times a constant (a sweep over the peak alone): the CPU evaluates
 * one of them and scales it for the others. A row's shape key is its plan with every scaling
 * parameter divided by the row's scale (its largest scaling value, so the quotients stay in
 * [-1, 1]); equal keys, bit for bit, mean equal curves up to that factor, so nothing is
 * approximated beyond one rounding. Rows with subnormal scaling values are left alone.
 */
import type { Plan } from './compile.js';
import { PRIMITIVES } from './primitives.js';

export interface ScaleGroups {
  /** Shape group of each row (-1: evaluate it directly). */
  group: Int32Array;
  /** The row's scale: value(row) = value(source row) * scale[row] / scale[source]. */
  scale: Float64Array;
  /** The group's first row, evaluated directly; the others scale it (so the tiling never matters). */
  source: Int32Array;
}

const cache = new WeakMap<Plan, ScaleGroups>();

export function scaleGroups(plan: Plan): ScaleGroups {
  const cached = cache.get(plan);
  if (cached) return cached;
  const group = new Int32Array(plan.rows).fill(-1);
  const scale = new Float64Array(plan.rows);
  const source = new Int32Array(plan.rows).fill(-1);
  const ids = new Map<string, number>();
  const firstRow: number[] = [];
  for (let r = 0; r < plan.rows; r++) {
    const key = shapeKey(plan, r);
    if (key === null) continue;
    scale[r] = key.scale;
    let id = ids.get(key.text);
    if (id === undefined) {
      ids.set(key.text, (id = ids.size));
      firstRow.push(r);
    }
    group[r] = id;
    source[r] = firstRow[id];
  }
  const result = { group, scale, source };
  cache.set(plan, result);
  return result;
}

function shapeKey(plan: Plan, row: number): { text: string; scale: number } | null {
  const firstTrack = plan.rowTracks[row];
  const parts: (string | number)[] = [];
  let scale = 0;
  // the row's scale: the largest scaling value of its first track
  const scaling = (k: number): number[] => {
    const prim = PRIMITIVES[plan.segPrim[k]];
    const values = prim.scaled.map((i) => plan.segParams[k * 4 + i]);
    if (prim.scalesPool)
      for (let i = 0; i < (prim.levelsUsed?.(plan.segCount[k]) ?? 0); i++)
        values.push(plan.levels[plan.segLevelsAt[k] + i]);
    return values;
  };
  for (let k = plan.trackSegments[firstTrack]; k < plan.trackSegments[firstTrack + 1]; k++)
    for (const v of scaling(k)) {
      // a subnormal value scales with a rounding of its own: no shortcut for such rows
      if (v !== 0 && Math.abs(v) < 2 ** -1022) return null;
      if (Math.abs(v) > Math.abs(scale)) scale = v;
    }
  if (!(scale !== 0 && Number.isFinite(scale))) return null;
  for (let track = firstTrack; track < plan.rowTracks[row + 1]; track++) {
    parts.push('|');
    for (let k = plan.trackSegments[track]; k < plan.trackSegments[track + 1]; k++) {
      const prim = PRIMITIVES[plan.segPrim[k]];
      parts.push(
        plan.segPrim[k],
        plan.segStart[k],
        plan.segOffset[k],
        plan.segQuantum[k],
        plan.segCount[k],
        plan.segShift[k],
      );
      for (let i = 0; i < 4; i++) {
        const v = plan.segParams[k * 4 + i];
        parts.push(track === firstTrack && prim.scaled.includes(i) ? v / scale : v);
      }
      for (let i = 0; i < (prim.levelsUsed?.(plan.segCount[k]) ?? 0); i++) {
        const v = plan.levels[plan.segLevelsAt[k] + i];
        parts.push(track === firstTrack && prim.scalesPool ? v / scale : v);
      }
      for (let i = 0; i < (prim.breaksUsed?.(plan.segCount[k]) ?? 0); i++)
        parts.push(plan.breaks[plan.segBreaksAt[k] + i]);
    }
  }
  return { text: parts.join(','), scale };
}
