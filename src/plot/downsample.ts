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

  /** The largest |value| of a row (0 for a row of zeros or with no values). */
  peak(row: number): number {
    let p = 0;
    for (let c = 0; c < this.columns; c++) {
      const k = row * this.columns + c;
      if (this.count[k] > 0) p = Math.max(p, Math.abs(this.min[k]), Math.abs(this.max[k]));
    }
    return p;
  }

  /** Divide a row by a positive factor (min, max and mean alike). */
  divideRow(row: number, by: number): void {
    for (let k = row * this.columns; k < (row + 1) * this.columns; k++) {
      this.min[k] /= by;
      this.max[k] /= by;
      this.sum[k] /= by;
    }
  }

  /** A reducer holding only the given rows, in that order (one chart of small multiples). */
  subset(rows: readonly number[]): ColumnReducer {
    const out = new ColumnReducer(rows.length, this.steps, this.columns);
    rows.forEach((r, i) => {
      const from = r * this.columns;
      const to = i * out.columns;
      out.min.set(this.min.subarray(from, from + this.columns), to);
      out.max.set(this.max.subarray(from, from + this.columns), to);
      out.sum.set(this.sum.subarray(from, from + this.columns), to);
      out.count.set(this.count.subarray(from, from + this.columns), to);
    });
    return out;
  }
}
