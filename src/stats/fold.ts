/**
 * Folding one evaluated tile into the Partials of its rows, packed as numbers: what a CPU worker
 * sends back instead of the tile (rows x ranges x 10 numbers rather than rows x steps values), so
 * that stats and rank evaluate and reduce in the same thread, in parallel, with no table moved.
 */
import type { TileRect } from '../tiles.js';
import { emptyPartial, reduceSteps, type Partial, type Range } from './define.js';

/** Everything a fold needs besides the tile: sent to each worker once per run. */
export interface PartialsFold {
  ranges: Range[];
  lambda: number | null;
  totalSteps: number;
  /** annealWeights of each range's end, or null (short ranges, or no lambda). */
  weights: (Float64Array | null)[];
}

/** Numbers per packed Partial, in the order of PARTIAL_KEYS. */
const PARTIAL_KEYS = ['sum', 'sumC', 'min', 'argmin', 'max', 'argmax', 'jumps', 'count', 'anneal', 'annealC'] as const;
export const PARTIAL_NUMBERS = PARTIAL_KEYS.length;

/**
 * The Partials of rows [core.row0, +core.rows) over the core's steps, range-major within a row:
 * out[(r * ranges + k) * PARTIAL_NUMBERS + field]. `data` holds `evaluated` (the core with its halo).
 */
export function foldTile(
  fold: PartialsFold,
  data: ArrayLike<number>,
  evaluated: TileRect,
  core: TileRect,
): Float64Array {
  const { ranges, lambda, totalSteps, weights } = fold;
  const out = new Float64Array(core.rows * ranges.length * PARTIAL_NUMBERS);
  for (let r = 0; r < core.rows; r++) {
    const offset = (core.row0 - evaluated.row0 + r) * evaluated.steps - evaluated.step0;
    for (let k = 0; k < ranges.length; k++) {
      const range = ranges[k];
      const from = Math.max(range[0], core.step0);
      const to = Math.min(range[1], core.step0 + core.steps);
      const p = from < to ? reduceSteps(data, offset, from, to, range, totalSteps, lambda, weights[k]) : emptyPartial();
      const at = (r * ranges.length + k) * PARTIAL_NUMBERS;
      for (let f = 0; f < PARTIAL_NUMBERS; f++) out[at + f] = p[PARTIAL_KEYS[f]];
    }
  }
  return out;
}

/** The Partial of core row r, range k from foldTile's output. */
export function unpackPartial(packed: Float64Array, ranges: number, r: number, k: number): Partial {
  const at = (r * ranges + k) * PARTIAL_NUMBERS;
  const p = emptyPartial();
  PARTIAL_KEYS.forEach((key, f) => (p[key] = packed[at + f]));
  return p;
}
