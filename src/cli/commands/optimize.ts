/**
 * `schedgpu optimize`: the free-form non-increasing schedule (after a linear warmup) that minimises
 * the fitted multi-power law's predicted final loss; written as a table (.npy or .csv).
 */
import { Option, type Command } from 'commander';
import { SpecError } from '../../errors.js';
import { createBackend } from '../../backends/index.js';
import { mplFinalLossAndLrGradient } from '../../laws/mpl-lr-gradient.js';
import { optimizeMplSchedule } from '../../laws/optimize.js';
import { collectTable } from '../../sinks/table.js';
import { readSpecFile } from '../../spec/parse.js';
import { isSweepFile, loadPlan } from '../load.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import { npyHeader } from '../../sinks/npy-header.js';
import { readable } from '../columns.js';
import { examples } from '../help-examples.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { readOutFile, readPositiveInt } from '../options.js';
import { loadParamsFile } from './predict.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('optimize')
    .description(
      "the non-increasing schedule after a linear warmup that minimises a fitted multi-power law's final loss",
    )
    .addOption(new Option('--params <file>', 'params.json of an mpl fit').makeOptionMandatory())
    .addOption(new Option('--steps <n>', 'run length T').makeOptionMandatory())
    .addOption(new Option('--peak <lr>', 'the lr at the end of the warmup').makeOptionMandatory())
    .addOption(new Option('--warmup <n>', 'linear warmup steps from 0 to the peak (default 0)'))
    .addOption(new Option('--min-lr <x>', 'floor of the lr (default 1e-10)'))
    .addOption(new Option('--max-iterations <n>', 'L-BFGS iterations (default 500)'))
    .addOption(
      new Option('--family <file>', 'a sweep (or spec) file of --steps steps: also report its best member and the gap'),
    )
    .addOption(new Option('--out <file>', 'best.npy or best.csv: the lr at steps 0..T-1').makeOptionMandatory())
    .addHelpText(
      'after',
      examples([
        'schedgpu optimize --params examples/laws/params-mpl-25m.json --steps 2000 --peak 3e-4 --warmup 200 --min-lr 1e-6 --max-iterations 50 --out best.npy',
        'schedgpu optimize --params examples/laws/params-mpl-25m.json --steps 4000 --peak 3e-4 --warmup 400 --max-iterations 50 --out best.csv',
      ]),
    )
    .action((opts: Opts) => optimizeCommand(opts, io));
}

function positive(flag: string, raw: unknown): number {
  const n = Number(raw);
  if (String(raw).trim() === '' || !(n > 0) || !Number.isFinite(n))
    throw new SpecError(flag, 'must be a positive number', raw);
  return n;
}

async function optimizeCommand(opts: Opts, io: Io): Promise<void> {
  const { law, theta } = loadParamsFile(String(opts.params));
  if (law.name !== 'mpl')
    throw new SpecError('--params', 'must hold an mpl fit (optimize uses the multi-power law)', law.name);
  const out = String(opts.out);
  const ext = readOutFile(out, ['npy', 'csv']);
  const steps = readPositiveInt('--steps', opts.steps)!;
  const peak = positive('--peak', opts.peak);
  const warmup = opts.warmup === undefined ? 0 : Number(opts.warmup);
  if (!Number.isInteger(warmup) || warmup < 0 || warmup >= steps)
    throw new SpecError('--warmup', `must be an integer in [0, ${steps - 1}]`, opts.warmup);
  const minLr = opts.minLr === undefined ? 1e-10 : positive('--min-lr', opts.minLr);
  if (minLr >= peak) throw new SpecError('--min-lr', 'must be below --peak', opts.minLr);
  if (steps < 2) throw new SpecError('--steps', 'must be at least 2', opts.steps);
  const maxIterations = readPositiveInt('--max-iterations', opts.maxIterations);
  // the family is read and checked before the (long) optimisation
  const family = opts.family === undefined ? null : await familyLosses(String(opts.family), steps, theta, io);
  const t0 = performance.now();
  const r = optimizeMplSchedule(theta, { steps, peak, warmup, minLr, maxIterations });
  const seconds = (performance.now() - t0) / 1000;
  if (ext === 'npy')
    writeFileAtomic(
      out,
      Buffer.concat([npyHeader('float64', [steps]), new Uint8Array(r.lr.buffer, r.lr.byteOffset, r.lr.byteLength)]),
    );
  else writeFileAtomic(out, 'step,lr\n' + Array.from(r.lr, (v, t) => `${t},${v}`).join('\n') + '\n');
  io.out(`predicted final loss ${r.loss} (constant lr after the warmup: ${readable(r.startLoss)})`);
  io.out(
    `best standard schedule: ${r.bestStandard.name}, predicted ${r.bestStandard.loss} (the optimum is ${readable(r.bestStandard.loss - r.loss)} lower)`,
  );
  if (family) {
    const { id, loss } = family.best;
    io.out(
      `best of ${family.count} in ${String(opts.family)}: ${id}, predicted ${loss} (the optimum is ${readable(loss - r.loss)} lower)`,
    );
    if (family.skipped > 0)
      io.err(`schedgpu: ${family.skipped} schedules of the family skipped: their lr is not > 0 after step 0`);
  }
  io.err(
    `schedgpu: optimised ${steps - warmup} decrements in ${r.iterations} iterations (${r.reason}), ${seconds.toFixed(1)} s -> ${out}`,
  );
}

/** The multi-power law's final loss of every schedule of a sweep or spec file (host, f64, O(T) each). */
async function familyLosses(file: string, steps: number, theta: number[], io: Io) {
  const { plan } = loadPlan(file, isSweepFile(readSpecFile(file)) ? undefined : String(steps), io);
  if (plan.steps !== steps) throw new SpecError('--family', `must have --steps (${steps}) steps`, plan.steps);
  const backend = await createBackend('cpu', { plan });
  let table;
  try {
    table = await collectTable(plan, backend);
  } finally {
    await backend.dispose();
  }
  let best = { id: '', loss: Infinity };
  let skipped = 0;
  for (let r = 0; r < plan.rows; r++) {
    const lr = Float64Array.from(table.values.subarray(r * steps, (r + 1) * steps));
    if (lr.some((v, t) => !(t === 0 ? v >= 0 : v > 0))) {
      skipped++;
      continue;
    }
    const loss = mplFinalLossAndLrGradient(theta, lr).loss;
    if (loss < best.loss) best = { id: plan.ids[r], loss };
  }
  if (!Number.isFinite(best.loss))
    throw new SpecError('--family', 'has no schedule whose lr is > 0 after step 0', file);
  return { best, count: plan.rows, skipped };
}
