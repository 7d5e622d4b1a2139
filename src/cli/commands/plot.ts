/** `schedgpu plot`: every curve of a spec or sweep file in one chart, SVG or PNG. */
import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { createBackend } from '../../backends/index.js';
import { SpecError } from '../../errors.js';
import { chartSpec, facetGroups, facetSpec, renderSvg } from '../../plot/chart.js';
import { normalizeRows, peakSpan, spanSuggestion } from '../../plot/scales.js';
import { ColumnReducer } from '../../plot/downsample.js';
import { renderPng } from '../../plot/png.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadPlan } from '../load.js';
import { backendOption, outOption, readBackend, readOutFile, SPEC_FILE_STEPS, stepsOption } from '../options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('plot')
    .description('draw every curve of a spec or sweep file in one chart (many curves: percentile bands), SVG or PNG')
    .argument('<spec-or-sweep-file>', 'a spec file (with --steps) or a sweep file')
    .addOption(stepsOption(SPEC_FILE_STEPS))
    .addOption(outOption('curves.svg or curves.png'))
    .option('--log-y', 'logarithmic value axis')
    .addOption(new Option('--select <ids>', 'comma-separated ids drawn as lines over the bands'))
    .option('--stats', "add each curve's min and max to the legend")
    .addOption(
      new Option('--field <name>', "the y axis title: the scheduled field (default: the specs' output, else lr)"),
    )
    .addOption(new Option('--width <px>', 'chart width in pixels (default 800)'))
    .option('--normalize', 'divide each curve by its own max |value| (curves of very different scales)')
    .addOption(new Option('--facet <by>', 'kind: one chart per kind (small multiples)'))
    .addOption(backendOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu plot examples/warmup-cosine.yaml --steps 10000 --backend cpu --out lr.svg',
        'schedgpu plot examples/quick-sweep.yaml --backend cpu --log-y --out sweep.png',
        'schedgpu plot examples/quick-sweep.yaml --backend cpu --select lwcd-0.001-w0.0333 --out one.svg',
      ]),
    )
    .action((file: string, opts: Opts) => plotCommand(file, opts, io));
}

async function plotCommand(file: string, opts: Opts, io: Io): Promise<void> {
  if (typeof opts.out !== 'string') throw new SpecError('--out', 'is required (curves.svg or curves.png)', undefined);
  const out = opts.out;
  const format = readOutFile(out, ['svg', 'png'] as const);
  const width = opts.width === undefined ? 800 : Number(opts.width);
  if (!Number.isInteger(width) || width < 100 || width > 4000)
    throw new SpecError('--width', 'must be an integer in [100, 4000] (pixels)', opts.width);
  if (opts.facet !== undefined && opts.facet !== 'kind')
    throw new SpecError('--facet', 'must be kind (one chart per kind)', opts.facet);
  const { plan, outputs } = loadPlan(file, opts.steps, io, true);
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
  const backend = await createBackend(readBackend(opts.backend), { onNotice: io.err, plan });
  try {
    await backend.run(plan, (tile) => reduced.add(tile));
  } finally {
    await backend.dispose();
  }
  const groups = opts.facet === 'kind' ? facetGroups(plan.kinds) : null;
  if (opts.normalize) normalizeRows(reduced);
  else {
    const span = Math.max(...(groups ?? [{ rows: undefined }]).map((g) => peakSpan(reduced, g.rows)));
    const hint = spanSuggestion(span);
    if (hint) io.err(hint);
  }
  const field = typeof opts.field === 'string' ? opts.field : fieldLabel(outputs);
  const chart = {
    ids: plan.ids,
    field: opts.normalize ? `${field} / its max` : field,
    title: `${basename(file)}: ${plan.steps} steps`,
    logY: Boolean(opts.logY),
    select,
    withStats: Boolean(opts.stats),
    width,
  };
  const spec = groups ? facetSpec(reduced, groups, chart) : chartSpec(reduced, chart);
  const svg = await renderSvg(spec);
  const bytes = format === 'svg' ? svg : await renderPng(svg, width);
  writeFileAtomic(out, bytes);
  io.err(`schedgpu: wrote ${out} (${plan.rows} curves x ${plan.steps} steps, ${backend.describe()})`);
}

/** The y axis title from the rows' `output`s (kinds that schedule several quantities), else lr. */
function fieldLabel(outputs: readonly (string | null)[]): string {
  const named = [...new Set(outputs.map((o) => o ?? 'lr'))];
  return named.join(' / ');
}
