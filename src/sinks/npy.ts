/**
 * NumPy .npy (format 1.0): a header naming dtype and shape, then the row-major values. Tiles are
 * written at their offsets as they arrive, so the table never has to sit in memory.
 * `np.load(path, mmap_mode="r")` maps the result.
 */
import type { Dtype, Tile } from '../backends/types.js';
import { AtomicFile } from './atomic-file.js';
import { npyHeader } from './npy-header.js';

export { npyHeader, parseNpyHeader, type NpyHeaderInfo } from './npy-header.js';

/** Streams a rows x steps table into an .npy file tile by tile. */
export class NpyWriter {
  private readonly file: AtomicFile;
  private readonly headerBytes: number;
  private readonly itemBytes: number;

  constructor(
    path: string,
    readonly dtype: Dtype,
    readonly rows: number,
    readonly steps: number,
  ) {
    this.file = new AtomicFile(path);
    const header = npyHeader(dtype, [rows, steps]);
    this.headerBytes = header.byteLength;
    this.itemBytes = dtype === 'float64' ? 8 : 4;
    try {
      this.file.writeAt(header, 0);
    } catch (e) {
      // no writer to abort reaches the caller: drop the temporary file here (a full disk lands here)
      this.file.abort();
      throw e;
    }
  }

  write(tile: Tile): void {
    const data = tile.data;
    for (let r = 0; r < tile.rows; r++) {
      const row = data.subarray(r * tile.steps, (r + 1) * tile.steps);
      const position = this.headerBytes + ((tile.row0 + r) * this.steps + tile.step0) * this.itemBytes;
      this.file.writeAt(new Uint8Array(row.buffer, row.byteOffset, row.byteLength), position);
    }
  }

  commit(): void {
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}
