/**
 * The uniforms and bindings of the fused stats kernels (shaders/stats.wgsl after the evaluate
 * library) and of the prefix scan
 * (shaders/scan.wgsl), declared once: the WGSL structs and `var` lines are generated from these and
 * spliced into the shader sources, and engine.ts and scan.ts pack and bind by the same names.
 */
import dfWgsl from '../../shaders/df.wgsl';
import mathWgsl from '../../shaders/math.wgsl';
import scanWgsl from '../../shaders/scan.wgsl';
import statsWgsl from '../../shaders/stats.wgsl';
import { ALL_PRIMITIVES, evaluateLibrarySource, PLAN_BINDINGS } from '../backends/webgpu/shader.js';
import { defineBindings, defineStruct } from '../backends/webgpu/wgsl-layout.js';

/** The statistics of one row over one range (or one block of it), as the kernels fold and store them. */
export const PARTIAL = defineStruct('Partial', 'storage', [
  { name: 'sumHi', type: 'f32', doc: 'sum of the values, double-float (hi, lo)' },
  { name: 'sumLo', type: 'f32', doc: '' },
  { name: 'minV', type: 'f32', doc: 'smallest value and its first step' },
  { name: 'minI', type: 'u32', doc: '' },
  { name: 'maxV', type: 'f32', doc: 'largest value and its first step' },
  { name: 'maxI', type: 'u32', doc: '' },
  { name: 'jumps', type: 'u32', doc: 'step changes' },
  { name: 'count', type: 'u32', doc: 'steps folded in (0: empty)' },
  { name: 'annealHi', type: 'f32', doc: 'annealing area, double-float (hi, lo)' },
  { name: 'annealLo', type: 'f32', doc: '' },
  // 48 bytes in all: a stride of three 16-byte rows
  { name: 'pad0', type: 'u32', default: 0, doc: 'padding' },
  { name: 'pad1', type: 'u32', default: 0, doc: 'padding' },
]);

/** What `reduce` and `merge` read about the current tile. */
export const STATS_PARAMS = defineStruct('Params', 'uniform', [
  { name: 'rows', type: 'u32', doc: 'rows in this tile' },
  { name: 'row0', type: 'u32', doc: 'first row of the tile in the plan' },
  { name: 'totalRows', type: 'u32', doc: "rows in the plan (the accumulators' row stride)" },
  { name: 'step0', type: 'u32', doc: 'the steps this tile reduces: [step0, step1)' },
  { name: 'step1', type: 'u32', doc: 'end of the steps this tile reduces' },
  { name: 'totalSteps', type: 'u32', doc: 'steps in the plan' },
  { name: 'blocks', type: 'u32', doc: 'workgroups per row (blocks of BLOCK steps)' },
  { name: 'rangeCount', type: 'u32', doc: 'step ranges reduced' },
  { name: 'zeroBits', type: 'u32', default: 0, doc: "0, for double-float's optimization barrier (df.wgsl)" },
  { name: 'lnLambda', type: 'f32', doc: 'ln(lambda) of the annealing momentum' },
  { name: 'invOneMinusLambda', type: 'f32', doc: '1 / (1 - lambda); read by the rank variant alone (WITH_ANNEAL)' },
]);

/** The plan's bindings first (the kernel evaluates it), then the ranges, the tile and the partials. */
export const STATS_BINDINGS = defineBindings([
  ...PLAN_BINDINGS,
  { name: 'ranges', space: 'storage, read', type: 'array<vec2<u32>>', doc: 'step ranges [from, to)' },
  { name: 'params', space: 'uniform', type: 'Params' },
  { name: 'partials', space: 'storage, read_write', type: 'array<Partial>', doc: "the tile's block partials" },
  { name: 'acc', space: 'storage, read_write', type: 'array<Partial>', doc: 'per-(range, row) accumulators' },
]);

/** What each scan dispatch reads about its level. */
export const SCAN_PARAMS = defineStruct('ScanParams', 'uniform', [
  { name: 'n', type: 'u32', doc: 'elements at this level' },
  { name: 'groupsX', type: 'u32', doc: 'workgroups along x (dispatches wider than 65535 use y too)' },
  { name: 'zeroBits', type: 'u32', default: 0, doc: "0, for double-float's optimization barrier (df.wgsl)" },
  { name: 'mode', type: 'u32', doc: 'prepare: 0 b_i = v_i, 1 b_i = v_(i-1) - v_i (b_0 = 0)' },
  { name: 'lnA', type: 'f32', doc: 'ln(a) at this level (a^(256^level))' },
]);

export const SCAN_BINDINGS = defineBindings([
  { name: 'scan', space: 'uniform', type: 'ScanParams' },
  { name: 'data', space: 'storage, read_write', type: 'array<vec2<f32>>' },
  { name: 'totals', space: 'storage, read_write', type: 'array<vec2<f32>>' },
  { name: 'source', space: 'storage, read', type: 'array<f32>' },
]);

/** A shader with math.wgsl and df.wgsl before it and its generated struct and bindings in place. */
function withLayout(source: string, struct: string, bindings: string): string {
  const body = source
    .replace('//!PARTIAL_STRUCT', () => PARTIAL.wgsl())
    .replace('//!PARAMS_STRUCT', () => struct)
    .replace('//!BINDINGS', () => bindings);
  return `${mathWgsl}\n${dfWgsl}\n${body}`;
}

const statsSources = new Map<string, string>();
let scanSource: string | null = null;

/**
 * The fused statistics kernels: the evaluate library (f32, handing each value to the fold; the cases
 * of `primitives` alone) and stats.wgsl.
 */
export function statsShaderSource(primitives: readonly number[] = ALL_PRIMITIVES): string {
  const key = primitives.join(',');
  let source = statsSources.get(key);
  if (!source) {
    source = `${evaluateLibrarySource('standard', 'fold', STATS_BINDINGS.wgsl(), primitives)}\n${statsWgsl
      .replace('//!PARTIAL_STRUCT', () => PARTIAL.wgsl())
      .replace('//!PARAMS_STRUCT', () => STATS_PARAMS.wgsl())}`;
    statsSources.set(key, source);
  }
  return source;
}

export function scanShaderSource(): string {
  scanSource ??= withLayout(scanWgsl, SCAN_PARAMS.wgsl(), SCAN_BINDINGS.wgsl());
  return scanSource;
}
