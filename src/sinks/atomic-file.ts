/**
 * Output files appear whole or not at all: writes go to a temporary file beside the target, which is
 * renamed over it at the end and removed if anything fails.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class AtomicFile {
  private readonly fd: number;
  private readonly tmp: string;
  private done = false;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.fd = openSync(this.tmp, 'w');
  }

  /** Write bytes at a position (positional writes let tiles land at their offsets in any order). */
  writeAt(bytes: Uint8Array, position: number): void {
    let written = 0;
    while (written < bytes.byteLength)
      written += writeSync(this.fd, bytes, written, bytes.byteLength - written, position + written);
  }

  /** Append text/bytes sequentially. */
  private cursor = 0;
  append(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.writeAt(bytes, this.cursor);
    this.cursor += bytes.byteLength;
  }

  commit(): void {
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {}
    try {
      unlinkSync(this.tmp);
    } catch {}
  }
}
