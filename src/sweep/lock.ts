/**
 * DIR/sweep.lock: one writer per output directory. The lock file holds the writer's pid and host;
 * it is created exclusively (O_EXCL), so of two processes starting together exactly one wins. A lock
 * left by a process that died on this host (kill -9, a crash) is taken over with a notice; one from
 * another host cannot be checked from here and is refused like a live one.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RuntimeFailure } from '../errors.js';

export const LOCK_FILE = 'sweep.lock';

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
}

export interface Lock {
  path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as { code?: string }).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && typeof info.host === 'string' ? info : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Take DIR's lock (DIR must exist) or throw a RuntimeFailure naming the process that holds it. */
export function acquireLock(dir: string, command: string, onNotice?: (line: string) => void): Lock {
  const path = join(dir, LOCK_FILE);
  const host = hostname();
  const info: LockInfo = { pid: process.pid, host, started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path, info)) {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        // only our own lock: after a takeover by someone else the file is theirs
        if (readLock(path)?.pid === process.pid && readLock(path)?.host === host)
          try {
            unlinkSync(path);
          } catch {}
      };
      return { path, release };
    }
    const other = readLock(path);
    // a lock being written this instant reads as empty: treat it as held
    // our own pid in a lock we do not hold is an earlier life of this pid (a restarted container
    // runs as the same small pid): gone as surely as a pid that no longer exists
    if (other && other.host === host && (other.pid === process.pid || !alive(other.pid))) {
      onNotice?.(
        `schedgpu: taking over ${path}: its process ${other.pid} on ${host} (started ${other.started}) is gone`,
      );
      try {
        unlinkSync(path);
      } catch {}
      continue;
    }
    const who = other
      ? `process ${other.pid} on ${other.host} (${other.command}, since ${other.started})`
      : 'another process';
    throw new RuntimeFailure(
      `${dir}: in use by ${who}; wait for it to end, or if it is gone for good, remove ${path}`,
      { code: 'runtime' },
    );
  }
  throw new RuntimeFailure(
    `${dir}: in use by another process (its lock ${path} was taken while we took over a stale one)`,
  );
}
