/**
 * Curves reduced for drawing without holding the table: each row keeps the min, max and mean of
 * every pixel column's steps, fed tile by tile. Drawing min and max per column keeps spikes and
 * staircase edges that a plain subsample would drop.
 */
import type { Tile } from '../backends/types.js';

export class ColumnReducer {
  readonly min: Float64Array;
  readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Uint32Array;
  /** Steps per column (the last column may hold fewer). */
  readonly stepsPerColumn: number;

  constructor(
    readonly rows: number,
    readonly steps: number,
    readonly columns: number,
  ) {
    this.stepsPerColumn = Math.max(1, Math.ceil(steps / columns));
    this.columns = Math.ceil(steps / this.stepsPerColumn);
    const n = rows * this.columns;
    this.min = new Float64Array(n).fill(Infinity);
    this.max = new Float64Array(n).fill(-Infinity);
    this.sum = new Float64Array(n);
    this.count = new Uint32Array(n);
  }

  add(tile: Tile): void {
    for (let r = 0; r < tile.rows; r++) {
      const base = (tile.row0 + r) * this.columns;
      for (let i = 0; i < tile.steps; i++) {
        const v = tile.data[r * tile.steps + i];
        if (Number.isNaN(v)) continue; // past a ragged run's end
        const k = base + Math.floor((tile.step0 + i) / this.stepsPerColumn);
        if (v < this.min[k]) this.min[k] = v;
        if (v > this.max[k]) this.max[k] = v;
        this.sum[k] += v;
        this.count[k]++;
      }
    }
  }

  /** First step of column c. */
  columnStep(c: number): number {
    return c * this.stepsPerColumn;
  }

  mean(row: number, c: number): number {
    const k = row * this.columns + c;
    return this.count[k] ? this.sum[k] / this.count[k] : NaN;
  }

  has(row: number, c: number): boolean {
    return this.count[row * this.columns + c] > 0;
  }
}
