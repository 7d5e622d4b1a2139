/**
 * The evaluate kernel's WGSL: shaders/evaluate.wgsl with the Segment and Tile structs and the
 * bindings (declared below and in plan/layout.ts), the math libraries, every primitive's functions
 * and the generated switch over primitive ids, for one precision: f32, or double-float (`high`,
 * pairs of f32, ~48 bits). The text depends on structure only; every number travels in buffers.
 */
import dfWgsl from '../../../shaders/df.wgsl';
import evaluateEntryWgsl from '../../../shaders/evaluate-entry.wgsl';
import evaluateWgsl from '../../../shaders/evaluate.wgsl';
import mathWgsl from '../../../shaders/math.wgsl';
import type { Plan } from '../../plan/compile.js';
import { segmentStructWgsl } from '../../plan/layout.js';
import { PRIMITIVES } from '../../plan/primitives.js';
import { defineBindings, defineStruct } from './wgsl-layout.js';

/** The rectangle of the table one dispatch of the evaluate kernel computes. */
export const TILE = defineStruct('Tile', 'uniform', [
  { name: 'row0', type: 'u32', doc: 'first row of the tile in the plan' },
  { name: 'rows', type: 'u32', doc: 'rows in the tile' },
  { name: 'step0', type: 'u32', doc: 'first step of the tile' },
  { name: 'steps', type: 'u32', doc: 'steps in the tile (also the row stride of `out`)' },
  { name: 'perInvocation', type: 'u32', doc: 'steps per invocation (64 apart: a workgroup covers 64 x this)' },
  { name: 'zeroBits', type: 'u32', default: 0, doc: "0, for double-float's optimization barrier (df.wgsl)" },
]);

/** The plan's bindings (see WebGpuBackend.uploadPlan), first in every kernel that evaluates a plan. */
export const PLAN_BINDINGS = [
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
] as const;

/** The evaluate kernel's bindings: the plan, the tile and the output. */
export const EVALUATE_BINDINGS = defineBindings([
  ...PLAN_BINDINGS,
  { name: 'tile', space: 'uniform', type: 'Tile' },
  { name: 'out', space: 'storage, read_write', type: 'array<f32>', doc: 'values (pairs of f32 for high precision)' },
]);

export type Precision = 'standard' | 'high';

/**
 * Where the library's values go. `{ target }`: an array of f32 the caller declares or binds, an
 * invocation's steps LANES apart (the evaluate kernel: neighbouring invocations store neighbouring
 * values). `'fold'` (f32 only): consecutive steps, each value handed in step order to the caller's
 * `foldValue(t, v)` (the fused statistics, which keep no values); with `first` false a value
 * multiplies into the caller's `chunk[t - chunkStart]` instead, so that a row of several tracks is
 * evaluated a chunk of steps at a time, every track so, and the products folded by the caller.
 */
export type ValueSink = { target: string } | 'fold';

/** Indents every line of `text` but the first by `n` spaces. */
function indent(text: string, n: number): string {
  return text.replaceAll('\n', `\n${' '.repeat(n)}`);
}

/** storeValue and putValue into an array: the first track stores its values, later ones multiply into them. */
function arraySinkSection(high: boolean, target: string): string {
  return [
    high
      ? `fn storeValue(i: u32, v: Value) {\n  ${target}[2u * i] = v.x;\n  ${target}[2u * i + 1u] = v.y;\n}`
      : `fn storeValue(i: u32, v: Value) {\n  ${target}[i] = v;\n}`,
    '',
    high
      ? `fn loadValue(i: u32) -> Value {\n  return vec2<f32>(${target}[2u * i], ${target}[2u * i + 1u]);\n}`
      : `fn loadValue(i: u32) -> Value {\n  return ${target}[i];\n}`,
    '',
    'fn putValue(i: u32, v: Value, first: bool) {',
    '  if (first) {',
    '    storeValue(i, v);',
    '  } else {',
    '    storeValue(i, multiplyValues(loadValue(i), v));',
    '  }',
    '}',
  ].join('\n');
}

/**
 * storeValue and putValue for the fold: a single track's values are folded as they come; the tracks
 * of a row of several all multiply into the caller's `chunk` (first = false), which the caller folds.
 */
function foldSinkSection(high: boolean): string {
  if (high) throw new Error('the fold sink is f32 only');
  return [
    'fn storeValue(i: u32, v: Value) {',
    '  foldValue(i, v);',
    '}',
    '',
    'fn putValue(i: u32, v: Value, first: bool) {',
    '  if (first) {',
    '    storeValue(i, v);',
    '  } else {',
    '    chunk[i - chunkStart] = chunk[i - chunkStart] * v;',
    '  }',
    '}',
  ].join('\n');
}

/**
 * The value type, how values multiply and reach the sink, and evaluateRun: the switch over primitives
 * with the loop over steps inside each case, so that the switch is taken once per segment an
 * invocation's steps cross rather than once per value.
 *
 * Each case has two loops. The fast one serves the first track of a row (a plain store) when the
 * segment has no quantum and is in its primitive's common case: a progress curve with an integer
 * denominator, or what the primitive's `fn <name>Common(s: Segment, xLast: u32) -> bool` says of the
 * segment and the largest x of the run. It sets
 * `inCommonCase` to the constant true, so the compiler drops the rare paths (double-float
 * progress, folding) from its body. On lavapipe the mere presence of such paths in a loop body
 * cost more than the math taken; on a GPU it spares registers. A primitive may replace the fast
 * loop with its own `fn <name>Run(s, t0, t1, i0, dx)` (a staircase advances its level index), or
 * for one precision alone with `<name>Run_standard` or `<name>Run_high` (both builds hold every
 * primitive's functions, so these must compile in either).
 */
function precisionSection(precision: Precision, sink: ValueSink, primitives: readonly number[]): string {
  const high = precision === 'high';
  const suffix = high ? '_high' : '';
  const cases = primitives.map((id) => {
    const p = PRIMITIVES[id];
    const value = (x: string) => `prim_${p.name}${suffix}(s, ${x})`;
    const common = new RegExp(`fn ${p.name}Common\\(`).test(p.wgsl)
      ? ` && ${p.name}Common(s, t1 - 1u + (s.offset - s.start))`
      : p.progress
        ? ' && s.denom != 0u'
        : '';
    // x = t + (offset - start), wrapping in u32
    const run = [`${p.name}Run${high ? '_high' : '_standard'}`, `${p.name}Run`].find((name) =>
      new RegExp(`fn ${name}\\(`).test(`${p.wgsl}\n${p.wgslHigh}`),
    );
    const fast = run
      ? `${run}(s, t0, t1, i0, s.offset - s.start);`
      : [
          'let dx = s.offset - s.start;',
          'for (var t = t0; t < t1; t += STEP_STRIDE) {',
          `  storeValue(i0 + (t - t0), ${value('t + dx')});`,
          '}',
        ].join('\n');
    const general = [
      'for (var t = t0; t < t1; t += STEP_STRIDE) {',
      `  putValue(i0 + (t - t0), ${value('segmentX(s, t)')}, first);`,
      '}',
    ].join('\n');
    return indent(
      [
        `case ${id}u: {`,
        `  if (first && s.quantum <= 1u${common}) {`,
        ...(common ? ['    inCommonCase = true;'] : []),
        `    ${indent(fast, 4)}`,
        '  } else {',
        ...(common ? ['    inCommonCase = false;'] : []),
        `    ${indent(general, 4)}`,
        '  }',
        '}',
      ].join('\n'),
      4,
    );
  });
  return [
    `alias Value = ${high ? 'vec2<f32>' : 'f32'};`,
    '',
    '// the stride between the steps one invocation evaluates',
    `const STEP_STRIDE: u32 = ${sink === 'fold' ? '1u' : 'LANES'};`,
    '',
    'fn multiplyValues(a: Value, b: Value) -> Value {',
    high ? '  return dfMul(a, b);' : '  return a * b;',
    '}',
    '',
    "// a (hi, lo) pair from the plan's pools as this build's value",
    `fn poolValue(v: vec2<f32>) -> Value {\n  return ${high ? 'v' : 'v.x'};\n}`,
    '',
    sink === 'fold' ? foldSinkSection(high) : arraySinkSection(high, sink.target),
    '',
    '// segment s at steps t0, t0 + STEP_STRIDE, ... below t1; the value of step t goes to index i0 + t - t0',
    'fn evaluateRun(s: Segment, t0: u32, t1: u32, i0: u32, first: bool) {',
    `  switch (s.prim) {\n    ${cases.join('\n')}\n    default: {}\n  }`,
    '}',
  ].join('\n');
}

/** Every primitive's id: a kernel that evaluates any plan. */
export const ALL_PRIMITIVES: readonly number[] = PRIMITIVES.map((_, id) => id);

/**
 * The primitives a plan's segments use, ascending: the cases of evaluateRun its kernels need. A
 * kernel holding only these compiles in a fraction of the time of one holding all 15 (each case
 * inlines the sink into two loops: ~0.35 s against ~1 s for the fused statistics on lavapipe).
 */
export function planPrimitives(plan: Plan): number[] {
  return [...new Set(plan.segPrim)].sort((a, b) => a - b);
}

/**
 * shaders/evaluate.wgsl completed for one precision: the functions that evaluate a plan at given
 * steps, handing values to `sink` (see ValueSink), with `bindings` (the plan's first) declared, and
 * evaluateRun's cases for `primitives` alone (a segment of another primitive evaluates to nothing).
 */
export function evaluateLibrarySource(
  precision: Precision,
  sink: ValueSink,
  bindings: string,
  primitives: readonly number[] = ALL_PRIMITIVES,
): string {
  return evaluateWgsl
    .replace('//!SEGMENT_STRUCT', () => segmentStructWgsl())
    .replace('//!BINDINGS', () => bindings)
    .replace('//!MATH', () => `${mathWgsl.trim()}\n\n${dfWgsl.trim()}`)
    .replace('//!PRIMITIVE_FUNCTIONS', () =>
      PRIMITIVES.map((p) => `${p.wgsl.trim()}\n\n${p.wgslHigh.trim()}`).join('\n\n'),
    )
    .replace('//!PRECISION', () => precisionSection(precision, sink, primitives));
}

const cached = new Map<string, string>();

/**
 * The evaluate kernel (entry point `main`): the library writing `out`, and the kernel itself, for
 * plans whose primitives are among `primitives`.
 */
export function evaluateShaderSource(
  precision: Precision = 'standard',
  primitives: readonly number[] = ALL_PRIMITIVES,
): string {
  const key = `${precision}:${primitives.join(',')}`;
  let source = cached.get(key);
  if (!source) {
    source = `${evaluateLibrarySource(precision, { target: 'out' }, EVALUATE_BINDINGS.wgsl(), primitives)}\n${evaluateEntryWgsl.replace('//!TILE_STRUCT', () => TILE.wgsl())}`;
    cached.set(key, source);
  }
  return source;
}
