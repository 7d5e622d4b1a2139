/** The one tiler: every cell of the rectangle in exactly one tile, every tile within the limits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tileRect, wholeTable, type TileLimits, type TileRect } from '../src/tiles.js';

/** How many tiles hold each cell of `rect` (cells outside it are counted under key -1). */
function coverage(rect: TileRect, tiles: TileRect[]): Map<number, number> {
  const count = new Map<number, number>();
  for (const t of tiles)
    for (let r = t.row0; r < t.row0 + t.rows; r++)
      for (let s = t.step0; s < t.step0 + t.steps; s++) {
        const inside = r >= rect.row0 && r < rect.row0 + rect.rows && s >= rect.step0 && s < rect.step0 + rect.steps;
        const key = inside ? (r - rect.row0) * rect.steps + (s - rect.step0) : -1;
        count.set(key, (count.get(key) ?? 0) + 1);
      }
  return count;
}

const rects = fc.record({
  row0: fc.integer({ min: 0, max: 50 }),
  rows: fc.integer({ min: 1, max: 40 }),
  step0: fc.integer({ min: 0, max: 1000 }),
  steps: fc.integer({ min: 1, max: 300 }),
});
const limits: fc.Arbitrary<TileLimits> = fc.record(
  {
    rows: fc.integer({ min: 1, max: 50 }),
    steps: fc.integer({ min: 1, max: 400 }),
    values: fc.integer({ min: 1, max: 5000 }),
  },
  { requiredKeys: [] },
);

describe('tileRect', () => {
  it('covers every cell exactly once and nothing outside, within the limits', () => {
    fc.assert(
      fc.property(rects, limits, (rect, lim) => {
        const tiles = tileRect(rect, lim);
        const count = coverage(rect, tiles);
        expect(count.has(-1)).toBe(false);
        expect(count.size).toBe(rect.rows * rect.steps);
        for (const n of count.values()) expect(n).toBe(1);
        for (const t of tiles) {
          expect(t.rows).toBeGreaterThan(0);
          expect(t.steps).toBeGreaterThan(0);
          if (lim.rows !== undefined) expect(t.rows).toBeLessThanOrEqual(lim.rows);
          if (lim.steps !== undefined) expect(t.steps).toBeLessThanOrEqual(lim.steps);
          // a budget below one step still makes progress: one cell per tile
          if (lim.values !== undefined) expect(t.rows * t.steps).toBeLessThanOrEqual(Math.max(1, lim.values));
        }
      }),
    );
  });

  it('takes whole rows while they fit the value budget, row-major', () => {
    expect(tileRect(wholeTable(5, 4), { values: 8 })).toEqual([
      { row0: 0, rows: 2, step0: 0, steps: 4 },
      { row0: 2, rows: 2, step0: 0, steps: 4 },
      { row0: 4, rows: 1, step0: 0, steps: 4 },
    ]);
    // a row longer than the budget is cut into pieces of one row
    expect(tileRect(wholeTable(2, 5), { values: 3 })).toEqual([
      { row0: 0, rows: 1, step0: 0, steps: 3 },
      { row0: 0, rows: 1, step0: 3, steps: 2 },
      { row0: 1, rows: 1, step0: 0, steps: 3 },
      { row0: 1, rows: 1, step0: 3, steps: 2 },
    ]);
  });

  it('without limits the rectangle is one tile', () => {
    const rect = { row0: 3, rows: 7, step0: 10, steps: 90 };
    expect(tileRect(rect, {})).toEqual([rect]);
  });
});
