/** `schedgpu sweep <sweep-file> --out DIR`: every variant into DIR/table.npy, resumable, in shards. */
import { existsSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { createBackend } from '../../backends/index.js';
import type { Backend, Dtype } from '../../backends/types.js';
import { SpecError } from '../../errors.js';
import { readSpecFile } from '../../spec/parse.js';
import { checkShard, runSweep, SweepInterrupted } from '../../sweep/run.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { warnSweep } from '../load.js';
import {
  backendOption,
  precisionOption,
  quietOption,
  readBackend,
  readPositiveInt,
  readPrecision,
  workersOption,
  exactOption,
} from '../options.js';
import { progressBar } from '../progress.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io, version }: CommandContext): void {
  program
    .command('sweep')
    .description(
      'evaluate every variant of a sweep file into DIR/table.npy, params.csv, manifest.json and status.log, tile by tile',
    )
    .argument('<sweep-file>', 'YAML or JSON: steps, base or bases, grid / zip / random')
    .addOption(new Option('--out <dir>', 'output directory (created if missing)'))
    .addOption(backendOption())
    .addOption(
      new Option('--dtype <type>', "stored values: f32 or f64 (f64 needs the cpu backend; default: the backend's own)"),
    )
    .option('--resume', 'continue the sweep in --out after an interruption (recomputes only missing or torn tiles)')
    .addOption(
      new Option('--shard <i/n>', 'evaluate only the i-th of n contiguous blocks of schedules (join them with merge)'),
    )
    .addOption(new Option('--tile-values <n>', 'values per tile (default 4194304)'))
    .addOption(workersOption())
    .addOption(exactOption())
    .addOption(precisionOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu sweep examples/quick-sweep.yaml --out sweep-out --backend cpu',
        'schedgpu sweep examples/quick-sweep.yaml --out sweep-out --backend cpu --resume',
        'schedgpu sweep examples/quick-sweep.yaml --out sweep-f32 --backend cpu --dtype f32 --quiet',
      ]),
    )
    .action((file: string, opts: Opts) => sweepCommand(file, opts, io, version));
}

function readDtype(raw: unknown): Dtype | undefined {
  if (raw === undefined) return undefined;
  const dtype = ({ f32: 'float32', float32: 'float32', f64: 'float64', float64: 'float64' } as const)[String(raw)];
  if (!dtype) throw new SpecError('--dtype', 'must be f32 or f64', raw);
  return dtype;
}

async function sweepCommand(file: string, opts: Opts, io: Io, version: string): Promise<void> {
  const outDir = opts.out as string | undefined;
  if (outDir === undefined) throw new SpecError('--out', 'is required (a directory)', undefined);
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new SpecError('--out', 'is a file, not a directory', outDir);
  const choice = readBackend(opts.backend);
  const dtype = readDtype(opts.dtype);
  const shard = opts.shard !== undefined ? checkShard(String(opts.shard)) : undefined;
  const tileValues = readPositiveInt('--tile-values', opts.tileValues);
  const raw = readSpecFile(file);
  // an f64 table from webgpu needs its double-float arithmetic
  const precision = readPrecision(opts.precision) ?? (dtype === 'float64' ? 'high' : 'standard');
  const workers = readPositiveInt('--workers', opts.workers);
  const exact = Boolean(opts.exact);
  // the backend is picked once the plan is compiled: auto takes the cpu for a plan the adapter
  // cannot hold or values beyond float32
  let backend: Backend | null = null;
  const started = performance.now();
  const progress: { bar: ReturnType<typeof progressBar> | null } = { bar: null };
  // the first Ctrl-C / SIGTERM stops after the tile in hand (the manifest flushed); a second one
  // exits at once, which the manifest survives too (it is only ever replaced whole)
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      io.err(`schedgpu: ${signal} again: exiting now; continue with --resume`);
      process.exit(EXIT_OF_SIGNAL[signal]);
    }
    io.err(`schedgpu: ${signal}: stopping after the tile in hand (again to exit at once)`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runSweep(raw, {
      outDir,
      backend: async (plan) =>
        (backend = await createBackend(choice, { onNotice: io.err, workers, exact, precision, plan })),
      dtype,
      // auto finishes on the cpu when the gpu goes away mid-run; webgpu stops for --resume on a new device
      onDeviceLost:
        choice === 'auto'
          ? async () => {
              const lost = backend;
              backend = await createBackend('cpu', { workers, exact });
              await lost?.dispose();
              return backend;
            }
          : undefined,
      resume: Boolean(opts.resume),
      shard,
      tileValues,
      version,
      onNotice: io.err,
      signal: stop.signal,
      onProgress(p) {
        progress.bar ??= progressBar('sweep', p.valuesTotal, Boolean(opts.quiet));
        progress.bar.update(p.valuesDone, `${p.tilesDone}/${p.tilesTotal} tiles`);
      },
    });
    progress.bar?.stop();
    const m = result.manifest;
    warnSweep(result.expanded, io);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const reused = result.tilesReused ? `, ${result.tilesReused} tiles kept from before` : '';
    io.err(
      `schedgpu: wrote ${outDir}/table.npy (${m.table.rows} schedules x ${m.table.steps} steps, ${m.table.dtype}, ` +
        `${result.tilesComputed} tiles computed${reused}, ${result.backend.describe()}, ${seconds} s)`,
    );
  } catch (e) {
    if (e instanceof SweepInterrupted) {
      progress.bar?.stop();
      const again = ['schedgpu', ...process.argv.slice(2), ...(opts.resume ? [] : ['--resume'])].map(shellWord);
      throw Object.assign(new SweepInterrupted(e.reason, e.tilesDone, e.tilesTotal), {
        message: `${e.message}; continue with: ${again.join(' ')}`,
        exitCode: EXIT_OF_SIGNAL[e.reason as NodeJS.Signals] ?? 1,
      });
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.bar?.stop();
    await (backend as Backend | null)?.dispose();
  }
}

/** 128 + the signal's number, as a shell reports a process the signal ended. */
const EXIT_OF_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
