/**
 * Every file schedgpu writes goes through here, so that nothing written is ever lost or torn:
 *
 * - `AtomicFile` / `writeFileAtomic`: the new content is written to a temporary file beside the
 *   target (same folder, so the rename cannot cross file systems), flushed to disk, renamed over the
 *   target, and the folder flushed so the rename itself survives a crash. Readers see the old file or
 *   the new one, never a mix; a failure removes the temporary file.
 * - `PositionalFile`: a file updated in place at byte offsets (a sweep's table.npy, which must
 *   survive an interruption so that the run can resume); `sync()` is the point after which what was
 *   written is on disk.
 */
import {
  close,
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { asDiskFull } from './disk.js';

/** Write all of `bytes` at `position` (writeSync may write less than asked). */
function writeAllAt(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.byteLength)
    written += writeSync(fd, bytes, written, bytes.byteLength - written, position + written);
}

/** Flush a folder's entries (a rename into it) to disk; not every platform can open a folder. */
export function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse fsync on a folder; the rename is as durable as they allow
  } finally {
    closeSync(fd);
  }
}

/** Bytes written between two background flushes of an AtomicFile. */
const FLUSH_EVERY = 64 * 2 ** 20;

/** A file that appears whole at `commit()` or not at all. Positional writes and appends may mix. */
export class AtomicFile {
  private readonly fd: number;
  private readonly tmp: string;
  private cursor = 0;
  private done = false;
  private unflushed = 0;
  private flushing = false;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw asDiskFull(e, path);
    }
  }

  /** Write bytes at a position (tiles land at their offsets in any order). */
  writeAt(bytes: Uint8Array, position: number): void {
    try {
      writeAllAt(this.fd, bytes, position);
    } catch (e) {
      throw asDiskFull(e, this.path);
    }
    this.unflushed += bytes.byteLength;
    if (this.unflushed >= FLUSH_EVERY) this.flushInBackground();
  }

  /**
   * Start writing what is written so far to disk on a thread of the pool, through a second
   * descriptor (closing ours never races it), so that the flush in commit() has little left to do
   * while the writes go on. Its errors are not lost: commit's own flush meets them again.
   */
  private flushInBackground(): void {
    if (this.flushing) return;
    let fd: number;
    try {
      fd = openSync(this.tmp, 'r');
    } catch {
      return;
    }
    this.flushing = true;
    this.unflushed = 0;
    fdatasync(fd, () =>
      close(fd, () => {
        this.flushing = false;
      }),
    );
  }

  /** Write text or bytes after what was appended before. */
  append(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.writeAt(bytes, this.cursor);
    this.cursor += bytes.byteLength;
  }

  /** Flush, replace the target with what was written, and flush the folder. On failure nothing stays behind. */
  commit(): void {
    if (this.done) throw new Error(`${this.path}: already committed or aborted`);
    this.done = true;
    try {
      try {
        fsyncSync(this.fd);
      } finally {
        closeSync(this.fd);
      }
      renameSync(this.tmp, this.path);
    } catch (e) {
      unlinkQuietly(this.tmp);
      throw asDiskFull(e, this.path);
    }
    syncFolder(dirname(this.path));
  }

  /** Drop what was written; the target is left as it was. Safe to call after commit(). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {}
    unlinkQuietly(this.tmp);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {}
}

/** Replace `path` with `content` whole, or leave it as it was. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const file = new AtomicFile(path);
  try {
    file.append(content);
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
}

/**
 * A file read and written in place at byte offsets, kept across runs: 'create' starts it empty,
 * 'reuse' opens an existing one for update, 'read' only reads it.
 */
export class PositionalFile {
  private readonly fd: number;

  constructor(
    readonly path: string,
    mode: 'create' | 'reuse' | 'read',
  ) {
    this.fd = openSync(path, { create: 'w+', reuse: 'r+', read: 'r' }[mode]);
    // a new file's entry must survive a crash along with the data synced into it later
    if (mode === 'create') syncFolder(dirname(path));
  }

  get size(): number {
    return fstatSync(this.fd).size;
  }

  /** Grow (with zeros) or cut the file to `size` bytes. */
  resize(size: number): void {
    try {
      if (this.size !== size) ftruncateSync(this.fd, size);
    } catch (e) {
      throw asDiskFull(e, this.path);
    }
  }

  /** Bytes the file occupies on disk (less than its size while it is sparse), or null where unknown. */
  get allocated(): number | null {
    const s = fstatSync(this.fd);
    return s.blocks === undefined || Number.isNaN(s.blocks) ? null : s.blocks * 512;
  }

  writeAt(bytes: Uint8Array, position: number): void {
    try {
      writeAllAt(this.fd, bytes, position);
    } catch (e) {
      throw asDiskFull(e, this.path);
    }
  }

  /** Read into `into` from `position`; returns the bytes read (fewer only at the end of the file). */
  readAt(into: Uint8Array, position: number): number {
    let read = 0;
    while (read < into.byteLength) {
      const n = readSync(this.fd, into, read, into.byteLength - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return read;
  }

  /** Everything written so far is on disk when this returns (the data and the size, not the times). */
  sync(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      throw asDiskFull(e, this.path);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
