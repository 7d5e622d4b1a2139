/**
 * The multi-power law's predicted loss at checkpoints of every schedule of a plan: on WebGPU the
 * table never leaves the device (src/laws/mpl-gpu.ts); on the cpu backend (or webgpu's
 * high precision, or a run too long for the device) the table is evaluated in blocks of whole rows
 * and each row goes through the host law (src/laws/mpl.ts, f64).
 */
import type { Backend } from '../backends/types.js';
import { WebGpuBackend } from '../backends/webgpu/backend.js';
import { CapacityError } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { tileRect } from '../tiles.js';
import { evaluateMpl, prepareMpl } from './mpl.js';
import { mplLossFromSums, mplSumsOnGpu, type RowRange } from './mpl-gpu.js';

export interface MplPlanLosses {
  /** loss[(row - only.row0) * checkpoints + c]; NaN where the schedule's lr is not > 0 after step 0. */
  loss: Float64Array;
  /** Where the sums ran. */
  on: 'device' | 'host';
}

/** Host: rows evaluated in blocks of about 4M values, each row's law evaluated in f64. */
export async function mplLossesOnHost(
  plan: Plan,
  theta: ArrayLike<number>,
  checkpoints: ArrayLike<number>,
  backend: Backend,
  only: RowRange = { row0: 0, rows: plan.rows },
): Promise<Float64Array> {
  const at = Int32Array.from(checkpoints);
  const P = at.length;
  const loss = new Float64Array(only.rows * P);
  if (only.rows === 0 || P === 0) return loss;
  const last = Math.max(...at);
  const rows = Math.max(1, Math.floor((1 << 22) / plan.steps));
  await backend.run(
    plan,
    (tile) => {
      for (let r = 0; r < tile.rows; r++) {
        const lr = Float64Array.from(tile.data.subarray(r * tile.steps, r * tile.steps + last + 1));
        const pred = evaluateMpl(theta, prepareMpl({ lr, at }), false).pred;
        // as on the device: no loss from the first step k >= 1 whose lr is not > 0 on (the law takes
        // lr^(-gamma); a schedule that touches 0 and rises again would otherwise get a finite one)
        let firstBad = 1;
        while (firstBad < lr.length && lr[firstBad] > 0) firstBad++;
        for (let c = 0; c < P; c++) if (at[c] >= firstBad) pred[c] = NaN;
        loss.set(pred, (tile.row0 - only.row0 + r) * P);
      }
    },
    { tiles: tileRect({ ...only, step0: 0, steps: plan.steps }, { rows, steps: plan.steps }) },
  );
  return loss;
}

export async function mplLossesOfPlan(
  plan: Plan,
  theta: ArrayLike<number>,
  checkpoints: ArrayLike<number>,
  backend: Backend,
  options: { only?: RowRange; onNotice?: (line: string) => void } = {},
): Promise<MplPlanLosses> {
  if (backend instanceof WebGpuBackend && backend.precision === 'standard') {
    try {
      const sums = await mplSumsOnGpu(plan, theta, checkpoints, backend, options.only);
      return { loss: mplLossFromSums(theta, sums), on: 'device' };
    } catch (e) {
      if (!(e instanceof CapacityError)) throw e;
      options.onNotice?.(`schedgpu: ${e.message}; the law is evaluated on the host from the webgpu table`);
    }
  }
  return { loss: await mplLossesOnHost(plan, theta, checkpoints, backend, options.only), on: 'host' };
}
