/**
 * `schedgpu sweep`: expand, compile one plan, evaluate it tile by tile, and stream every tile into
 * DIR/table.npy at its offset (never the whole table in memory). The manifest records each finished
 * tile with its sha256, so a killed run resumes where it stopped and ends byte-identical to an
 * uninterrupted one.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, Dtype, Tile } from '../backends/types.js';
import { DeviceLost } from '../backends/webgpu/lost.js';
import { tileRect, wholeTable, type TileRect } from '../tiles.js';
import { formatGot, RuntimeFailure, Shown, SpecError } from '../errors.js';
import { PositionalFile, writeFileAtomic } from '../sinks/atomic-file.js';
import { DiskFull, formatBytes, freeBytes } from '../sinks/disk.js';
import { acquireLock, LOCK_FILE } from './lock.js';
import { npyHeader } from '../sinks/npy.js';
import { expandSweep, type ExpandedSweep, type Variant } from './expand.js';
import {
  canonicalJson,
  MANIFEST_FORMAT,
  planHash,
  readManifest,
  sha256,
  writeManifest,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { paramsCsvHeader, paramsCsvRows } from './params-csv.js';
import type { Plan } from '../plan/compile.js';
import { compileSweepPlan } from './plan.js';

export interface Shard {
  index: number;
  count: number;
}

export interface SweepProgress {
  tilesDone: number;
  tilesTotal: number;
  valuesDone: number;
  valuesTotal: number;
}

export interface SweepOptions {
  outDir: string;
  /** The backend, or a function that picks one once the plan is known (the CLI's `auto`). */
  backend: Backend | ((plan: Plan) => Promise<Backend>);
  /** Stored dtype (default: the backend's). float64 needs a float64 backend. */
  dtype?: Dtype;
  resume?: boolean;
  shard?: Shard;
  /** Values per tile (default 2^22). */
  tileValues?: number;
  version: string;
  onProgress?: (p: SweepProgress) => void;
  onNotice?: (line: string) => void;
  /** Least time between manifest rewrites (default 0.5 s); finished tiles not yet recorded are redone after a crash. */
  manifestInterval?: number;
  /** Stops the sweep after the tile in hand (the manifest flushed); the run rejects with SweepInterrupted. */
  signal?: AbortSignal;
  /**
   * When the GPU device is lost mid-run: the backend to finish on (the CLI's `auto`: the cpu). It
   * recomputes every tile, so the table is one backend's values. Without it the sweep stops with
   * DeviceLost, the manifest recording the tiles written, for `--resume` on a new device.
   */
  onDeviceLost?: (lost: DeviceLost) => Promise<Backend>;
}

/** A sweep stopped by its AbortSignal; the manifest records every tile written before. */
export class SweepInterrupted extends RuntimeFailure {
  constructor(
    readonly reason: string,
    readonly tilesDone: number,
    readonly tilesTotal: number,
  ) {
    super(`interrupted by ${reason} after ${tilesDone} of ${tilesTotal} tiles (the manifest records them)`);
    this.name = 'SweepInterrupted';
  }
}

export interface SweepResult {
  manifest: Manifest;
  /** The backend that evaluated the tiles (the caller disposes of it). */
  backend: Backend;
  expanded: ExpandedSweep;
  tilesComputed: number;
  tilesReused: number;
}

export function checkShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : null;
  if (!shard || shard.count < 1 || shard.index >= shard.count)
    throw new SpecError('shard', 'must be i/n with 0 <= i < n', text, 'bad-shard');
  return shard;
}

/** Rows [r0, r1) of shard i of n: contiguous, sizes differing by at most one. */
export function shardRows(rows: number, shard: Shard): [number, number] {
  return [Math.floor((shard.index * rows) / shard.count), Math.floor(((shard.index + 1) * rows) / shard.count)];
}

/** The sweep's tiles (recorded in the manifest, so a resumed run must cut the same way). */
export function tileGrid(rows: number, steps: number, tileValues: number): TileRect[] {
  return tileRect(wholeTable(rows, steps), { values: tileValues });
}

function entryOf(v: Variant): ManifestEntry {
  const { spec, interval, updatesPerEpoch } = v.run;
  return {
    index: v.index,
    id: v.id,
    kind: spec.kind,
    steps: v.steps,
    spec: sha256(canonicalJson({ spec, interval, updatesPerEpoch })),
  };
}

/** The first difference between what the directory was started with and what resuming would compute. */
function compareManifest(old: Manifest, fresh: Manifest): SpecError | null {
  if (old.format !== fresh.format)
    return new SpecError('resume', `the directory holds a ${old.format} sweep`, old.format, 'resume-format');
  const shard = (m: Manifest) => `${m.shard.index}/${m.shard.count}`;
  if (shard(old) !== shard(fresh))
    return new SpecError('shard', `differs from the run being resumed (${shard(old)})`, shard(fresh), 'resume-shard');
  if (old.table.dtype !== fresh.table.dtype)
    return new SpecError(
      'dtype',
      `differs from the run being resumed (${old.table.dtype})`,
      fresh.table.dtype,
      'resume-dtype',
    );
  if (old.entries.length !== fresh.entries.length)
    return new SpecError(
      'variants',
      `the sweep now has ${fresh.entries.length} schedules where the run being resumed had ${old.entries.length}`,
      fresh.entries.length,
      'resume-changed',
    );
  for (let i = 0; i < old.entries.length; i++) {
    const a = old.entries[i];
    const b = fresh.entries[i];
    for (const key of ['id', 'kind', 'steps', 'spec'] as const)
      if (a[key] !== b[key])
        return new SpecError(
          ['variants', b.index, key],
          `differs from the run being resumed (was ${formatGot(a[key])})`,
          b[key],
          'resume-changed',
        );
  }
  if (old.table.steps !== fresh.table.steps)
    return new SpecError(
      'steps',
      `differs from the run being resumed (${old.table.steps})`,
      fresh.table.steps,
      'resume-changed',
    );
  if (old.planHash !== fresh.planHash)
    return new SpecError(
      'plan',
      `compiles differently from the run being resumed (schedgpu ${old.schedgpu} then, ${fresh.schedgpu} now)`,
      new Shown(fresh.planHash.slice(0, 12)),
      'resume-changed',
    );
  if (old.tile.rows !== fresh.tile.rows || old.tile.steps !== fresh.tile.steps)
    return new SpecError(
      'tileValues',
      `gives tiles of ${fresh.tile.rows} x ${fresh.tile.steps} where the run being resumed used ${old.tile.rows} x ${old.tile.steps}`,
      fresh.tile.rows * fresh.tile.steps,
      'resume-tile',
    );
  return null;
}

export async function runSweep(raw: unknown, options: SweepOptions): Promise<SweepResult> {
  const expanded = expandSweep(raw);
  const shard = options.shard ?? { index: 0, count: 1 };
  const [r0, r1] = shardRows(expanded.variants.length, shard);
  if (r1 <= r0)
    throw new SpecError(
      'shard',
      `leaves no schedules for shard ${shard.index} (the sweep has ${expanded.variants.length})`,
      `${shard.index}/${shard.count}`,
      'empty-shard',
    );
  const variants = expanded.variants.slice(r0, r1);
  const width = expanded.steps;
  const plan = compileSweepPlan(variants, width);
  let backend = typeof options.backend === 'function' ? await options.backend(plan) : options.backend;
  const dtype = options.dtype ?? backend.dtype;
  if (dtype === 'float64' && backend.dtype !== 'float64')
    throw new SpecError(
      'dtype',
      `f64 needs a float64 backend (${backend.name} computes in float32; use --backend cpu)`,
      'f64',
      'dtype-needs-float64',
    );
  const tileValues = options.tileValues ?? 2 ** 22;
  const grid = tileGrid(plan.rows, width, tileValues);
  const header = npyHeader(dtype, [plan.rows, width]);
  const itemBytes = dtype === 'float64' ? 8 : 4;
  const now = new Date().toISOString();

  const fresh: Manifest = {
    format: MANIFEST_FORMAT,
    schedgpu: options.version,
    sweepHash: sha256(canonicalJson(raw)),
    planHash: planHash(plan),
    created: now,
    updated: now,
    complete: false,
    shard: { ...shard, rows: [r0, r1] },
    table: { file: 'table.npy', dtype, rows: plan.rows, steps: width, dataOffset: header.byteLength },
    backend: { name: backend.name, device: backend.describe() },
    tile: { rows: grid[0].rows, steps: grid[0].steps },
    paramNames: expanded.paramNames,
    entries: variants.map(entryOf),
    tiles: grid.map((t) => ({ ...t, done: false, sha256: null })),
  };

  const dir = options.outDir;
  const tablePath = join(dir, 'table.npy');
  // one writer per directory: the lock is taken before the manifest is read
  const made = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const lock = acquireLock(
    dir,
    `sweep${shard.count > 1 ? ` --shard ${shard.index}/${shard.count}` : ''}`,
    options.onNotice,
  );
  try {
    return await sweepLocked();
  } catch (e) {
    // a run refused before writing anything leaves no empty folder behind
    lock.release();
    if (made)
      try {
        rmdirSync(dir);
      } catch {}
    throw e;
  } finally {
    lock.release();
  }

  async function sweepLocked(): Promise<SweepResult> {
    const old = readManifest(dir);
    if (old && !options.resume)
      throw new SpecError(
        'outDir',
        'already holds a sweep (add --resume to continue it, or choose another directory)',
        dir,
        'sweep-dir-taken',
      );
    if (!old) refuseForeignFiles(dir);
    if (!old && options.resume) options.onNotice?.(`schedgpu: nothing to resume in ${dir}; starting the sweep`);
    let manifest = fresh;
    if (old) {
      const difference = compareManifest(old, fresh);
      if (difference) throw difference;
      manifest = { ...old, updated: now, backend: fresh.backend };
    }
    const size = header.byteLength + plan.rows * width * itemBytes;
    checkFreeSpace(dir, tablePath, size, JSON.stringify(manifest).length);

    // params.csv does not depend on the evaluation: write it whole first
    writeFileAtomic(
      join(dir, 'params.csv'),
      paramsCsvHeader(expanded.paramNames) + paramsCsvRows(variants, expanded.paramNames),
    );

    // the table is updated in place, tile by tile, so that an interrupted run can resume into it
    const table = new PositionalFile(tablePath, old && existsSync(tablePath) ? 'reuse' : 'create');
    let computed = 0;
    let reused = 0;
    try {
      if (old) {
        // name what resuming finds damaged; the tiles it touches fail their sha256 below and are redone
        if (table.size !== size)
          options.onNotice?.(
            `schedgpu: resume: ${tablePath} is ${table.size} bytes where this sweep's table is ${size}; tiles past its end are computed again`,
          );
        const found = new Uint8Array(header.byteLength);
        table.readAt(found, 0);
        if (!Buffer.from(found).equals(Buffer.from(header)))
          options.onNotice?.(
            `schedgpu: resume: ${tablePath} does not start with this sweep's .npy header; rewriting it`,
          );
      }
      table.writeAt(header, 0);
      table.resize(size);
      const offsetOf = (row: number, step: number) => header.byteLength + (row * width + step) * itemBytes;

      // a tile the manifest calls done must still hold what was written; a torn one is redone
      const pending: number[] = [];
      const damaged: TileRect[] = [];
      manifest.tiles.forEach((t, k) => {
        if (t.done && t.sha256 === readTileHash(table, t, offsetOf, itemBytes)) reused++;
        else {
          if (t.done) damaged.push({ ...t });
          t.done = false;
          t.sha256 = null;
          pending.push(k);
        }
      });
      if (damaged.length) {
        const t = damaged[0];
        const what =
          damaged.length === 1
            ? '1 finished tile no longer matches its'
            : `${damaged.length} finished tiles no longer match their`;
        options.onNotice?.(
          `schedgpu: resume: ${what} sha256 in ${tablePath} ` +
            `(the first: rows ${t.row0}-${t.row0 + t.rows - 1}, steps ${t.step0}-${t.step0 + t.steps - 1}); computing ${damaged.length === 1 ? 'it' : 'them'} again`,
        );
      }
      const log = join(dir, 'status.log');
      if (pending.length && old)
        appendFileSync(log, `${now} resume: ${reused} tiles verified, ${pending.length} to compute\n`);

      const valuesTotal = plan.rows * width;
      let valuesDone = manifest.tiles.reduce((n, t) => n + (t.done ? t.rows * t.steps : 0), 0);
      let lastWrite = 0;
      const interval = options.manifestInterval ?? 500;
      const save = (force: boolean) => {
        const t = Date.now();
        if (!force && t - lastWrite < interval) return;
        table.sync(); // tile bytes reach the disk before the manifest says they are there
        manifest.updated = new Date(t).toISOString();
        writeManifest(dir, manifest);
        lastWrite = t;
      };
      save(true);
      let started = performance.now();
      const byCorner = new Map(pending.map((k) => [`${manifest.tiles[k].row0}:${manifest.tiles[k].step0}`, k]));
      const signal = options.signal;
      const stopIfAsked = () => {
        if (signal?.aborted)
          throw new SweepInterrupted(String(signal.reason ?? 'a signal'), reused + computed, manifest.tiles.length);
      };
      const onTile = async (tile: Tile) => {
        stopIfAsked();
        const k = byCorner.get(`${tile.row0}:${tile.step0}`)!;
        const data =
          dtype === 'float32' && tile.data instanceof Float64Array ? Float32Array.from(tile.data) : tile.data;
        for (let r = 0; r < tile.rows; r++) {
          const row = data.subarray(r * tile.steps, (r + 1) * tile.steps);
          table.writeAt(
            new Uint8Array(row.buffer, row.byteOffset, row.byteLength),
            offsetOf(tile.row0 + r, tile.step0),
          );
        }
        const entry = manifest.tiles[k];
        entry.sha256 = sha256(data);
        entry.done = true;
        computed++;
        valuesDone += tile.rows * tile.steps;
        const seconds = (performance.now() - started) / 1000;
        started = performance.now();
        appendFileSync(
          log,
          `${new Date().toISOString()} tile ${k + 1}/${manifest.tiles.length} rows ${tile.row0}-${tile.row0 + tile.rows - 1} ` +
            `steps ${tile.step0}-${tile.step0 + tile.steps - 1} ${seconds.toFixed(3)} s sha256 ${entry.sha256}\n`,
        );
        save(false);
        options.onProgress?.({
          tilesDone: reused + computed,
          tilesTotal: manifest.tiles.length,
          valuesDone,
          valuesTotal,
        });
        // the cpu backends compute between microtasks only: give a signal handler its turn
        if (signal) await new Promise((resolve) => setImmediate(resolve));
        stopIfAsked();
      };
      const evaluate = (rects: TileRect[]) => backend.run(plan, onTile, { tiles: rects });
      try {
        for (;;)
          try {
            await evaluate(pending.map((k) => manifest.tiles[k]));
            break;
          } catch (e) {
            if (!(e instanceof DeviceLost && options.onDeviceLost)) throw e;
            // finish on the fallback, all tiles again: a table half f32-GPU arithmetic and half
            // rounded f64 would match neither backend's run, nor a rerun that loses the device elsewhere
            const written = reused + computed;
            backend = await options.onDeviceLost(e);
            options.onNotice?.(
              `schedgpu: ${e.message}; computing all ${manifest.tiles.length} tiles again on ${backend.describe()} (replacing the ${written} written before)`,
            );
            appendFileSync(log, `${new Date().toISOString()} ${e.message}; all tiles again on ${backend.describe()}\n`);
            manifest.backend = { name: backend.name, device: backend.describe() };
            pending.length = 0;
            manifest.tiles.forEach((t, k) => {
              t.done = false;
              t.sha256 = null;
              pending.push(k);
              byCorner.set(`${t.row0}:${t.step0}`, k);
            });
            computed = 0;
            reused = 0;
            valuesDone = 0;
            save(true);
          }
      } catch (e) {
        // record what is on disk (save syncs the table first; on a full disk it may fail, and the
        // manifest from the last save, which claims only synced tiles, stays)
        try {
          save(true);
        } catch {}
        if (e instanceof DiskFull) {
          const missing = manifest.tiles.reduce((n, t) => n + (t.done ? 0 : t.rows * t.steps * itemBytes), 0);
          const free = freeBytes(dir);
          throw new DiskFull(
            e.path,
            `${e.path}: no space left on device; ${formatBytes(missing)} more are needed to finish` +
              `${free === null ? '' : ` (${formatBytes(free)} free)`}; free some space and run again with --resume`,
            e,
          );
        }
        throw e;
      }
      manifest.complete = true;
      save(true);
      appendFileSync(
        log,
        `${new Date().toISOString()} complete: ${manifest.tiles.length} tiles, ${computed} computed now\n`,
      );
    } finally {
      table.close();
    }
    return { manifest, backend, expanded, tilesComputed: computed, tilesReused: reused };
  }
}

/** What a sweep writes into its directory (and a start killed before its first manifest leaves). */
const SWEEP_FILES = new Set(['table.npy', 'params.csv', 'status.log', LOCK_FILE]);

/** A directory without a manifest may hold a start that was cut short, never anyone else's files. */
function refuseForeignFiles(dir: string): void {
  const foreign = readdirSync(dir).filter((f) => !SWEEP_FILES.has(f) && !/^\.[\w.]+\.\d+\.tmp$/.test(f));
  if (foreign.length)
    throw new SpecError(
      'outDir',
      `holds files that are not a sweep's (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); choose a new or empty directory`,
      dir,
      'sweep-dir-taken',
    );
}

/**
 * Refuse to start a table the disk cannot hold: the table is sparse until its tiles are written,
 * so without this a sweep would run for hours and stop at the first tile that finds no room.
 */
function checkFreeSpace(dir: string, tablePath: string, size: number, manifestBytes: number): void {
  const free = freeBytes(dir);
  if (free === null) return;
  const allocated = existsSync(tablePath) ? statSync(tablePath).blocks * 512 : 0;
  // the manifest is rewritten beside itself (two copies at once) and the log grows by a line a tile
  const needed = Math.max(0, size - allocated) + 2 * manifestBytes + (1 << 20);
  if (needed > free)
    throw new DiskFull(
      tablePath,
      `${tablePath}: needs ${formatBytes(needed)} and ${dir} has ${formatBytes(free)} free; free some space or choose another --out`,
    );
}

/** sha256 of a tile as stored in the table file. */
function readTileHash(
  table: PositionalFile,
  t: TileRect,
  offsetOf: (row: number, step: number) => number,
  itemBytes: number,
): string {
  const bytes = new Uint8Array(t.rows * t.steps * itemBytes);
  const rowBytes = t.steps * itemBytes;
  for (let r = 0; r < t.rows; r++) {
    table.readAt(bytes.subarray(r * rowBytes, (r + 1) * rowBytes), offsetOf(t.row0 + r, t.step0));
  }
  return sha256(bytes);
}
