/**
 * The GPU layout of a plan segment, declared once: the WGSL struct is generated from this list and
 * packSegments writes the bytes in the same order (a GPU round-trip test reads every field back).
 * Float parameters travel as (hi, lo) f32 pairs so that a double-float path can use both halves.
 */
import type { Plan } from './compile.js';
import { PRIMITIVES } from './primitives.js';

export const SEGMENT_FIELDS = [
  { name: 'start', type: 'u32', doc: 'first global step' },
  { name: 'prim', type: 'u32', doc: 'primitive id' },
  { name: 'offset', type: 'u32', doc: 'added to the quantized local step to form x' },
  { name: 'quantum', type: 'u32', doc: 'local step is floored to a multiple of this' },
  { name: 'levelsAt', type: 'u32', doc: 'first entry in levels' },
  { name: 'breaksAt', type: 'u32', doc: 'first entry in breaks' },
  { name: 'count', type: 'u32', doc: "number of breaks ('levels') or values ('table')" },
  { name: 'denom', type: 'u32', doc: 'integer denominator of progress curves (0: too large, use p2)' },
  { name: 'p0', type: 'vec2<f32>', doc: 'parameter 0 as (hi, lo)' },
  { name: 'p1', type: 'vec2<f32>', doc: 'parameter 1 as (hi, lo)' },
  { name: 'p2', type: 'vec2<f32>', doc: 'parameter 2 as (hi, lo)' },
  { name: 'p3', type: 'vec2<f32>', doc: 'parameter 3 as (hi, lo)' },
  { name: 'shift', type: 'vec2<f32>', doc: 'added to x by progress curves, as (hi, lo)' },
] as const;

export const U32_FIELDS = 8;
export const SEGMENT_BYTES = U32_FIELDS * 4 + 5 * 8;

export function segmentStructWgsl(): string {
  const lines = SEGMENT_FIELDS.map((f) => `  ${f.name}: ${f.type}, // ${f.doc}`);
  return `struct Segment {\n${lines.join('\n')}\n}`;
}

/** f64 -> (hi, lo) with hi = fround(v) and lo = fround(v - hi): hi + lo carries ~48 bits. */
export function splitDouble(v: number, out: Float32Array, at: number): void {
  const hi = Math.fround(v);
  out[at] = hi;
  out[at + 1] = Number.isFinite(hi) ? Math.fround(v - hi) : 0;
}

/** Ids of the progress curves: the ones that read Segment.denom. */
const PROGRESS = new Set(PRIMITIVES.flatMap((p, id) => (p.progress ? [id] : [])));

/** The plan's segments as an array of WGSL `Segment` structs. */
export function packSegments(plan: Plan): ArrayBuffer {
  const n = plan.segStart.length;
  const buffer = new ArrayBuffer(Math.max(1, n) * SEGMENT_BYTES);
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  const stride = SEGMENT_BYTES / 4;
  for (let i = 0; i < n; i++) {
    const w = i * stride;
    u32[w] = plan.segStart[i];
    u32[w + 1] = plan.segPrim[i];
    u32[w + 2] = plan.segOffset[i];
    u32[w + 3] = plan.segQuantum[i];
    u32[w + 4] = plan.segLevelsAt[i];
    u32[w + 5] = plan.segBreaksAt[i];
    u32[w + 6] = plan.segCount[i];
    const d = plan.segParams[i * 4 + 2];
    const shift = plan.segShift[i];
    // the integer progress path needs an integer numerator too
    u32[w + 7] = PROGRESS.has(plan.segPrim[i]) && shift === 0 && Number.isInteger(d) && d > 0 && d < 2 ** 32 ? d : 0;
    for (let p = 0; p < 4; p++) splitDouble(plan.segParams[i * 4 + p], f32, w + U32_FIELDS + 2 * p);
    splitDouble(shift, f32, w + U32_FIELDS + 8);
  }
  return buffer;
}

/** Levels as (hi, lo) pairs. */
export function packLevels(levels: Float64Array): Float32Array {
  const out = new Float32Array(Math.max(2, levels.length * 2));
  for (let i = 0; i < levels.length; i++) splitDouble(levels[i], out, 2 * i);
  return out;
}
