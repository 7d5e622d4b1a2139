/**
 * schedgpu: argument parsing -> library call -> sink. Exit codes: 0 ok, 1 runtime failure,
 * 2 bad input (one line `path: problem, got value` on stderr, nothing written).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { checkBackendChoice, createBackend } from '../backends/index.js';
import type { Backend, Tile } from '../backends/types.js';
import { formatGot, RuntimeFailure, Shown, SpecError } from '../errors.js';
import { KINDS } from '../frameworks/registry.js';
import { checkSteps, compilePlan } from '../plan/compile.js';
import { NpyWriter } from '../sinks/npy.js';
import { SummaryReducer } from '../sinks/summary.js';
import { collectTable } from '../sinks/table.js';
import { writeCsv, writeJson } from '../sinks/text.js';
import { readSpecFile } from '../spec/parse.js';
import { validateSpecs } from '../spec/validate.js';
import { kindsMarkdown, kindsText } from './kinds-table.js';
import { printColumns, readable } from './columns.js';
import { progressBar, type Progress } from './progress.js';
import { precisionOption } from './options.js';
import { mergeCommand, sweepCommand } from './sweep.js';
import { triggersCommand } from './triggers.js';
import { rankCommand, statsCommand } from './stats.js';
import { plotCommand } from './plot.js';
import { specJsonSchema } from '../spec/json-schema.js';
import { expandSweep } from '../sweep/expand.js';
import { compileSweepPlan } from '../sweep/plan.js';

declare const SCHEDGPU_VERSION: string;
const VERSION = typeof SCHEDGPU_VERSION === 'string' ? SCHEDGPU_VERSION : '0.0.0-dev';

/** CSV and JSON hold the table in memory as text; past this, .npy is the format. */
const TEXT_OUTPUT_LIMIT = 20_000_000;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < 1)
    throw new SpecError(name, 'must be a positive integer', raw);
  return n;
}

function stepsOption(raw: string): number {
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  return checkSteps(n);
}

function loadRuns(file: string, io: Io) {
  const { runs, warnings } = validateSpecs(readSpecFile(file));
  for (const w of warnings) io.err(`schedgpu: warning: ${w}`);
  return runs;
}

type OutKind = 'npy' | 'csv' | 'json';

function checkOut(path: string): OutKind {
  const ext = extname(path).toLowerCase();
  const kind = ({ '.npy': 'npy', '.csv': 'csv', '.json': 'json' } as const)[ext];
  if (!kind) throw new SpecError('--out', 'must end in .npy, .csv or .json', path);
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SpecError('--out', 'is in a directory that does not exist', path);
  if (existsSync(path) && statSync(path).isDirectory()) throw new SpecError('--out', 'is a directory', path);
  return kind;
}

async function evalCommand(file: string, opts: Record<string, string | undefined>, io: Io): Promise<void> {
  if (opts.steps === undefined) throw new SpecError('--steps', 'is required', undefined);
  const steps = stepsOption(opts.steps);
  const choice = checkBackendChoice(opts.backend ?? 'auto');
  const workers = positiveInt('--workers', opts.workers);
  const valuesPerInvocation = positiveInt('--values-per-invocation', opts.valuesPerInvocation);
  const precision = precisionOption(opts.precision) ?? 'standard';
  const outKind = opts.out !== undefined ? checkOut(opts.out) : null;
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
    valuesPerInvocation,
    precision,
    onNotice: io.err,
    plan,
  });
  const started = performance.now();
  try {
    if (outKind === 'npy') {
      const writer = new NpyWriter(opts.out!, backend.dtype, plan.rows, steps);
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
      (outKind === 'csv' ? writeCsv : writeJson)(table, opts.out!);
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
  io.err(opts.out ? `schedgpu: wrote ${opts.out} (${what})` : `schedgpu: evaluated ${what}`);
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

function validateCommand(file: string, opts: Record<string, string | undefined>, io: Io): void {
  const raw = readSpecFile(file);
  if (isSweepFile(raw)) {
    // a sweep file: expand and compile every variant (its steps are in the file)
    const expanded = expandSweep(raw);
    for (const w of expanded.warnings.slice(0, 20)) io.err(`schedgpu: warning: ${w}`);
    compileSweepPlan(expanded.variants, expanded.steps);
    io.out(
      `${file}: a sweep of ${expanded.variants.length} valid variants, evaluable over up to ${expanded.steps} steps`,
    );
    return;
  }
  const { runs, warnings } = validateSpecs(raw);
  for (const w of warnings) io.err(`schedgpu: warning: ${w}`);
  if (opts.steps !== undefined) compilePlan(runs, stepsOption(opts.steps));
  const kinds = [...new Set(runs.map((r) => r.spec.kind.slice(r.spec.kind.lastIndexOf('.') + 1)))];
  const checked = opts.steps !== undefined ? ` and evaluable over ${opts.steps} steps` : '';
  io.out(`${file}: ${runs.length} valid spec${runs.length === 1 ? '' : 's'}${checked} (${kinds.join(', ')})`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A sweep file is a mapping with `base` or `bases`; a spec file holds specs (mappings with `kind`). */
function isSweepFile(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('base' in raw || 'bases' in raw);
}

function kindsCommand(opts: { markdown?: boolean; json?: boolean }, io: Io): void {
  if (opts.json)
    io.out(
      JSON.stringify(
        KINDS.map((k) => ({
          kind: k.kind,
          shortName: k.shortName,
          framework: k.framework,
          summary: k.summary,
          primitives: k.primitives,
        })),
        null,
        2,
      ),
    );
  else io.out(opts.markdown ? kindsMarkdown() : kindsText());
}

function commandNames(program: Command): string {
  return program.commands.map((c) => c.name()).join(', ');
}

/** Commander's own errors, as `path: problem, got value`. */
function commanderLine(e: CommanderError, commands: string): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  const name = quoted.split(/\s/)[0];
  switch (e.code) {
    case 'commander.missingArgument':
      return `<${quoted}>: is required, got nothing`;
    case 'commander.optionMissingArgument':
      return `${name}: needs a value, got nothing`;
    case 'commander.missingMandatoryOptionValue':
      return `${name}: is required, got nothing`;
    case 'commander.unknownOption':
      return `${name}: is not an option of this command (see --help), got ${name}`;
    case 'commander.unknownCommand':
      return `command: must be one of ${commands}, got ${formatGot(quoted)}`;
    case 'commander.excessArguments':
      return `arguments: too many (see --help), got ${formatGot(e.message.replace(/^error:\s*/, ''))}`;
    default:
      return `schedgpu: ${e.message.replace(/^error:\s*/, '')}`;
  }
}

export async function main(
  argv: string[],
  io: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') },
): Promise<number> {
  const program = new Command('schedgpu')
    .description(
      'Evaluate training schedules (lr, weight decay, momentum, EMA, ...) for thousands of configs at once, on WebGPU or the CPU.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: () => {},
    });

  program
    .command('eval')
    .description('evaluate every spec in a file over --steps steps: a schedules x steps table')
    .argument('<spec-file>', 'YAML or JSON file: one spec or a list of specs')
    .addOption(
      new Option('--steps <n>', "steps per schedule (value at step t = the framework's value after t updates)"),
    )
    .addOption(
      new Option('--backend <name>', 'auto (webgpu if an adapter exists, else cpu), cpu (f64) or webgpu (f32)').default(
        'auto',
      ),
    )
    .addOption(
      new Option(
        '--out <file>',
        'write the table: .npy (float64 from cpu, float32 from webgpu), .csv (one row per step) or .json; without it, print a summary',
      ),
    )
    .addOption(new Option('--workers <n>', 'cpu backend: worker threads (default: all cores)'))
    .addOption(
      new Option('--values-per-invocation <n>', 'webgpu backend: consecutive steps per shader invocation (default 32)'),
    )
    .addOption(
      new Option('--precision <p>', 'webgpu backend: standard (f32) or high (double-float arithmetic, float64 out)'),
    )
    .option('--quiet', 'no progress bar')
    .action((file, opts) => evalCommand(file, opts, io));

  program
    .command('validate')
    .description(
      'check a spec file without evaluating it; with --steps also refuse configs the framework would refuse at some step',
    )
    .argument('<spec-file>', 'YAML or JSON file: one spec or a list of specs')
    .addOption(new Option('--steps <n>', 'also check that every step of a run this long can be evaluated'))
    .action((file, opts) => validateCommand(file, opts, io));

  program
    .command('sweep')
    .description(
      'evaluate every variant of a sweep file into DIR/table.npy, params.csv, manifest.json and status.log, tile by tile',
    )
    .argument('<sweep-file>', 'YAML or JSON: steps, base or bases, grid / zip / random')
    .addOption(new Option('--out <dir>', 'output directory (created if missing)'))
    .addOption(new Option('--backend <name>', 'auto, cpu or webgpu').default('auto'))
    .addOption(
      new Option('--dtype <type>', "stored values: f32 or f64 (f64 needs the cpu backend; default: the backend's own)"),
    )
    .option('--resume', 'continue the sweep in --out after an interruption (recomputes only missing or torn tiles)')
    .addOption(
      new Option('--shard <i/n>', 'evaluate only the i-th of n contiguous blocks of schedules (join them with merge)'),
    )
    .addOption(new Option('--tile-values <n>', 'values per tile (default 4194304)'))
    .addOption(new Option('--workers <n>', 'cpu backend: worker threads (default: all cores)'))
    .addOption(
      new Option('--precision <p>', 'webgpu backend: standard (f32) or high (double-float arithmetic, float64 out)'),
    )
    .option('--quiet', 'no progress bar')
    .action((file, opts) => sweepCommand(file, opts, io, VERSION));

  program
    .command('merge')
    .description('join the shard directories of one sweep into OUT')
    .argument('<out>', 'output directory')
    .argument('<dir...>', 'shard directories (all shards of one sweep)')
    .action((out, dirs) => mergeCommand(out, dirs, io));

  program
    .command('triggers')
    .description("print each trigger's firing updates (1-based, as the trainer counts them), compressed into runs")
    .argument('<spec-file>', 'YAML or JSON file: trigger specs (PAMIQ interval schedulers, noether PeriodicCallback)')
    .addOption(new Option('--steps <n>', 'updates in the run'))
    .action((file, opts) => triggersCommand(file, opts, io));

  program
    .command('stats')
    .description(
      'per schedule: first, last, min, max, argmin, argmax, mean, sum, discontinuities, values --at steps, sums over --window ranges (reduced on the GPU, no table read back)',
    )
    .argument('<spec-or-sweep-file>', 'a spec file (with --steps) or a sweep file')
    .addOption(new Option('--steps <n>', 'steps per schedule (spec files)'))
    .addOption(new Option('--at <steps>', 'comma-separated steps whose value to report'))
    .addOption(new Option('--window <a:b>', 'also report the sum over steps a .. b-1 (repeatable)').argParser(collect))
    .addOption(new Option('--out <file>', 'write .csv, .json or .parquet (default: CSV on stdout)'))
    .addOption(new Option('--backend <name>', 'auto, cpu or webgpu').default('auto'))
    .action((file, opts) => statsCommand(file, opts, io));

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
    .addOption(new Option('--top <n>', 'print the best n (default 20)'))
    .addOption(new Option('--at <s>', 'predict the loss after s updates (default: the whole run)'))
    .addOption(new Option('--curve <id>', 'print the predicted loss curve of one schedule instead'))
    .addOption(new Option('--steps <n>', 'steps per schedule (spec files)'))
    .addOption(new Option('--backend <name>', 'auto, cpu or webgpu').default('auto'))
    .action((file, opts) => rankCommand(file, opts, io));

  program
    .command('plot')
    .description('draw every curve of a spec or sweep file in one chart (many curves: percentile bands), SVG or PNG')
    .argument('<spec-or-sweep-file>', 'a spec file (with --steps) or a sweep file')
    .addOption(new Option('--steps <n>', 'steps per schedule (spec files)'))
    .addOption(new Option('--out <file>', 'curves.svg or curves.png'))
    .option('--log-y', 'logarithmic value axis')
    .addOption(new Option('--select <ids>', 'comma-separated ids drawn as lines over the bands'))
    .option('--stats', "add each curve's min and max to the legend")
    .addOption(new Option('--field <name>', 'the y axis title: the scheduled field (default lr)'))
    .addOption(new Option('--width <px>', 'chart width in pixels (default 800)'))
    .addOption(new Option('--backend <name>', 'auto, cpu or webgpu').default('auto'))
    .action((file, opts) => plotCommand(file, opts, io));

  program
    .command('schema')
    .description('print the JSON Schema of spec and sweep files (for editors: yaml-language-server, VS Code)')
    .action(() => io.out(JSON.stringify(specJsonSchema(), null, 1)));

  program
    .command('kinds')
    .description('list the supported schedule kinds')
    .option('--markdown', 'as a markdown table')
    .option('--json', 'as JSON')
    .action((opts) => kindsCommand(opts, io));

  try {
    if (argv.length === 0)
      throw new SpecError('command', `is required (one of ${commandNames(program)}; see --help)`, undefined);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      io.err(commanderLine(e, commandNames(program)));
      return 2;
    }
    if (e instanceof SpecError) {
      io.err(e.message);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(e instanceof RuntimeFailure ? `schedgpu: ${message}` : `schedgpu: internal error: ${message}`);
    if (process.env.SCHEDGPU_DEBUG && e instanceof Error) io.err(e.stack ?? '');
    return 1;
  }
}
