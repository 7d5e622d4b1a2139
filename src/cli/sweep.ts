/** `schedgpu sweep` and `schedgpu merge`. */
import { existsSync, statSync } from 'node:fs';
import { checkBackendChoice, createBackend } from '../backends/index.js';
import type { Backend, Dtype } from '../backends/types.js';
import { SpecError } from '../errors.js';
import { readSpecFile } from '../spec/parse.js';
import { mergeShards } from '../sweep/merge.js';
import { checkShard, runSweep } from '../sweep/run.js';
import { precisionOption } from './options.js';
import { progressBar } from './progress.js';

interface Io {
  out(text: string): void;
  err(text: string): void;
}

function dtypeOption(raw: string | undefined): Dtype | undefined {
  if (raw === undefined) return undefined;
  const dtype = ({ f32: 'float32', float32: 'float32', f64: 'float64', float64: 'float64' } as const)[raw];
  if (!dtype) throw new SpecError('--dtype', 'must be f32 or f64', raw);
  return dtype;
}

export async function sweepCommand(
  file: string,
  opts: Record<string, string | boolean | undefined>,
  io: Io,
  version: string,
): Promise<void> {
  const outDir = opts.out as string | undefined;
  if (outDir === undefined) throw new SpecError('--out', 'is required (a directory)', undefined);
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new SpecError('--out', 'is a file, not a directory', outDir);
  const choice = checkBackendChoice((opts.backend as string | undefined) ?? 'auto');
  const dtype = dtypeOption(opts.dtype as string | undefined);
  const shard = opts.shard !== undefined ? checkShard(String(opts.shard)) : undefined;
  const tileValues = opts.tileValues !== undefined ? Number(opts.tileValues) : undefined;
  if (tileValues !== undefined && !(Number.isSafeInteger(tileValues) && tileValues >= 1))
    throw new SpecError('--tile-values', 'must be a positive integer', opts.tileValues);
  const raw = readSpecFile(file);
  // an f64 table from webgpu needs its double-float arithmetic
  const precision = precisionOption(opts.precision) ?? (dtype === 'float64' ? 'high' : 'standard');
  const workers = opts.workers !== undefined ? Number(opts.workers) : undefined;
  if (workers !== undefined && !(Number.isSafeInteger(workers) && workers >= 1))
    throw new SpecError('--workers', 'must be a positive integer', opts.workers);
  // the backend is picked once the plan is compiled: auto takes the cpu for a plan the adapter
  // cannot hold or values beyond float32
  let backend: Backend | null = null;
  const started = performance.now();
  const progress: { bar: ReturnType<typeof progressBar> | null } = { bar: null };
  try {
    const result = await runSweep(raw, {
      outDir,
      backend: async (plan) => (backend = await createBackend(choice, { onNotice: io.err, workers, precision, plan })),
      dtype,
      resume: Boolean(opts.resume),
      shard,
      tileValues,
      version,
      onNotice: io.err,
      onProgress(p) {
        progress.bar ??= progressBar('sweep', p.valuesTotal, Boolean(opts.quiet));
        progress.bar.update(p.valuesDone, `${p.tilesDone}/${p.tilesTotal} tiles`);
      },
    });
    progress.bar?.stop();
    const m = result.manifest;
    for (const w of result.expanded.warnings.slice(0, 20)) io.err(`schedgpu: warning: ${w}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const reused = result.tilesReused ? `, ${result.tilesReused} tiles kept from before` : '';
    io.err(
      `schedgpu: wrote ${outDir}/table.npy (${m.table.rows} schedules x ${m.table.steps} steps, ${m.table.dtype}, ` +
        `${result.tilesComputed} tiles computed${reused}, ${result.backend.describe()}, ${seconds} s)`,
    );
  } finally {
    progress.bar?.stop();
    await (backend as Backend | null)?.dispose();
  }
}

export function mergeCommand(outDir: string, dirs: string[], io: Io): void {
  const m = mergeShards(outDir, dirs);
  io.err(
    `schedgpu: merged ${dirs.length} shards into ${outDir}/table.npy (${m.table.rows} schedules x ${m.table.steps} steps, ${m.table.dtype})`,
  );
}
