/**
 * Worker thread of the CPU backend: receives the plan (and, for stats, the fold) once per run, then
 * evaluates tiles on request into the buffer it is lent back, and returns the values or their fold.
 */
import { parentPort } from 'node:worker_threads';
import type { Plan } from '../plan/compile.js';
import { foldTile, type PartialsFold } from '../stats/fold.js';
import type { TileRect } from '../tiles.js';
import { evaluateTile, lend } from './cpu-kernel.js';

export type WorkerRequest =
  | { plan: Plan; exact: boolean; fold: PartialsFold | null }
  | { job: TileRect & { k: number; core: TileRect | null }; spare: ArrayBuffer | null };

/** The tile's values (its buffer transferred), or its fold. */
export interface WorkerReply {
  k: number;
  data: Float64Array;
}

let plan: Plan | null = null;
let fold: PartialsFold | null = null;
let exact = false;
let scratch: ArrayBuffer | null = null;

parentPort?.on('message', (msg: WorkerRequest) => {
  if ('plan' in msg) {
    ({ plan, fold, exact } = msg);
    return;
  }
  const { k, row0, rows, step0, steps, core } = msg.job;
  const spare = msg.spare ?? (fold !== null ? scratch : null);
  const data = lend(spare, rows * steps);
  evaluateTile(plan!, row0, rows, step0, steps, data, exact);
  if (fold !== null && core !== null) {
    // the tile stays here, as the scratch of the next one; only its fold goes back
    scratch = data.buffer as ArrayBuffer;
    const packed = foldTile(fold, data, { row0, rows, step0, steps }, core);
    parentPort!.postMessage({ k, data: packed } satisfies WorkerReply, [packed.buffer as ArrayBuffer]);
  } else parentPort!.postMessage({ k, data } satisfies WorkerReply, [data.buffer as ArrayBuffer]);
});
