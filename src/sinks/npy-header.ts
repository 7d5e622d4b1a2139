/** The NumPy .npy (format 1.0) header: written before the values, read back by table readers. Browser-safe. */
import type { Dtype } from '../backends/types.js';

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
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i); // ASCII
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
  const text = String.fromCharCode(...bytes.subarray(start, start + len));
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
