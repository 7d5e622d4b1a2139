/** Per-schedule first / min / max / last, reduced from tiles as they arrive. */
import type { Tile } from '../backends/types.js';

export interface RowSummary {
  first: number;
  min: number;
  max: number;
  last: number;
}

export class SummaryReducer {
  readonly rows: RowSummary[];

  constructor(
    rowCount: number,
    private readonly steps: number,
  ) {
    this.rows = Array.from({ length: rowCount }, () => ({ first: NaN, min: Infinity, max: -Infinity, last: NaN }));
  }

  add(tile: Tile): void {
    for (let r = 0; r < tile.rows; r++) {
      const s = this.rows[tile.row0 + r];
      const base = r * tile.steps;
      let min = s.min;
      let max = s.max;
      for (let i = 0; i < tile.steps; i++) {
        const v = tile.data[base + i];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      s.min = min;
      s.max = max;
      if (tile.step0 === 0) s.first = tile.data[base];
      if (tile.step0 + tile.steps === this.steps) s.last = tile.data[base + tile.steps - 1];
    }
  }
}
