/** `schedgpu plot`: every curve of a spec or sweep file in one chart, SVG or PNG. */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { checkBackendChoice, createBackend } from '../backends/index.js';
import { SpecError } from '../errors.js';
import { writeFileAtomic } from '../sinks/atomic-file.js';
import { ColumnReducer } from '../plot/downsample.js';
import { chartSpec, renderSvg } from '../plot/chart.js';
import { renderPng } from '../plot/png.js';
import { loadPlan } from './stats.js';

interface Io {
  out(text: string): void;
  err(text: string): void;
}

type Opts = Record<string, string | boolean | undefined>;

export async function plotCommand(file: string, opts: Opts, io: Io): Promise<void> {
  if (typeof opts.out !== 'string') throw new SpecError('--out', 'is required (curves.svg or curves.png)', undefined);
  const out = opts.out;
  const format = extname(out).toLowerCase();
  if (format !== '.svg' && format !== '.png') throw new SpecError('--out', 'must end in .svg or .png', out);
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SpecError('--out', 'is in a directory that does not exist', out);
  const width = opts.width === undefined ? 800 : Number(opts.width);
  if (!Number.isInteger(width) || width < 100 || width > 4000)
    throw new SpecError('--width', 'must be an integer in [100, 4000] (pixels)', opts.width);
  const { plan } = loadPlan(file, opts.steps, io, true);
  const select =
    typeof opts.select === 'string'
      ? opts.select.split(',').map((id, i) => {
          const row = plan.ids.indexOf(id.trim());
          if (row < 0)
            throw new SpecError(
              ['--select', i],
              `is not an id of the file (${plan.ids.slice(0, 3).join(', ')}, ...)`,
              id,
            );
          return row;
        })
      : undefined;
  const reduced = new ColumnReducer(plan.rows, plan.steps, width);
  const backend = await createBackend(checkBackendChoice(opts.backend ?? 'auto'), { onNotice: io.err, plan });
  try {
    await backend.run(plan, (tile) => reduced.add(tile));
  } finally {
    await backend.dispose();
  }
  const spec = chartSpec(reduced, {
    ids: plan.ids,
    field: typeof opts.field === 'string' ? opts.field : 'lr',
    title: `${basename(file)}: ${plan.steps} steps`,
    logY: Boolean(opts.logY),
    select,
    withStats: Boolean(opts.stats),
    width,
  });
  const svg = await renderSvg(spec);
  const bytes = format === '.svg' ? svg : await renderPng(svg, width);
  writeFileAtomic(out, bytes);
  io.err(`schedgpu: wrote ${out} (${plan.rows} curves x ${plan.steps} steps, ${backend.describe()})`);
}
