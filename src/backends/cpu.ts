/**
 * The CPU backend: f64 values, in this thread for small tables and across worker threads (blocks of
 * schedules, or blocks of steps for a few long schedules) for large ones.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Plan } from '../plan/compile.js';
import { cpuTiles, evaluateTile } from './cpu-kernel.js';

export { cpuTiles };
import type { Backend, RunOptions, TileHandler, TileRect } from './types.js';

export interface CpuOptions {
  /** Worker threads; 1 evaluates in this thread. Default: the machine's cores (at most 16). */
  workers?: number;
  /** Values per tile (memory per tile is 8 bytes each). Default 2^21. */
  tileValues?: number;
  /** Tables smaller than this are evaluated in this thread. Default 2^22 values. */
  workerThreshold?: number;
}

type Job = TileRect;

/** The worker script: beside this module once built; from the source tree, the built one in dist/. */
function workerScript(): URL | null {
  for (const rel of ['./cpu-worker.js', '../../dist/cpu-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly dtype = 'float64' as const;
  private readonly workers: number;
  private readonly tileValues: number;
  private readonly workerThreshold: number;
  private pool: WorkerPool | null = null;

  constructor(options: CpuOptions = {}) {
    this.workers = Math.max(1, Math.floor(options.workers ?? Math.min(16, availableParallelism())));
    this.tileValues = options.tileValues ?? 2 ** 21;
    this.workerThreshold = options.workerThreshold ?? 2 ** 22;
  }

  describe(): string {
    return `cpu (f64, ${this.workers} thread${this.workers === 1 ? '' : 's'})`;
  }

  async run(plan: Plan, onTile: TileHandler, options: RunOptions = {}): Promise<void> {
    const jobs = options.tiles ? [...options.tiles] : cpuTiles(plan.rows, plan.steps, this.tileValues);
    const script = workerScript();
    const threads = Math.min(this.workers, jobs.length);
    const timings = options.timings;
    if (threads <= 1 || plan.rows * plan.steps < this.workerThreshold || script === null) {
      for (const job of jobs) {
        const started = performance.now();
        const data = new Float64Array(job.rows * job.steps);
        evaluateTile(plan, job.row0, job.rows, job.step0, job.steps, data);
        if (timings) timings.compute += performance.now() - started;
        await onTile({ ...job, data });
      }
      return;
    }
    // with workers, compute is the wall time not spent in onTile (the two overlap)
    const started = performance.now();
    let handling = 0;
    this.pool ??= new WorkerPool(script);
    await this.pool.run(threads, plan, jobs, async (tile) => {
      const t = performance.now();
      await onTile(tile);
      handling += performance.now() - t;
    });
    if (timings) timings.compute += performance.now() - started - handling;
  }

  async dispose(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/**
 * Worker threads kept between runs (starting one costs tens of milliseconds): referenced while a
 * run uses them, unreferenced when idle so that they never keep a process alive, ended by dispose().
 */
class WorkerPool {
  private readonly workers: Worker[] = [];

  constructor(private readonly script: URL) {}

  async run(threads: number, plan: Plan, jobs: Job[], onTile: TileHandler): Promise<void> {
    while (this.workers.length < threads) this.workers.push(new Worker(this.script));
    const active = this.workers.slice(0, threads);
    for (const w of active) w.ref();
    try {
      let next = 0;
      await Promise.all(
        active.map(async (worker) => {
          worker.postMessage({ plan });
          while (next < jobs.length) {
            const id = next++;
            const data = await new Promise<Float64Array>((resolve, reject) => {
              const onMessage = (msg: { id: number; data: Float64Array }) => {
                if (msg.id !== id) return;
                worker.off('error', reject);
                worker.off('message', onMessage);
                resolve(msg.data);
              };
              worker.on('message', onMessage);
              worker.once('error', reject);
              worker.postMessage({ job: { id, ...jobs[id] } });
            });
            await onTile({ ...jobs[id], data });
          }
        }),
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
