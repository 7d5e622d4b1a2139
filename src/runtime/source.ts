/**
 * Where a runtime Scheduler's values come from: a compiled plan evaluated one step at a time on the
 * CPU (f64, the same primitives as the CPU backend), or a precomputed table, in memory or read
 * lazily from an .npy file by positional reads (never loading the whole file).
 */
import { compileRun } from '../plan/compile.js';
import { segmentView, segmentX } from '../plan/segment-value.js';
import { primitiveByName } from '../plan/primitives.js';
import type { Segment, Tracks } from '../plan/segments.js';
import type { Table } from '../sinks/table.js';
import { PositionalFile } from '../sinks/atomic-file.js';
import { parseNpyHeader } from '../sinks/npy.js';
import type { RunSpec } from '../spec/validate.js';

export interface ValueSource {
  readonly steps: number;
  valueAt(step: number): number;
}

/** A run's curve, stepped forward cheaply: each track remembers the segment it is in. */
export class CurveSource implements ValueSource {
  private readonly tracks: Tracks;
  private readonly cursor: number[];
  private readonly scratch = new Float64Array(1);

  constructor(
    run: RunSpec,
    readonly steps: number,
  ) {
    this.tracks = compileRun(run, steps);
    this.cursor = this.tracks.map(() => 0);
  }

  valueAt(step: number): number {
    let value = 1;
    this.tracks.forEach((track, j) => {
      let k = this.cursor[j];
      if (track[k].start > step) k = 0; // went back (a resumed or rewound scheduler)
      while (k + 1 < track.length && track[k + 1].start <= step) k++;
      this.cursor[j] = k;
      value *= this.segmentValue(track[k], step);
    });
    return value;
  }

  private segmentValue(seg: Segment, step: number): number {
    primitiveByName(seg.prim).fill(segmentView(seg), segmentX(seg, step), this.scratch, 0, 1);
    return this.scratch[0];
  }
}

/** One row of an in-memory table. */
export class TableRowSource implements ValueSource {
  readonly steps: number;
  constructor(
    private readonly table: Table,
    private readonly row: number,
  ) {
    this.steps = table.steps;
  }

  valueAt(step: number): number {
    return this.table.values[this.row * this.table.steps + step];
  }
}

const BLOCK = 4096;

/** One row of an .npy table on disk, read a block of 4096 values at a time. */
export class NpyRowSource implements ValueSource {
  readonly steps: number;
  private readonly file: PositionalFile;
  private readonly dataOffset: number;
  private readonly itemBytes: number;
  private readonly float64: boolean;
  private block = -1;
  private values: Float64Array | Float32Array = new Float64Array(0);

  constructor(
    readonly path: string,
    private readonly row: number,
  ) {
    this.file = new PositionalFile(path, 'read');
    const head = new Uint8Array(4096);
    this.file.readAt(head, 0);
    const header = parseNpyHeader(head);
    if (header.shape.length !== 2) throw new Error(`${path}: expected a schedules x steps table`);
    if (row < 0 || row >= header.shape[0])
      throw new Error(`${path}: row ${row} is outside its ${header.shape[0]} rows`);
    this.steps = header.shape[1];
    this.dataOffset = header.dataOffset;
    this.float64 = header.dtype === 'float64';
    this.itemBytes = this.float64 ? 8 : 4;
  }

  valueAt(step: number): number {
    const block = Math.floor(step / BLOCK);
    if (block !== this.block) {
      const first = block * BLOCK;
      const count = Math.min(BLOCK, this.steps - first);
      const bytes = new Uint8Array(count * this.itemBytes);
      this.file.readAt(bytes, this.dataOffset + (this.row * this.steps + first) * this.itemBytes);
      this.values = this.float64 ? new Float64Array(bytes.buffer) : new Float32Array(bytes.buffer);
      this.block = block;
    }
    return this.values[step - block * BLOCK];
  }

  close(): void {
    this.file.close();
  }
}
