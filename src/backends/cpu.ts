/**
 * The CPU backend: f64 values, in this thread for small tables and across worker threads (blocks of
 * schedules, or blocks of steps for a few long schedules) for large ones.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Plan } from '../plan/compile.js';
import { foldTile, type PartialsFold } from '../stats/fold.js';
import { cpuTiles, evaluateTile, lend } from './cpu-kernel.js';
import type { WorkerReply, WorkerRequest } from './cpu-worker.js';
import type { FoldJob, FoldingBackend, RunOptions, TileHandler, TileRect } from './types.js';

export { cpuTiles };

export interface CpuOptions {
  /** Worker threads; 1 evaluates in this thread. Default: the machine's cores (at most 16). */
  workers?: number;
  /** Values per tile (memory per tile is 8 bytes each). Default 2^21. */
  tileValues?: number;
  /** Tables smaller than this are evaluated in this thread. Default 2^22 values. */
  workerThreshold?: number;
  /**
   * The direct formulas, as the oracle writes them (`--exact`): no fast-math tables, no scaled
   * copies. About 2-4x slower on cosine and power curves; the default is within a few ulps of it.
   */
  exact?: boolean;
}

/** The worker script: beside this module once built; from the source tree, the built one in dist/. */
function workerScript(): URL | null {
  for (const rel of ['./cpu-worker.js', '../../dist/cpu-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

export class CpuBackend implements FoldingBackend {
  readonly name = 'cpu' as const;
  readonly dtype = 'float64' as const;
  private readonly workers: number;
  private readonly tileValues: number;
  private readonly workerThreshold: number;
  readonly exact: boolean;
  private pool: WorkerPool | null = null;

  constructor(options: CpuOptions = {}) {
    this.workers = Math.max(1, Math.floor(options.workers ?? Math.min(16, availableParallelism())));
    this.tileValues = options.tileValues ?? 2 ** 21;
    this.workerThreshold = options.workerThreshold ?? 2 ** 22;
    this.exact = options.exact ?? false;
  }

  describe(): string {
    return `cpu (f64${this.exact ? ', exact' : ''}, ${this.workers} thread${this.workers === 1 ? '' : 's'})`;
  }

  /** Worker threads for this many values in this many tiles, or null to stay in this thread. */
  private poolFor(values: number, tiles: number): { pool: WorkerPool; threads: number } | null {
    const script = workerScript();
    const threads = Math.min(this.workers, tiles);
    if (threads <= 1 || values < this.workerThreshold || script === null) return null;
    this.pool ??= new WorkerPool(script);
    return { pool: this.pool, threads };
  }

  /**
   * Each tile's data is lent to `onTile` until it returns (or its promise settles): the buffer is then
   * reused for a later tile, so a handler copies what it keeps.
   */
  async run(plan: Plan, onTile: TileHandler, options: RunOptions = {}): Promise<void> {
    const jobs = options.tiles ? [...options.tiles] : cpuTiles(plan.rows, plan.steps, this.tileValues);
    const timings = options.timings;
    const workers = this.poolFor(plan.rows * plan.steps, jobs.length);
    if (workers === null) {
      let spare: ArrayBuffer | null = null;
      for (const job of jobs) {
        const started = performance.now();
        const data = lend(spare, job.rows * job.steps);
        evaluateTile(plan, job.row0, job.rows, job.step0, job.steps, data, this.exact);
        if (timings) timings.compute += performance.now() - started;
        await onTile({ ...job, data });
        spare = data.buffer as ArrayBuffer;
      }
      return;
    }
    // with workers, compute is the wall time not spent in onTile (the two overlap)
    const started = performance.now();
    let handling = 0;
    await workers.pool.run(workers.threads, plan, this.exact, null, jobs, async (k, data) => {
      const t = performance.now();
      await onTile({ ...jobs[k], data });
      handling += performance.now() - t;
    });
    if (timings) timings.compute += performance.now() - started - handling;
  }

  async fold(
    plan: Plan,
    jobs: readonly FoldJob[],
    fold: PartialsFold,
    onFolded: (k: number, packed: Float64Array) => void,
  ): Promise<void> {
    const values = jobs.reduce((n, j) => n + j.evaluated.rows * j.evaluated.steps, 0);
    const workers = this.poolFor(values, jobs.length);
    if (workers === null) {
      let spare: ArrayBuffer | null = null;
      jobs.forEach(({ evaluated: e, core }, k) => {
        const data = lend(spare, e.rows * e.steps);
        evaluateTile(plan, e.row0, e.rows, e.step0, e.steps, data, this.exact);
        onFolded(k, foldTile(fold, data, e, core));
        spare = data.buffer as ArrayBuffer;
      });
      return;
    }
    await workers.pool.run(
      workers.threads,
      plan,
      this.exact,
      fold,
      jobs.map((j) => j.evaluated),
      (k, packed) => onFolded(k, packed),
      jobs.map((j) => j.core),
    );
  }

  async dispose(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/** Jobs handed to one worker ahead of the one it is computing, so it never waits for the main thread. */
const AHEAD = 2;

/**
 * Worker threads kept between runs (starting one costs tens of milliseconds): referenced while a
 * run uses them, unreferenced when idle so that they never keep a process alive, ended by dispose().
 * Each worker gets up to AHEAD jobs at once, and its finished tile buffers back once handled, to
 * evaluate later tiles into: no fresh memory per tile, no page faults contending between threads.
 */
class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(private readonly script: URL) {}

  async run(
    threads: number,
    plan: Plan,
    exact: boolean,
    fold: PartialsFold | null,
    jobs: readonly TileRect[],
    onResult: (k: number, data: Float64Array) => void | Promise<void>,
    cores?: readonly TileRect[],
  ): Promise<void> {
    while (this.workers.length < threads) this.workers.push(new Worker(this.script));
    const active = this.workers.slice(0, threads);
    for (const w of active) w.ref();
    let next = 0;
    const post = (worker: Worker, message: WorkerRequest, transfer: ArrayBuffer[] = []) =>
      worker.postMessage(message, transfer);
    try {
      await Promise.all(
        active.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              let inFlight = 0;
              let chain: Promise<void> = Promise.resolve();
              const send = (spare: ArrayBuffer | null) => {
                if (next >= jobs.length) return false;
                const k = next++;
                inFlight++;
                post(worker, { job: { k, ...jobs[k], core: cores?.[k] ?? null }, spare }, spare ? [spare] : []);
                return true;
              };
              let finished = false;
              const finish = (e?: unknown) => {
                finished = true;
                worker.off('message', onMessage);
                worker.off('error', finish);
                if (e === undefined) resolve();
                else reject(e);
              };
              // handled one at a time, in arrival order, none after a failure; the buffer goes back
              // with the next job
              const onMessage = (reply: WorkerReply) => {
                chain = chain
                  .then(async () => {
                    if (finished) return;
                    await onResult(reply.k, reply.data);
                    inFlight--;
                    if (!send(fold === null ? (reply.data.buffer as ArrayBuffer) : null) && inFlight === 0) finish();
                  })
                  .catch(finish);
              };
              worker.on('message', onMessage);
              worker.once('error', finish);
              post(worker, { plan, exact, fold });
              for (let i = 0; i < AHEAD; i++) send(null);
              if (inFlight === 0) finish();
            }),
        ),
      );
    } catch (e) {
      // a worker that failed mid-run is not reused
      await this.close();
      throw e;
    } finally {
      for (const w of active) w.unref();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}
