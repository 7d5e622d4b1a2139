/**
 * The GPU layout of a plan segment, declared once: the WGSL struct and packSegments' writer are
 * generated from this list (a GPU round-trip test reads every field back). Float parameters travel
 * as (hi, lo) f32 pairs so that a double-float path can use both halves.
 */
import { defineStruct, splitDouble } from '../backends/webgpu/wgsl-layout.js';
import type { Plan } from './compile.js';
import { PRIMITIVES } from './primitives.js';

export { splitDouble };

export const SEGMENT = defineStruct('Segment', 'storage', [
  { name: 'start', type: 'u32', doc: 'first global step' },
  { name: 'prim', type: 'u32', doc: 'primitive id' },
  { name: 'offset', type: 'u32', doc: 'added to the quantized local step to form x' },
  { name: 'quantum', type: 'u32', doc: 'local step is floored to a multiple of this' },
  { name: 'levelsAt', type: 'u32', doc: 'first entry in levels' },
  { name: 'breaksAt', type: 'u32', doc: 'first entry in breaks' },
  { name: 'count', type: 'u32', doc: 'size of the pool window, as the primitive counts it (its count())' },
  { name: 'denom', type: 'u32', doc: 'integer denominator of progress curves (0: too large, use p2)' },
  { name: 'p0', type: 'vec2<f32>', from: 'double', doc: 'parameter 0 as (hi, lo)' },
  { name: 'p1', type: 'vec2<f32>', from: 'double', doc: 'parameter 1 as (hi, lo)' },
  { name: 'p2', type: 'vec2<f32>', from: 'double', doc: 'parameter 2 as (hi, lo)' },
  { name: 'p3', type: 'vec2<f32>', from: 'double', doc: 'parameter 3 as (hi, lo)' },
  { name: 'shift', type: 'vec2<f32>', from: 'double', doc: 'added to x by progress curves, as (hi, lo)' },
]);

export const SEGMENT_FIELDS = SEGMENT.fields;
/** Bytes per segment: the struct's size, which is also its array stride. */
export const SEGMENT_BYTES = SEGMENT.size;

export function segmentStructWgsl(): string {
  return SEGMENT.wgsl();
}

/** Ids of the progress curves: the ones that read Segment.denom. */
const PROGRESS = new Set(PRIMITIVES.flatMap((p, id) => (p.progress ? [id] : [])));

/** The plan's segments as an array of WGSL `Segment` structs. */
export function packSegments(plan: Plan): ArrayBuffer {
  const params = plan.segParams;
  return SEGMENT.packArray(plan.segStart.length, {
    start: plan.segStart,
    prim: plan.segPrim,
    offset: plan.segOffset,
    quantum: plan.segQuantum,
    levelsAt: plan.segLevelsAt,
    breaksAt: plan.segBreaksAt,
    count: plan.segCount,
    // the integer progress path needs an integer numerator too
    denom: (i) => {
      const d = params[i * 4 + 2];
      return PROGRESS.has(plan.segPrim[i]) && plan.segShift[i] === 0 && Number.isInteger(d) && d > 0 && d < 2 ** 32
        ? d
        : 0;
    },
    p0: { values: params, stride: 4, at: 0 },
    p1: { values: params, stride: 4, at: 1 },
    p2: { values: params, stride: 4, at: 2 },
    p3: { values: params, stride: 4, at: 3 },
    shift: plan.segShift,
  });
}

/** Levels as (hi, lo) pairs. */
export function packLevels(levels: Float64Array): Float32Array {
  const out = new Float32Array(Math.max(2, levels.length * 2));
  for (let i = 0; i < levels.length; i++) splitDouble(levels[i], out, 2 * i);
  return out;
}
