/**
 * `schedgpu merge OUT DIR...`: join the shard directories of one sweep into one table, params.csv
 * and manifest, after checking that they belong together and that every tile still holds what its
 * shard wrote.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { Shown, SpecError, type PathPart } from '../errors.js';
import { AtomicFile, PositionalFile, writeFileAtomic } from '../sinks/atomic-file.js';
import { npyHeader } from '../sinks/npy.js';
import { acquireLock } from './lock.js';
import { readManifest, sha256, writeManifest, type Manifest } from './manifest.js';

const CHUNK = 1 << 24;

function readRange(file: PositionalFile, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  if (file.readAt(bytes, position) < length) throw new Error('table file shorter than its manifest says');
  return bytes;
}

/** Bad shard directories: `dirs` (all of them) or `dirs[i]` (one). */
function shardError(path: PathPart[] | string, problem: string, got: unknown): SpecError {
  return new SpecError(path, problem, got, 'merge-shards');
}

export function mergeShards(outDir: string, dirs: readonly string[], onNotice?: (line: string) => void): Manifest {
  if (dirs.length === 0) throw shardError('dirs', 'at least one shard directory is required', undefined);
  const shards = dirs.map((dir, i) => {
    const m = existsSync(dir) ? readManifest(dir) : null;
    if (!m) throw shardError(['dirs', i], 'holds no sweep manifest', dir);
    if (!m.complete) throw shardError(['dirs', i], 'holds an unfinished sweep (run it again with --resume)', dir);
    return { dir, m };
  });
  const first = shards[0].m;
  for (const [i, { dir, m }] of shards.entries()) {
    if (m.sweepHash !== first.sweepHash)
      throw shardError(['dirs', i], `holds a different sweep than ${shards[0].dir}`, dir);
    if (m.table.dtype !== first.table.dtype || m.table.steps !== first.table.steps)
      throw shardError(
        ['dirs', i],
        `stores ${m.table.dtype} x ${m.table.steps} steps, ${shards[0].dir} ${first.table.dtype} x ${first.table.steps}`,
        dir,
      );
    if (m.shard.count !== first.shard.count)
      throw shardError(['dirs', i], `is shard ${m.shard.index}/${m.shard.count} of a different split`, dir);
  }
  shards.sort((a, b) => a.m.shard.index - b.m.shard.index);
  const n = first.shard.count;
  for (let k = 0; k < n; k++)
    if (shards[k]?.m.shard.index !== k)
      throw shardError(
        'dirs',
        `needs every shard 0..${n - 1} exactly once`,
        new Shown(`shards ${shards.map((s) => s.m.shard.index).join(', ')}`),
      );
  if (shards.length !== n)
    throw shardError('dirs', `needs every shard 0..${n - 1} exactly once`, new Shown(`${shards.length} directories`));
  // one writer per directory, as for sweep: the lock is taken before OUT is looked at
  const made = !existsSync(outDir);
  mkdirSync(outDir, { recursive: true });
  const lock = acquireLock(outDir, 'merge', onNotice);
  try {
    if (existsSync(join(outDir, 'manifest.json')))
      throw new SpecError('outDir', 'already holds a sweep', outDir, 'merge-dir-taken');
    return writeMerged(outDir, shards, first);
  } catch (e) {
    lock.release();
    if (made)
      try {
        rmdirSync(outDir);
      } catch {}
    throw e;
  } finally {
    lock.release();
  }
}

function writeMerged(outDir: string, shards: { dir: string; m: Manifest }[], first: Manifest): Manifest {
  const n = first.shard.count;

  const rows = shards.reduce((sum, s) => sum + s.m.table.rows, 0);
  const width = first.table.steps;
  const itemBytes = first.table.dtype === 'float64' ? 8 : 4;
  const header = npyHeader(first.table.dtype, [rows, width]);
  const out = new AtomicFile(join(outDir, 'table.npy'));
  try {
    out.append(header);
    for (const { dir, m } of shards) {
      const table = new PositionalFile(join(dir, m.table.file), 'read');
      try {
        // every tile must still hash to what its shard recorded
        for (const t of m.tiles) {
          const rowBytes = t.steps * itemBytes;
          const bytes = new Uint8Array(t.rows * rowBytes);
          for (let r = 0; r < t.rows; r++)
            bytes.set(
              readRange(table, m.table.dataOffset + ((t.row0 + r) * width + t.step0) * itemBytes, rowBytes),
              r * rowBytes,
            );
          if (sha256(bytes) !== t.sha256)
            throw shardError(
              ['dirs', m.shard.index],
              `has a tile (rows ${t.row0}.., steps ${t.step0}..) that no longer matches its checksum`,
              dir,
            );
        }
        const length = m.table.rows * width * itemBytes;
        for (let done = 0; done < length; done += CHUNK)
          out.append(readRange(table, m.table.dataOffset + done, Math.min(CHUNK, length - done)));
      } finally {
        table.close();
      }
    }
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }

  const csv = shards.map(({ dir }, i) => {
    const lines = readFileSync(join(dir, 'params.csv'), 'utf8');
    return i === 0 ? lines : lines.slice(lines.indexOf('\n') + 1);
  });
  writeFileAtomic(join(outDir, 'params.csv'), csv.join(''));

  let rowBase = 0;
  const merged: Manifest = {
    ...first,
    updated: new Date().toISOString(),
    shard: { index: 0, count: 1, rows: [0, rows] },
    table: { ...first.table, rows, dataOffset: header.byteLength },
    backend: {
      name: first.backend.name,
      device: `merged from ${n} shards: ${[...new Set(shards.map((s) => s.m.backend.device))].join('; ')}`,
    },
    entries: shards.flatMap((s) => s.m.entries),
    tiles: shards.flatMap((s) => {
      const tiles = s.m.tiles.map((t) => ({ ...t, row0: t.row0 + rowBase }));
      rowBase += s.m.table.rows;
      return tiles;
    }),
    planHash: sha256(shards.map((s) => s.m.planHash).join(',')),
  };
  writeManifest(outDir, merged);
  return merged;
}
