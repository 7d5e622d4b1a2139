/** Worker thread of the CPU backend: receives the plan once, then evaluates tiles on request. */
import { parentPort } from 'node:worker_threads';
import type { Plan } from '../plan/compile.js';
import { evaluateTile } from './cpu-kernel.js';

let plan: Plan | null = null;

parentPort?.on(
  'message',
  (msg: { plan?: Plan; job?: { id: number; row0: number; rows: number; step0: number; steps: number } }) => {
    if (msg.plan) plan = msg.plan;
    if (msg.job && plan) {
      const { id, row0, rows, step0, steps } = msg.job;
      const data = new Float64Array(rows * steps);
      evaluateTile(plan, row0, rows, step0, steps, data);
      parentPort!.postMessage({ id, data }, [data.buffer]);
    }
  },
);
