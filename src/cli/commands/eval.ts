/** `schedgpu eval <spec-file> --steps N`: the schedules x steps table, to a file or as a summary. */
import type { Command } from 'commander';
import { createBackend } from '../../backends/index.js';
import type { Backend, Tile } from '../../backends/types.js';
import { Shown, SpecError } from '../../errors.js';
import { compilePlan } from '../../plan/compile.js';
import { NpyWriter } from '../../sinks/npy.js';
import { SummaryReducer } from '../../sinks/summary.js';
import { collectTable } from '../../sinks/table.js';
import { writeCsv, writeJson } from '../../sinks/text.js';
import { printColumns, readable } from '../columns.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadRuns } from '../load.js';
import {
  backendOption,
  outOption,
  precisionOption,
  quietOption,
  readBackend,
  readOutFile,
  readPositiveInt,
  readPrecision,
  readSteps,
  stepsOption,
  workersOption,
  exactOption,
} from '../options.js';
import { progressBar, type Progress } from '../progress.js';
import { examples } from '../help-examples.js';

/** CSV and JSON hold the table in memory as text; past this, .npy is the format. */
const TEXT_OUTPUT_LIMIT = 20_000_000;

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('eval')
    .description('evaluate every spec in a file over --steps steps: a schedules x steps table')
    .argument('<spec-file>', 'YAML or JSON file: one spec or a list of specs')
    .addOption(stepsOption("steps per schedule (value at step t = the framework's value after t updates)"))
    .addOption(backendOption())
    .addOption(
      outOption(
        'write the table: .npy (float64 from cpu, float32 from webgpu), .csv (one row per step) or .json; without it, print a summary',
      ),
    )
    .addOption(workersOption())
    .addOption(exactOption())
    .option('--values-per-invocation <n>', 'webgpu backend: consecutive steps per shader invocation (default 32)')
    .addOption(precisionOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu eval examples/warmup-cosine.yaml --steps 10000 --backend cpu --out lr.csv',
        'schedgpu eval examples/warmup-cosine.yaml --steps 10000 --backend cpu --out lr.npy',
        'schedgpu eval examples/warmup-cosine.yaml --steps 100000 --backend cpu',
      ]),
    )
    .action((file: string, opts: Opts) => evalCommand(file, opts, io));
}

async function evalCommand(file: string, opts: Opts, io: Io): Promise<void> {
  if (opts.steps === undefined) throw new SpecError('--steps', 'is required', undefined);
  const steps = readSteps(opts.steps);
  const choice = readBackend(opts.backend);
  const workers = readPositiveInt('--workers', opts.workers);
  const valuesPerInvocation = readPositiveInt('--values-per-invocation', opts.valuesPerInvocation);
  const precision = readPrecision(opts.precision) ?? 'standard';
  const out = typeof opts.out === 'string' ? opts.out : undefined;
  const outKind = out !== undefined ? readOutFile(out, ['npy', 'csv', 'json'] as const) : null;
  const runs = loadRuns(file, io);
  // compiling refuses configs the framework would only refuse at some step, before anything runs
  const plan = compilePlan(runs, steps);
  if ((outKind === 'csv' || outKind === 'json') && plan.rows * steps > TEXT_OUTPUT_LIMIT)
    throw new SpecError(
      '--out',
      `${outKind.toUpperCase()} output is limited to ${TEXT_OUTPUT_LIMIT} values (use .npy)`,
      new Shown(`${plan.rows} x ${steps} values`),
    );

  const progress = tileProgress(plan.rows * steps, Boolean(opts.quiet));
  const backend: Backend = await createBackend(choice, {
    workers,
    exact: Boolean(opts.exact),
    valuesPerInvocation,
    precision,
    onNotice: io.err,
    plan,
  });
  const started = performance.now();
  try {
    if (outKind === 'npy') {
      const writer = new NpyWriter(out!, backend.dtype, plan.rows, steps);
      try {
        await backend.run(plan, (tile: Tile) => {
          writer.write(tile);
          progress(tile);
        });
        writer.commit();
      } catch (e) {
        writer.abort();
        throw e;
      }
    } else if (outKind) {
      const table = await collectTable(plan, backend, progress);
      (outKind === 'csv' ? writeCsv : writeJson)(table, out!);
    } else {
      const summary = new SummaryReducer(plan.rows, steps);
      await backend.run(plan, (tile) => {
        summary.add(tile);
        progress(tile);
      });
      printSummary(io, plan.ids, plan.kinds, summary);
    }
  } finally {
    progress.done();
    await backend.dispose();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const what = `${plan.rows} schedule${plan.rows === 1 ? '' : 's'} x ${steps} steps, ${backend.dtype}, ${backend.describe()}, ${seconds} s`;
  io.err(out ? `schedgpu: wrote ${out} (${what})` : `schedgpu: evaluated ${what}`);
}

/** The progress bar as a tile handler: values done so far, shown once a run takes a while. */
function tileProgress(total: number, quiet: boolean): ((tile: Tile) => void) & { done(): void } {
  const started = performance.now();
  let bar: Progress | null = null;
  let done = 0;
  const update = (tile: Tile) => {
    done += tile.rows * tile.steps;
    if (!bar && performance.now() - started < 1000) return;
    bar ??= progressBar('eval', total, quiet);
    bar.update(done);
  };
  return Object.assign(update, { done: () => bar?.stop() });
}

function printSummary(io: Io, ids: string[], kinds: string[], summary: SummaryReducer): void {
  const header = ['id', 'kind', 'first', 'min', 'max', 'last'];
  const rows = summary.rows.map((s, i) => [
    ids[i],
    kinds[i].slice(kinds[i].lastIndexOf('.') + 1),
    ...[s.first, s.min, s.max, s.last].map(readable),
  ]);
  printColumns(io.out, header, rows);
}
