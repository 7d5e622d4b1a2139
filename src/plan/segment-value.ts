/** Values of compiled segments on the CPU, one step at a time (for held values and for tests). */
import { primitiveByName, segmentCount, type SegmentView } from './primitives.js';
import type { Segment, Tracks } from './segments.js';

const EMPTY_LEVELS = new Float64Array(0);
const EMPTY_BREAKS = new Uint32Array(0);

export function segmentView(seg: Segment): SegmentView {
  const levels = seg.levels ?? EMPTY_LEVELS;
  const breaks = seg.breaks ?? EMPTY_BREAKS;
  return {
    p0: seg.p[0],
    p1: seg.p[1],
    p2: seg.p[2],
    p3: seg.p[3],
    shift: seg.shift ?? 0,
    levels,
    levelsAt: 0,
    breaks,
    breaksAt: 0,
    count: segmentCount(primitiveByName(seg.prim), levels.length, breaks.length),
  };
}

/** x of step t in a segment: the quantized local step plus the segment's offset. */
export function segmentX(seg: Pick<Segment, 'start' | 'offset' | 'quantum'>, t: number): number {
  const local = t - seg.start;
  return (seg.quantum > 1 ? Math.floor(local / seg.quantum) * seg.quantum : local) + seg.offset;
}

const scratch = new Float64Array(1);

/** Value at step t of segments sorted by start (t must lie at or after the first start). */
export function valueAtSegments(segments: readonly Segment[], t: number): number {
  let i = segments.length - 1;
  while (i > 0 && segments[i].start > t) i--;
  const seg = segments[i];
  primitiveByName(seg.prim).fill(segmentView(seg), segmentX(seg, t), scratch, 0, 1);
  return scratch[0];
}

/** Value at step t of a curve: the product of its tracks' values. */
export function valueAtTracks(tracks: Tracks, t: number): number {
  let v = 1;
  for (const track of tracks) v *= valueAtSegments(track, t);
  return v;
}
