/**
 * `schedgpu rank --params params.json`: ranking by a fitted law. The momentum law goes through the
 * GPU-reduced path of `rank`; the multi-power law through src/laws/mpl-plan.ts: summed on the
 * device on webgpu (no table read back), else on the host in f64; O(T) per schedule at the final
 * step, O(T x points) for --curve.
 */
import { createBackend } from '../../backends/index.js';
import { SpecError } from '../../errors.js';
import type { Backend } from '../../backends/types.js';
import { mplLossesOfPlan } from '../../laws/mpl-plan.js';
import type { Law } from '../../laws/types.js';
import type { Plan } from '../../plan/compile.js';
import { rank } from '../../stats/index.js';
import { printColumns, readable } from '../columns.js';
import type { Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { readBackend, readPositiveInt } from '../options.js';
import { loadParamsFile } from './predict.js';

export async function rankWithParams(file: string, opts: Opts, io: Io): Promise<void> {
  for (const k of ['L0', 'A', 'alpha', 'C', 'lambda'])
    if (opts[k] !== undefined) throw new SpecError(`--${k}`, 'cannot be given with --params', opts[k]);
  const { law, theta } = loadParamsFile(String(opts.params));
  const top = readPositiveInt('--top', opts.top) ?? 20;
  const { plan, params, paramNames } = loadPlan(file, opts.steps, io);
  const atStep = opts.at === undefined ? plan.steps : Number(opts.at);
  if (!Number.isInteger(atStep) || atStep < 2 || atStep > plan.steps)
    throw new SpecError('--at', `must be a step count in [2, ${plan.steps}]`, opts.at);
  const curveRow = typeof opts.curve === 'string' ? plan.ids.indexOf(opts.curve) : -1;
  if (typeof opts.curve === 'string' && curveRow < 0)
    throw new SpecError('--curve', `is not an id of the file (${plan.ids.slice(0, 3).join(', ')}, ...)`, opts.curve);
  const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
  let rows: { row: number; id: string; loss: number }[] = [];
  let where = backend.describe();
  try {
    if (law.name === 'tissue' && curveRow < 0) {
      const [L0, A, alpha, C, lambda] = theta;
      rows = await rank(plan, null, { L0, A, alpha, C, lambda }, { backend, atStep });
    } else if (curveRow >= 0) {
      await printCurve(plan, curveRow, atStep, law, theta, backend, io);
      return;
    } else {
      // the law's step s is after s + 1 updates: the loss after atStep updates is at step atStep - 1
      const r = await mplLossesOfPlan(plan, theta, [atStep - 1], backend, { onNotice: io.err });
      if (r.on === 'device') where += ', the law summed on the device';
      rows = plan.ids
        .map((id, row) => ({ row, id, loss: r.loss[row] }))
        .sort((a, b) => a.loss - b.loss || a.row - b.row);
    }
  } finally {
    await backend.dispose();
  }
  if (rows.some((r) => !Number.isFinite(r.loss)))
    throw new SpecError(
      file,
      `a schedule's lr is not positive after its first step, which the ${law.name} law needs`,
      'a non-finite loss',
    );
  const header = ['rank', 'id', `loss@${atStep}`, ...paramNames];
  const lines = rows
    .slice(0, top)
    .map((r, i) => [
      String(i + 1),
      r.id,
      readable(r.loss),
      ...paramNames.map((p) => String(params?.[r.row]?.[p] ?? '')),
    ]);
  printColumns(io.out, header, lines);
  io.err(`schedgpu: ranked ${plan.rows} schedules by the fitted ${law.name} law on ${where}`);
}

/** One schedule's predicted loss at about 1,000 points of its first atStep updates, with its lr there. */
async function printCurve(
  plan: Plan,
  row: number,
  atStep: number,
  law: Law,
  theta: number[],
  backend: Backend,
  io: Io,
): Promise<void> {
  const lr = new Float64Array(atStep);
  await backend.run(plan, (tile) => lr.set(tile.data, tile.step0), {
    tiles: [{ row0: row, rows: 1, step0: 0, steps: atStep }],
  });
  const every = Math.max(1, Math.ceil(atStep / 1000));
  const steps: number[] = [];
  for (let t = 0; t < atStep; t++) if ((t + 1) % every === 0 || t + 1 === atStep) steps.push(t);
  const loss =
    law.name === 'mpl'
      ? (await mplLossesOfPlan(plan, theta, steps, backend, { only: { row0: row, rows: 1 }, onNotice: io.err })).loss
      : law.evaluate(theta, law.prepare({ lr, at: Int32Array.from(steps) }), false).pred;
  io.out('step,lr,predicted_loss');
  steps.forEach((t, i) => io.out(`${t + 1},${lr[t]},${loss[i]}`));
}
