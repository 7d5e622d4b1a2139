/**
 * The evaluate kernel's WGSL: shaders/evaluate.wgsl with the Segment and Tile structs and the
 * bindings (declared below and in plan/layout.ts), the math libraries, every primitive's functions
 * and the generated switch over primitive ids, for one precision: f32, or double-float (`high`,
 * pairs of f32, ~48 bits). The text depends on structure only; every number travels in buffers.
 */
import dfWgsl from '../../../shaders/df.wgsl';
import evaluateWgsl from '../../../shaders/evaluate.wgsl';
import mathWgsl from '../../../shaders/math.wgsl';
import { segmentStructWgsl } from '../../plan/layout.js';
import { PRIMITIVES } from '../../plan/primitives.js';
import { defineBindings, defineStruct } from './wgsl-layout.js';

/** The rectangle of the table one dispatch of the evaluate kernel computes. */
export const TILE = defineStruct('Tile', 'uniform', [
  { name: 'row0', type: 'u32', doc: 'first row of the tile in the plan' },
  { name: 'rows', type: 'u32', doc: 'rows in the tile' },
  { name: 'step0', type: 'u32', doc: 'first step of the tile' },
  { name: 'steps', type: 'u32', doc: 'steps in the tile (also the row stride of `out`)' },
  { name: 'perInvocation', type: 'u32', doc: 'consecutive steps per invocation' },
  { name: 'chunksPerRow', type: 'u32', doc: 'ceil(steps / perInvocation)' },
  { name: 'zeroBits', type: 'u32', default: 0, doc: "0, for double-float's optimization barrier (df.wgsl)" },
]);

/** The evaluate kernel's bindings: the plan (see WebGpuBackend.uploadPlan), the tile and the output. */
export const EVALUATE_BINDINGS = defineBindings([
  { name: 'segments', space: 'storage, read', type: 'array<Segment>' },
  {
    name: 'rowTracks',
    space: 'storage, read',
    type: 'array<u32>',
    doc: 'tracks of row r: [rowTracks[r], rowTracks[r + 1])',
  },
  {
    name: 'trackSegments',
    space: 'storage, read',
    type: 'array<u32>',
    doc: 'segments of track k: [trackSegments[k], trackSegments[k + 1])',
  },
  { name: 'breaks', space: 'storage, read', type: 'array<u32>' },
  { name: 'levels', space: 'storage, read', type: 'array<vec2<f32>>', doc: '(hi, lo) pairs' },
  { name: 'tile', space: 'uniform', type: 'Tile' },
  { name: 'out', space: 'storage, read_write', type: 'array<f32>', doc: 'values (pairs of f32 for high precision)' },
]);

export type Precision = 'standard' | 'high';

/** The value type, the switch over primitives and how values multiply and reach `out`. */
function precisionSection(precision: Precision): string {
  const high = precision === 'high';
  const suffix = high ? '_high' : '';
  const cases = PRIMITIVES.map((p, id) => `    case ${id}u: { return prim_${p.name}${suffix}(s, x); }`);
  const zero = high ? 'vec2<f32>(0.0, 0.0)' : '0.0';
  return [
    `alias Value = ${high ? 'vec2<f32>' : 'f32'};`,
    '',
    'fn primitiveValue(s: Segment, x: u32) -> Value {',
    `  switch (s.prim) {\n${cases.join('\n')}\n    default: { return ${zero}; }\n  }`,
    '}',
    '',
    'fn multiplyValues(a: Value, b: Value) -> Value {',
    high ? '  return dfMul(a, b);' : '  return a * b;',
    '}',
    '',
    high
      ? 'fn storeValue(i: u32, v: Value) {\n  out[2u * i] = v.x;\n  out[2u * i + 1u] = v.y;\n}'
      : 'fn storeValue(i: u32, v: Value) {\n  out[i] = v;\n}',
    '',
    high
      ? 'fn loadValue(i: u32) -> Value {\n  return vec2<f32>(out[2u * i], out[2u * i + 1u]);\n}'
      : 'fn loadValue(i: u32) -> Value {\n  return out[i];\n}',
  ].join('\n');
}

const cached = new Map<Precision, string>();

export function evaluateShaderSource(precision: Precision = 'standard'): string {
  let source = cached.get(precision);
  if (!source) {
    source = evaluateWgsl
      .replace('//!SEGMENT_STRUCT', segmentStructWgsl())
      .replace('//!TILE_STRUCT', TILE.wgsl())
      .replace('//!BINDINGS', EVALUATE_BINDINGS.wgsl())
      .replace('//!MATH', `${mathWgsl.trim()}\n\n${dfWgsl.trim()}`)
      .replace('//!PRIMITIVE_FUNCTIONS', PRIMITIVES.map((p) => `${p.wgsl.trim()}\n\n${p.wgslHigh.trim()}`).join('\n\n'))
      .replace('//!PRECISION', precisionSection(precision));
    cached.set(precision, source);
  }
  return source;
}
