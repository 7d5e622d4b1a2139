/**
 * `schedgpu predict`: a fitted law's loss curve for every schedule of a runs file or a spec/sweep
 * file, and for runs with a loss file, the error of the prediction.
 */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createBackend } from '../../backends/index.js';
import { Shown, SpecError } from '../../errors.js';
import { curveMetrics, type CurveMetrics } from '../../laws/fit.js';
import { readParams } from '../../laws/registry.js';
import { readRunsFile } from '../../laws/runs-file.js';
import type { Law } from '../../laws/types.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import { csvRecord } from '../../sinks/csv.js';
import { npyHeader } from '../../sinks/npy-header.js';
import { collectTable } from '../../sinks/table.js';
import { readSpecFile } from '../../spec/parse.js';
import { printColumns, readable } from '../columns.js';
import { examples } from '../help-examples.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { readOutFile, SPEC_FILE_STEPS, stepsOption } from '../options.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('predict')
    .description(
      "a fitted loss law's predicted loss curve of every schedule (and its error where a loss file is given)",
    )
    .argument('<file>', 'a runs file (as for fit), or a spec or sweep file')
    .addOption(new Option('--params <file>', 'params.json written by fit').makeOptionMandatory())
    .addOption(
      new Option(
        '--at <steps>',
        "comma-separated steps to predict (default: the loss file's steps, else ~1,000 points)",
      ),
    )
    .addOption(new Option('--out <file>', 'pred.csv, pred.json or pred.npy (runs x steps; default: a summary only)'))
    .addOption(stepsOption(SPEC_FILE_STEPS))
    .addHelpText(
      'after',
      examples([
        'schedgpu predict examples/laws/runs.yaml --params examples/laws/params-mpl-25m.json --out pred.json',
        'schedgpu predict examples/quick-sweep.yaml --params examples/laws/params-mpl-25m.json --at 10000,19999 --out pred.csv',
      ]),
    )
    .action((file: string, opts: Opts) => predictCommand(file, opts, io));
}

/** The law and its parameters from a params.json. */
export function loadParamsFile(path: string): { law: Law; theta: number[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SpecError('--params', code ? `cannot be read (${code})` : 'is not JSON', new Shown(path));
  }
  try {
    return readParams(raw);
  } catch (e) {
    throw e instanceof SpecError ? e.under(['--params']) : e;
  }
}

function isRunsFile(raw: unknown): boolean {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'runs' in raw) return true;
  return (
    Array.isArray(raw) &&
    raw.some((r) => typeof r === 'object' && r !== null && ('lr' in r || 'loss' in r || 'schedule' in r))
  );
}

function readAt(raw: unknown, steps: number): Int32Array | null {
  if (raw === undefined) return null;
  const parts = String(raw).split(',');
  return Int32Array.from(
    parts.map((p) => {
      const n = Number(p);
      if (p.trim() === '' || !Number.isInteger(n) || n < 1 || n >= steps)
        throw new SpecError('--at', `must be steps in [1, ${steps - 1}]`, raw);
      return n;
    }),
  );
}

function defaultAt(steps: number): Int32Array {
  const every = Math.max(1, Math.ceil(steps / 1000));
  const at: number[] = [];
  for (let s = every; s < steps; s += every) at.push(s);
  if (at.at(-1) !== steps - 1) at.push(steps - 1);
  return Int32Array.from(at);
}

interface Predicted {
  id: string;
  lr: Float64Array;
  at: Int32Array;
  pred: Float64Array;
  observed: Float64Array | null;
  metrics: CurveMetrics | null;
}

async function predictCommand(file: string, opts: Opts, io: Io): Promise<void> {
  const { law, theta } = loadParamsFile(String(opts.params));
  const ext = opts.out === undefined ? null : readOutFile(String(opts.out), ['csv', 'json', 'npy']);
  const raw = readSpecFile(file);
  const curves: { id: string; lr: Float64Array; observed: { at: Int32Array; loss: Float64Array } | null }[] = [];
  if (isRunsFile(raw)) {
    if (opts.steps !== undefined) throw new SpecError('--steps', 'is given by the runs file', opts.steps);
    curves.push(...(await readRunsFile(file, false)));
  } else {
    const { plan } = loadPlan(file, opts.steps, io);
    const backend = await createBackend('cpu', { plan });
    try {
      const table = await collectTable(plan, backend);
      for (let r = 0; r < plan.rows; r++)
        curves.push({
          id: plan.ids[r],
          lr: Float64Array.from(table.values.subarray(r * plan.steps, (r + 1) * plan.steps)),
          observed: null,
        });
    } finally {
      await backend.dispose();
    }
    for (const c of curves)
      if (c.lr.some((v, t) => !(t === 0 ? v >= 0 : v > 0)))
        throw new SpecError(c.id, 'the lr must be > 0 after step 0 for the loss laws', 'a value <= 0');
  }
  const results: Predicted[] = curves.map((c) => {
    const at = readAt(opts.at, c.lr.length) ?? c.observed?.at ?? defaultAt(c.lr.length);
    const pred = law.evaluate(theta, law.prepare({ lr: c.lr, at }), false).pred;
    // the error needs the observed loss at the same steps: only when the steps are the loss file's
    const observed = c.observed && opts.at === undefined ? c.observed.loss : null;
    return { id: c.id, lr: c.lr, at, pred, observed, metrics: observed ? curveMetrics(pred, observed) : null };
  });
  if (opts.out !== undefined) {
    const out = String(opts.out);
    if (ext === 'csv') {
      const lines = [csvRecord(['id', 'step', 'lr', 'predicted_loss', 'observed_loss'])];
      for (const r of results)
        r.at.forEach((s, i) => lines.push(csvRecord([r.id, s, r.lr[s], r.pred[i], r.observed ? r.observed[i] : ''])));
      writeFileAtomic(out, lines.join(''));
    } else if (ext === 'npy') {
      const n = results[0].at.length;
      if (results.some((r) => r.at.length !== n || r.at.some((s, i) => s !== results[0].at[i])))
        throw new SpecError(
          '--out',
          '.npy needs the same steps for every schedule (give --at, or use .csv/.json)',
          out,
        );
      const values = new Float64Array(results.length * n);
      results.forEach((r, i) => values.set(r.pred, i * n));
      writeFileAtomic(out, Buffer.concat([npyHeader('float64', [results.length, n]), new Uint8Array(values.buffer)]));
    } else {
      const doc = {
        law: law.name,
        runs: results.map((r) => ({
          id: r.id,
          ...(r.metrics ?? {}),
          steps: [...r.at],
          predicted_loss: [...r.pred],
          ...(r.observed ? { observed_loss: [...r.observed] } : {}),
        })),
      };
      writeFileAtomic(out, JSON.stringify(doc) + '\n');
    }
  }
  printColumns(
    io.out,
    ['id', 'final_step', 'predicted_loss', 'mean_rel_err', 'worst_rel_err', 'r2'],
    results.map((r) => [
      r.id,
      String(r.at.at(-1)),
      readable(r.pred.at(-1)!),
      r.metrics ? readable(r.metrics.mean_rel_err) : '',
      r.metrics ? readable(r.metrics.worst_rel_err) : '',
      r.metrics ? readable(r.metrics.r2) : '',
    ]),
  );
  const withLoss = results.filter((r) => r.metrics);
  if (withLoss.length > 0)
    io.err(
      `schedgpu: ${law.name}: mean relative error over ${withLoss.length} runs ${readable(withLoss.reduce((a, r) => a + r.metrics!.mean_rel_err, 0) / withLoss.length)}`,
    );
}
