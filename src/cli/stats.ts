/**
 * `schedgpu stats` (numbers per schedule, reduced where the values are computed) and `schedgpu rank`
 * (schedules ordered by the loss the LR-annealing scaling law predicts), on spec or sweep files.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { checkBackendChoice, createBackend } from '../backends/index.js';
import { SpecError } from '../errors.js';
import { checkSteps, compilePlan, type Plan } from '../plan/compile.js';
import { readSpecFile } from '../spec/parse.js';
import { validateSpecs } from '../spec/validate.js';
import type { Range, RowStats } from '../stats/define.js';
import { predictedLossCurve, rank, stats, type LossLaw } from '../stats/index.js';
import { predictedLossCurveOnGpu } from '../stats/scan.js';
import { WebGpuBackend } from '../backends/webgpu/backend.js';
import { printColumns, readable } from './columns.js';
import { writeFileAtomic } from '../sinks/atomic-file.js';
import { csvRecord } from '../sinks/csv.js';
import { expandSweep } from '../sweep/expand.js';
import { compileSweepPlan } from '../sweep/plan.js';

interface Io {
  out(text: string): void;
  err(text: string): void;
}

type Opts = Record<string, string | string[] | boolean | undefined>;

interface Loaded {
  plan: Plan;
  /** Swept parameter values per row (sweep files), for printing rankings. */
  params: Record<string, unknown>[] | null;
  paramNames: string[];
}

function stepsOf(raw: unknown): number {
  return checkSteps(typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw);
}

/** A spec file (needs --steps) or a sweep file (steps inside; one run length for every variant unless `ragged`). */
export function loadPlan(file: string, stepsOpt: unknown, io: Io, ragged = false): Loaded {
  const raw = readSpecFile(file);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('base' in raw || 'bases' in raw)) {
    const expanded = expandSweep(raw);
    for (const w of expanded.warnings.slice(0, 20)) io.err(`schedgpu: warning: ${w}`);
    const lengths = new Set(expanded.variants.map((v) => v.steps));
    if (lengths.size > 1 && !ragged)
      throw new SpecError(
        'steps',
        'stats and rank need one run length for every variant (sweep `steps` is ragged)',
        [...lengths].slice(0, 3).join(', '),
      );
    if (stepsOpt !== undefined) throw new SpecError('--steps', 'is given by the sweep file (`steps`)', stepsOpt);
    return {
      plan: compileSweepPlan(expanded.variants, expanded.steps),
      params: expanded.variants.map((v) => v.params),
      paramNames: expanded.paramNames,
    };
  }
  if (stepsOpt === undefined) throw new SpecError('--steps', 'is required for a spec file', undefined);
  const { runs, warnings } = validateSpecs(raw);
  for (const w of warnings) io.err(`schedgpu: warning: ${w}`);
  return { plan: compilePlan(runs, stepsOf(stepsOpt)), params: null, paramNames: [] };
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

type StatsFormat = 'csv' | 'json' | 'parquet';

function checkStatsOut(path: string): StatsFormat {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.json' && ext !== '.parquet')
    throw new SpecError('--out', 'must end in .csv, .json or .parquet', path);
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SpecError('--out', 'is in a directory that does not exist', path);
  return ext.slice(1) as StatsFormat;
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

async function backendFor(opts: Opts, plan: Plan, io: Io) {
  return createBackend(checkBackendChoice(opts.backend ?? 'auto'), { onNotice: io.err, plan });
}

export async function statsCommand(file: string, opts: Opts, io: Io): Promise<void> {
  const outKind = typeof opts.out === 'string' ? checkStatsOut(opts.out) : null;
  const at = numberList('--at', opts.at);
  const win = windows(opts.window);
  const { plan } = loadPlan(file, opts.steps, io);
  const backend = await backendFor(opts, plan, io);
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

function lawOption(opts: Opts): LossLaw {
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
  if (opts.lambda !== undefined) law.lambda = num('lambda');
  if (law.lambda !== undefined && !(law.lambda > 0 && law.lambda < 1))
    throw new SpecError('--lambda', 'must be in (0, 1)', law.lambda);
  return law;
}

export async function rankCommand(file: string, opts: Opts, io: Io): Promise<void> {
  const law = lawOption(opts);
  const top = opts.top === undefined ? 20 : Number(opts.top);
  if (!Number.isInteger(top) || top < 1) throw new SpecError('--top', 'must be a positive integer', opts.top);
  const { plan, params, paramNames } = loadPlan(file, opts.steps, io);
  const atStep = opts.at === undefined ? plan.steps : Number(opts.at);
  if (!Number.isInteger(atStep) || atStep < 1 || atStep > plan.steps)
    throw new SpecError('--at', `must be a step count in [1, ${plan.steps}]`, opts.at);
  if (typeof opts.curve === 'string') {
    const row = plan.ids.indexOf(opts.curve);
    if (row < 0)
      throw new SpecError('--curve', `is not an id of the file (${plan.ids.slice(0, 3).join(', ')}, ...)`, opts.curve);
    const backend = await backendFor(opts, plan, io);
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
  const backend = await backendFor(opts, plan, io);
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
