/**
 * `schedgpu rank`: schedules ordered by the loss the LR-annealing scaling law predicts (Tissue et al.
 * 2024), or one schedule's predicted loss curve.
 */
import { Option, type Command } from 'commander';
import { createBackend } from '../../backends/index.js';
import { WebGpuBackend } from '../../backends/webgpu/backend.js';
import { SpecError } from '../../errors.js';
import { predictedLossCurve, rank, type LossLaw } from '../../stats/index.js';
import { checkLambda } from '../../stats/engine.js';
import { predictedLossCurveOnGpu } from '../../stats/scan.js';
import { printColumns, readable } from '../columns.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { rankWithParams } from './rank-params.js';
import { backendOption, readBackend, readPositiveInt, SPEC_FILE_STEPS, stepsOption } from '../options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('rank')
    .description(
      'order schedules by the loss the scaling law with LR annealing predicts (Tissue et al. 2024): L = L0 + A*S1^-alpha - C*S2',
    )
    .argument('<spec-or-sweep-file>', 'a sweep file (or a spec file with --steps)')
    .addOption(new Option('--law <name>', 'the loss law').default('lr-annealing'))
    .addOption(new Option('--L0 <x>', 'irreducible loss'))
    .addOption(new Option('--A <x>', 'scale of the forward-area term'))
    .addOption(new Option('--alpha <x>', 'exponent of the forward area'))
    .addOption(new Option('--C <x>', 'scale of the annealing-area term'))
    .addOption(new Option('--lambda <x>', 'decay of the annealing momentum (default 0.999)'))
    .addOption(
      new Option(
        '--params <file>',
        'params.json written by `schedgpu fit` (mpl or tissue) instead of the coefficients',
      ),
    )
    .addOption(new Option('--top <n>', 'print the best n (default 20)'))
    .addOption(new Option('--at <s>', 'predict the loss after s updates (default: the whole run)'))
    .addOption(new Option('--curve <id>', 'print the predicted loss curve of one schedule instead'))
    .addOption(stepsOption(SPEC_FILE_STEPS))
    .addOption(backendOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu rank examples/quick-sweep.yaml --L0 2.0 --A 0.45 --alpha 0.5 --C 0.3 --top 5 --backend cpu',
        'schedgpu rank examples/quick-sweep.yaml --L0 2.0 --A 0.45 --alpha 0.5 --C 0.3 --at 10000 --backend cpu',
        'schedgpu rank examples/quick-sweep.yaml --L0 2.0 --A 0.45 --alpha 0.5 --C 0.3 --curve lwcd-0.001-w0 --backend cpu | tail -2',
      ]),
    )
    .action((file: string, opts: Opts) => rankCommand(file, opts, io));
}

function readLaw(opts: Opts): LossLaw {
  if (opts.law !== undefined && opts.law !== 'lr-annealing')
    throw new SpecError('--law', 'must be lr-annealing', opts.law);
  const num = (k: string): number => {
    const raw = opts[k];
    if (raw === undefined) throw new SpecError(`--${k}`, 'is required', undefined);
    const n = Number(raw);
    if (!Number.isFinite(n) || String(raw).trim() === '') throw new SpecError(`--${k}`, 'must be a number', raw);
    return n;
  };
  const law: LossLaw = { L0: num('L0'), A: num('A'), alpha: num('alpha'), C: num('C') };
  // the library's check, before anything runs (its error names `lambda`, reported as --lambda)
  if (opts.lambda !== undefined) law.lambda = checkLambda(num('lambda'));
  return law;
}

async function rankCommand(file: string, opts: Opts, io: Io): Promise<void> {
  if (opts.params !== undefined) return rankWithParams(file, opts, io);
  const law = readLaw(opts);
  const top = readPositiveInt('--top', opts.top) ?? 20;
  const { plan, params, paramNames } = loadPlan(file, opts.steps, io);
  const atStep = opts.at === undefined ? plan.steps : Number(opts.at);
  if (!Number.isInteger(atStep) || atStep < 1 || atStep > plan.steps)
    throw new SpecError('--at', `must be a step count in [1, ${plan.steps}]`, opts.at);
  if (typeof opts.curve === 'string') {
    const row = plan.ids.indexOf(opts.curve);
    if (row < 0)
      throw new SpecError('--curve', `is not an id of the file (${plan.ids.slice(0, 3).join(', ')}, ...)`, opts.curve);
    const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
    try {
      const lr = new Float64Array(atStep);
      await backend.run(plan, (tile) => lr.set(tile.data, tile.step0), {
        tiles: [{ row0: row, rows: 1, step0: 0, steps: atStep }],
      });
      // on webgpu the scans run on the device too (S1, the momentum and S2 as prefix scans)
      const loss =
        backend instanceof WebGpuBackend && backend.precision === 'standard'
          ? await predictedLossCurveOnGpu(plan, row, atStep, law, backend)
          : predictedLossCurve(lr, law);
      io.out('step,lr,predicted_loss');
      const every = Math.max(1, Math.ceil(atStep / 1000));
      for (let t = 0; t < atStep; t++)
        if ((t + 1) % every === 0 || t + 1 === atStep) io.out(`${t + 1},${lr[t]},${loss[t]}`);
    } finally {
      await backend.dispose();
    }
    return;
  }
  const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
  let ranked;
  try {
    ranked = await rank(plan, null, law, { backend, atStep });
  } finally {
    await backend.dispose();
  }
  const header = ['rank', 'id', `loss@${atStep}`, 'S1', 'S2', ...paramNames];
  const lines = ranked
    .slice(0, top)
    .map((r, i) => [
      String(i + 1),
      r.id,
      readable(r.loss),
      readable(r.S1),
      readable(r.S2),
      ...paramNames.map((p) => String(params?.[r.row]?.[p] ?? '')),
    ]);
  printColumns(io.out, header, lines);
  io.err(`schedgpu: ranked ${plan.rows} schedules by the LR-annealing law on ${backend.describe()}`);
}
