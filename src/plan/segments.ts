/**
 * A segment is one primitive curve over a run of consecutive steps. For step t in a segment,
 *   x = floor((t - start) / quantum) * quantum + offset        (u32 arithmetic, exact)
 * and the value is prim(x, p0..p3, pool) (progress curves read x + shift, shift mostly 0). Every
 * boundary is an integer here: the shader and the CPU backend never decide where a curve changes
 * with float arithmetic.
 */
import type { PrimitiveName } from './primitives.js';

export interface Segment {
  /** First step of the segment (local to the spec being compiled until the top level). */
  start: number;
  /** Primitive name (see primitives.ts). */
  prim: PrimitiveName;
  /** Added to the (quantized) local step to form x. */
  offset: number;
  /** 1, or updates_per_epoch for noether's interval 'epoch' (the value holds for a whole epoch). */
  quantum: number;
  /** f64 parameters; their meaning is the primitive's. */
  p: [number, number, number, number];
  /**
   * A real number added to x by the progress curves (x + shift) / d, for curves whose origin falls
   * between two steps (timm's cycles, OneCycleLR's phases); 0 or absent elsewhere.
   */
  shift?: number;
  /** Values for 'levels' (count + 1 of them) and 'table' (count of them). 'pulses' keeps its period and firing residues in `breaks`. */
  levels?: Float64Array;
  /** Ascending x thresholds for 'levels': the level index is the number of thresholds <= x. */
  breaks?: Uint32Array;
}

/** The names in src/plan/primitives.ts's list. */
export type { PrimitiveName };

/** Largest step count a plan accepts: x and steps are u32 in WGSL, with headroom for offsets. */
export const MAX_STEPS = 2 ** 31;

export function constantSegment(start: number, value: number, quantum = 1): Segment {
  return { start, prim: 'constant', offset: 0, quantum, p: [value, 0, 0, 0] };
}

/**
 * A curve as the product of its tracks, each a run of segments covering the same steps. Almost
 * every curve has one track; torch's ChainedScheduler multiplies its schedulers' factors, and
 * timm's noise multiplies the lr, as further tracks.
 */
export type Tracks = Segment[][];

/**
 * `start * base ^ (x / d)` from step `from` on, x = step - from + offset (base >= 0; the GPU uses
 * ln(base), computed here in f64).
 */
export function exponentialSegment(from: number, offset: number, start: number, base: number, d: number): Segment {
  return { start: from, prim: 'exponential', offset, quantum: 1, p: [start, base, d, Math.log(base)] };
}

export function shiftTracks(tracks: Tracks, by: number): Tracks {
  for (const track of tracks) for (const s of track) s.start += by;
  return tracks;
}

/**
 * Concatenate curves that follow one another (each covering [from, next from)): track j of the
 * result is every part's track j, or 1 where a part has fewer tracks.
 */
export function concatTracks(parts: readonly { from: number; tracks: Tracks }[]): Tracks {
  const count = Math.max(1, ...parts.map((p) => p.tracks.length));
  return Array.from({ length: count }, (_, j) => parts.flatMap((p) => p.tracks[j] ?? [constantSegment(p.from, 1)]));
}
