/**
 * Cutting a schedules x steps table into rectangles: every backend's own tiling, the sweep's tile
 * grid (recorded in its manifest) and the stats halo tiles all come from `tileRect`, so the same
 * limits always give the same tiles.
 */

/** Rows [row0, row0 + rows) x steps [step0, step0 + steps) of the table. */
export interface TileRect {
  row0: number;
  rows: number;
  step0: number;
  steps: number;
}

/** Upper bounds on one tile; any left out does not limit. */
export interface TileLimits {
  rows?: number;
  steps?: number;
  /** rows x steps: whole rows of the rectangle where they fit, else pieces of rows. */
  values?: number;
}

/** The rectangle as a whole table of `rows` x `steps`. */
export function wholeTable(rows: number, steps: number): TileRect {
  return { row0: 0, rows, step0: 0, steps };
}

/**
 * Cut `rect` into tiles within `limits`, row-major (by rows, then by steps). Every cell of the
 * rectangle is in exactly one tile; all tiles have the first tile's shape except the last row or
 * column of tiles, which holds the remainder.
 */
export function tileRect(rect: TileRect, limits: TileLimits): TileRect[] {
  const values = limits.values ?? Infinity;
  const tileSteps = Math.max(1, Math.min(rect.steps, limits.steps ?? Infinity, values));
  const tileRows = Math.max(1, Math.min(limits.rows ?? Infinity, Math.floor(values / tileSteps)));
  const tiles: TileRect[] = [];
  const rowEnd = rect.row0 + rect.rows;
  const stepEnd = rect.step0 + rect.steps;
  for (let row0 = rect.row0; row0 < rowEnd; row0 += tileRows)
    for (let step0 = rect.step0; step0 < stepEnd; step0 += tileSteps)
      tiles.push({ row0, rows: Math.min(tileRows, rowEnd - row0), step0, steps: Math.min(tileSteps, stepEnd - step0) });
  return tiles;
}
