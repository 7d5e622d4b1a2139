/**
 * NumPy .npy (format 1.0): a header naming dtype and shape, then the row-major values. Tiles are
 * written at their offsets as they arrive, so the table never has to sit in memory.
 * `np.load(path, mmap_mode="r")` maps the result.
 */
import type { Dtype, Tile } from '../backends/types.js';
import { AtomicFile } from './atomic-file.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function npyHeader(dtype: Dtype, shape: readonly number[]): Uint8Array {
  const descr = dtype === 'float64' ? '<f8' : '<f4';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // magic (6) + version (2) + header length (2) + dict, padded with spaces and a newline to a multiple of 64
  const unpadded = 10 + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const text = dict + ' '.repeat(total - unpadded) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(Buffer.from(text, 'latin1'), 10);
  return out;
}

export interface NpyHeaderInfo {
  dtype: Dtype;
  shape: number[];
  dataOffset: number;
}

/** Read back the header of an .npy file's bytes (for tests and table-backed readers). */
export function parseNpyHeader(bytes: Uint8Array): NpyHeaderInfo {
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw new Error('not an .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const len = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const text = Buffer.from(bytes.subarray(start, start + len)).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || shape === undefined) throw new Error('malformed .npy header');
  const dtype: Dtype =
    descr === '<f8'
      ? 'float64'
      : descr === '<f4'
        ? 'float32'
        : (() => {
            throw new Error(`unsupported dtype ${descr}`);
          })();
  return {
    dtype,
    shape: shape
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number),
    dataOffset: start + len,
  };
}

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
    this.file.writeAt(header, 0);
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
