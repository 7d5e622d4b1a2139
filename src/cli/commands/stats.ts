/**
 * `schedgpu stats`: numbers per schedule (first, last, min, max, mean, sums, values at steps),
 * reduced where the values are computed, on a spec or sweep file.
 */
import { Option, type Command } from 'commander';
import { createBackend } from '../../backends/index.js';
import { SpecError } from '../../errors.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import { csvRecord } from '../../sinks/csv.js';
import type { Range, RowStats } from '../../stats/define.js';
import { stats } from '../../stats/index.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { backendOption, outOption, readBackend, readOutFile, SPEC_FILE_STEPS, stepsOption } from '../options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('stats')
    .description(
      'per schedule: first, last, min, max, argmin, argmax, mean, sum, discontinuities, values --at steps, sums over --window ranges (reduced on the GPU, no table read back)',
    )
    .argument('<spec-or-sweep-file>', 'a spec file (with --steps) or a sweep file')
    .addOption(stepsOption(SPEC_FILE_STEPS))
    .addOption(new Option('--at <steps>', 'comma-separated steps whose value to report'))
    .addOption(
      new Option('--window <a:b>', 'also report the sum over steps a .. b-1 (repeatable)').argParser(
        (value: string, previous: string[] = []) => [...previous, value],
      ),
    )
    .addOption(outOption('write .csv, .json or .parquet (default: CSV on stdout)'))
    .addOption(backendOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu stats examples/warmup-cosine.yaml --steps 10000 --at 0,5000,9999 --backend cpu',
        'schedgpu stats examples/quick-sweep.yaml --window 0:1000 --backend cpu --out stats.json',
      ]),
    )
    .action((file: string, opts: Opts) => statsCommand(file, opts, io));
}

function numberList(name: string, raw: unknown): number[] {
  if (raw === undefined) return [];
  return String(raw)
    .split(',')
    .map((part, i) => {
      const n = Number(part);
      if (part.trim() === '' || !Number.isFinite(n)) throw new SpecError([name, i], 'must be a number', part);
      return n;
    });
}

function windows(raw: unknown): Range[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((w, i) => {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(String(w));
    if (!m) throw new SpecError(['--window', i], 'must be a:b (steps a to b - 1)', w);
    return [Number(m[1]), Number(m[2])] as Range;
  });
}

function statsHeader(at: number[], win: Range[]): string[] {
  return [
    'id',
    'first',
    'last',
    'min',
    'argmin',
    'max',
    'argmax',
    'mean',
    'sum',
    'discontinuities',
    ...at.map((s) => `at_${s}`),
    ...win.map(([a, b]) => `sum_${a}_${b}`),
  ];
}

/** One row of numbers per schedule, in header order after the id. */
/** One row of numbers per schedule, in header order after the id. */
function statsNumbers(r: RowStats): number[] {
  return [r.first, r.last, r.min, r.argmin, r.max, r.argmax, r.mean, r.sum, r.discontinuities, ...r.at, ...r.windows];
}

function statsCsv(rows: RowStats[], at: number[], win: Range[]): string {
  return csvRecord(statsHeader(at, win)) + rows.map((r) => csvRecord([r.id, ...statsNumbers(r)])).join('');
}

/** A Parquet table: the id column, then one column per statistic (DOUBLE; counts and steps INT32). */
async function statsParquet(rows: RowStats[], at: number[], win: Range[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const header = statsHeader(at, win);
  const integer = new Set(['argmin', 'argmax', 'discontinuities']);
  const numbers = rows.map(statsNumbers);
  const columnData = [
    { name: 'id', data: rows.map((r) => r.id), type: 'STRING' as const },
    ...header.slice(1).map((name, c) => ({
      name,
      data: numbers.map((n) => n[c]),
      type: integer.has(name) ? ('INT32' as const) : ('DOUBLE' as const),
    })),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

async function statsCommand(file: string, opts: Opts, io: Io): Promise<void> {
  const outKind = typeof opts.out === 'string' ? readOutFile(opts.out, ['csv', 'json', 'parquet'] as const) : null;
  const at = numberList('--at', opts.at);
  const win = windows(opts.window);
  const { plan } = loadPlan(file, opts.steps, io);
  const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
  const started = performance.now();
  let rows: RowStats[];
  try {
    rows = await stats(plan, null, { backend, at, windows: win });
  } finally {
    await backend.dispose();
  }
  if (outKind === 'json')
    writeFileAtomic(
      opts.out as string,
      JSON.stringify(
        rows.map(({ annealing: _, ...r }) => r),
        null,
        1,
      ) + '\n',
    );
  else if (outKind === 'csv') writeFileAtomic(opts.out as string, statsCsv(rows, at, win));
  else if (outKind === 'parquet') writeFileAtomic(opts.out as string, await statsParquet(rows, at, win));
  else io.out(statsCsv(rows, at, win).trimEnd());
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  io.err(`schedgpu: stats of ${plan.rows} schedules x ${plan.steps} steps on ${backend.describe()}, ${seconds} s`);
}
