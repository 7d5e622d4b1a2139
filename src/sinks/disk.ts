/**
 * The disk as a place that can fill up: how much room a folder's file system has left, and a full
 * disk (ENOSPC, or a quota's EDQUOT) turned into a runtime failure that names the file.
 */
import { statfsSync } from 'node:fs';
import { RuntimeFailure } from '../errors.js';

/** A write that found no room; `path` is the file being written. */
export class DiskFull extends RuntimeFailure {
  constructor(
    readonly path: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'DiskFull';
  }
}

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** `e` as a DiskFull naming `path` when it is one, else `e` unchanged. */
export function asDiskFull(e: unknown, path: string): unknown {
  if (e instanceof DiskFull || !isDiskFull(e)) return e;
  return new DiskFull(path, `${path}: no space left on device`, e);
}

/** Bytes an unprivileged process may still write under `folder`, or null where the platform cannot say. */
export function freeBytes(folder: string): number | null {
  try {
    const s = statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** 1234567 -> "1.2 MB" (decimal units, as df -H shows them). */
export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${n.toFixed(1)} ${units[u]}`;
}
