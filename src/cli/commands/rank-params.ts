/**
 * `schedgpu rank --params params.json`: ranking by a fitted law. The momentum law goes through the
 * GPU-reduced path of `rank`; the multi-power law is evaluated on the host in f64 from each
 * schedule's table, O(T) per schedule at the final step (O(T x points) for --curve).
 */
import { createBackend } from '../../backends/index.js';
import { SpecError } from '../../errors.js';
import { collectTable } from '../../sinks/table.js';
import { rank } from '../../stats/index.js';
import { printColumns, readable } from '../columns.js';
import type { Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { readBackend } from '../options.js';
import { loadParamsFile } from './predict.js';

export async function rankWithParams(file: string, opts: Opts, io: Io): Promise<void> {
  for (const k of ['L0', 'A', 'alpha', 'C', 'lambda'])
    if (opts[k] !== undefined) throw new SpecError(`--${k}`, 'cannot be given with --params', opts[k]);
  const { law, theta } = loadParamsFile(String(opts.params));
  const top = opts.top === undefined ? 20 : Number(opts.top);
  if (!Number.isInteger(top) || top < 1) throw new SpecError('--top', 'must be a positive integer', opts.top);
  const { plan, params, paramNames } = loadPlan(file, opts.steps, io);
  const atStep = opts.at === undefined ? plan.steps : Number(opts.at);
  if (!Number.isInteger(atStep) || atStep < 2 || atStep > plan.steps)
    throw new SpecError('--at', `must be a step count in [2, ${plan.steps}]`, opts.at);
  const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
  let rows: { row: number; id: string; loss: number }[];
  let lrOf: ((row: number) => Float64Array) | null = null;
  try {
    if (law.name === 'tissue' && typeof opts.curve !== 'string') {
      const [L0, A, alpha, C, lambda] = theta;
      rows = await rank(plan, null, { L0, A, alpha, C, lambda }, { backend, atStep });
    } else {
      const table = await collectTable(plan, backend);
      lrOf = (row) => Float64Array.from(table.values.subarray(row * plan.steps, row * plan.steps + atStep));
      // the law's step s is after s + 1 updates: the loss after atStep updates is at step atStep - 1
      const last = Int32Array.of(atStep - 1);
      rows =
        typeof opts.curve === 'string'
          ? []
          : plan.ids
              .map((id, row) => ({
                row,
                id,
                loss: law.evaluate(theta, law.prepare({ lr: lrOf!(row), at: last }), false).pred[0],
              }))
              .sort((a, b) => a.loss - b.loss || a.row - b.row);
    }
  } finally {
    await backend.dispose();
  }
  if (typeof opts.curve === 'string') {
    const row = plan.ids.indexOf(opts.curve);
    if (row < 0)
      throw new SpecError('--curve', `is not an id of the file (${plan.ids.slice(0, 3).join(', ')}, ...)`, opts.curve);
    const lr = lrOf!(row);
    const every = Math.max(1, Math.ceil(atStep / 1000));
    const steps: number[] = [];
    for (let t = 0; t < atStep; t++) if ((t + 1) % every === 0 || t + 1 === atStep) steps.push(t);
    const loss = law.evaluate(theta, law.prepare({ lr, at: Int32Array.from(steps) }), false).pred;
    io.out('step,lr,predicted_loss');
    steps.forEach((t, i) => io.out(`${t + 1},${lr[t]},${loss[i]}`));
    return;
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
  io.err(`schedgpu: ranked ${plan.rows} schedules by the fitted ${law.name} law`);
}
