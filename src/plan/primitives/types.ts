/**
 * What one primitive curve declares about itself, in its own module (src/plan/primitives/<name>.ts):
 * its TypeScript loop, its WGSL (f32 and double-float), its magnitude bound, whether it is a
 * progress curve and how much of the pools it reads. The list in ../primitives.ts gives the ids.
 */

/** What a primitive reads: its parameters and, for pooled primitives, a window of the pools. */
export interface SegmentView {
  p0: number;
  p1: number;
  p2: number;
  p3: number;
  /** Added to x by the progress curves (see Segment.shift). */
  shift: number;
  levels: Float64Array;
  levelsAt: number;
  breaks: Uint32Array;
  breaksAt: number;
  /** Number of breaks ('levels') or of table values ('table'). */
  count: number;
  /** The direct formulas only (no fast-math tables or whole-power loops): `--exact`. */
  exact?: boolean;
}

/** What a magnitude bound sees of one segment of a plan. */
export interface MagnitudeInput {
  p0: number;
  p1: number;
  p2: number;
  p3: number;
  /** The first and last x the segment reaches. */
  xMin: number;
  xMax: number;
  /** The same plus the shift: what progress curves divide by d. */
  uMin: number;
  uMax: number;
  /** Steps the segment covers. */
  length: number;
  count: number;
  /** Largest |levels[levelsAt + i]| for i in [from, from + n). */
  levelsMax(from: number, n: number): number;
  /** breaks[breaksAt + i]. */
  breakAt(i: number): number;
}

export interface Primitive<Name extends string = string> {
  name: Name;
  /** Parameter meanings, for docs and for reading plans. */
  params: readonly string[];
  /**
   * Which parameters (indices) and whether the pooled values scale with the curve: the value is
   * linear in them, so rows that differ only by these times a constant are copies times a ratio.
   */
  scaled: readonly number[];
  scalesPool?: boolean;
  /**
   * A progress curve reads (x + shift) / p2: with no shift and an integer p2 below 2^32 the GPU
   * forms 1 - x / d from integers (Segment.denom).
   */
  progress?: boolean;
  /** The segment's `count` from its pools' lengths (default: the number of levels). */
  count?(levels: number, breaks: number): number;
  /** How many levels and breaks a segment with this `count` reads from the pools. */
  levelsUsed?(count: number): number;
  breaksUsed?(count: number): number;
  summary: string;
  /** An upper bound on |value| over the segment (NaN: not a value, e.g. padding). */
  magnitude(s: MagnitudeInput): number;
  /** WGSL source defining `fn prim_<name>(s: Segment, x: u32) -> f32`. */
  wgsl: string;
  /** WGSL source of the double-float version, `fn prim_<name>_high(s: Segment, x: u32) -> vec2<f32>`. */
  wgslHigh: string;
  /** out[o + i] = value at x0 + i, for i in [0, n): a tight loop, no per-element dispatch. */
  fill(s: SegmentView, x0: number, out: Float64Array, o: number, n: number): void;
}

/** A primitive with its name kept as a literal type (PrimitiveName is the union of the list's names). */
export function definePrimitive<const Name extends string>(primitive: Primitive<Name>): Primitive<Name> {
  return primitive;
}
