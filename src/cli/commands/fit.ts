/** `schedgpu fit`: fit a loss law (multi-power or momentum) to the loss curves of a runs file. */
import { Option, type Command } from 'commander';
import { RuntimeFailure, SpecError } from '../../errors.js';
import { FIT_PROTOCOLS, fitLaw, type FitProtocol } from '../../laws/fit.js';
import { lawByName } from '../../laws/registry.js';
import { readRunsFile } from '../../laws/runs-file.js';
import { renderFitChart } from '../../laws/plot-fit.js';
import { renderPng } from '../../plot/png.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import { printColumns, readable } from '../columns.js';
import { examples } from '../help-examples.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { readOutFile, readPositiveInt } from '../options.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('fit')
    .description(
      "fit a loss law to observed loss curves (Huber loss on log-loss residuals; the MPL paper's protocol or bounded L-BFGS to the minimum)",
    )
    .argument(
      '<runs-file>',
      'YAML/JSON list of runs: {id, loss: csv(step,loss), lr: .npy/.csv | schedule: spec, steps}',
    )
    .addOption(
      new Option(
        '--law <name>',
        'mpl (multi-power law, Luo et al. 2025) or tissue (momentum law, Tissue et al. 2024)',
      ).default('mpl'),
    )
    .addOption(new Option('--out <file>', 'params.json to write').makeOptionMandatory())
    .addOption(
      new Option(
        '--protocol <name>',
        "paper (the MPL paper's grid start and early-stopped AdamW; mpl only) or converge (bounded L-BFGS to the minimum); default paper for mpl, converge for tissue",
      ),
    )
    .addOption(
      new Option(
        '--max-iterations <n>',
        'AdamW steps (paper, default 200) or L-BFGS iterations per start (converge, default 1000)',
      ),
    )
    .addOption(new Option('--plot <file>', 'fit.png or fit.svg: observed against fitted curves'))
    .addHelpText(
      'after',
      examples([
        'schedgpu fit examples/laws/runs.yaml --law tissue --out params.json',
        'schedgpu fit examples/laws/runs.yaml --law tissue --out params.json --plot fit.png',
      ]),
    )
    .action((file: string, opts: Opts) => fitCommand(file, opts, io));
}

async function fitCommand(file: string, opts: Opts, io: Io): Promise<void> {
  const law = lawByName(opts.law, '--law');
  const out = String(opts.out);
  readOutFile(out, ['json']);
  const maxIterations = readPositiveInt('--max-iterations', opts.maxIterations);
  const protocol = readProtocol(opts.protocol, law.name);
  const plot = opts.plot === undefined ? null : String(opts.plot);
  const plotExt = plot === null ? null : readOutFile(plot, ['png', 'svg']).toString();
  if (plot !== null && plot === out) throw new SpecError('--plot', 'must differ from --out', plot);
  const entries = await readRunsFile(file, true);
  const runs = entries.map((e) => ({ id: e.id, lr: e.lr, at: e.observed!.at, loss: e.observed!.loss }));
  const t0 = performance.now();
  const res = fitLaw(law.name, runs, { maxIterations, protocol });
  const seconds = (performance.now() - t0) / 1000;
  if (!res.converged)
    throw new RuntimeFailure(
      `fit: the ${law.name} law did not converge (${res.reason} after ${res.iterations} iterations, objective ${readable(res.objective)}); nothing written`,
    );
  const doc = {
    ...res.params,
    fit: {
      protocol: res.protocol,
      objective: res.objective,
      huber_delta: 1e-3,
      iterations: res.iterations,
      evaluations: res.evaluations,
      seconds,
      runs: res.runs,
    },
  };
  // the chart is rendered before anything is written: a failure leaves neither file
  let chart: string | Buffer | null = null;
  if (plot !== null) {
    const theta = law.params.map((p) => res.params[p] as number);
    const curves = runs.map((r) => ({
      id: r.id,
      at: r.at,
      observed: r.loss,
      fitted: law.evaluate(theta, law.prepare(r), false).pred,
    }));
    const svg = await renderFitChart(curves, `${law.name} fit`);
    chart = plotExt === 'svg' ? svg : await renderPng(svg, 800);
  }
  writeFileAtomic(out, JSON.stringify(doc, null, 2) + '\n');
  if (plot !== null && chart !== null) writeFileAtomic(plot, chart);
  printColumns(
    io.out,
    ['run', 'mean_rel_err', 'worst_rel_err', 'r2'],
    res.runs.map((r) => [r.id, readable(r.mean_rel_err), readable(r.worst_rel_err), readable(r.r2)]),
  );
  io.err(
    `schedgpu: fitted ${law.name} (${law.params.map((p) => `${p}=${readable(res.params[p] as number)}`).join(', ')}) ` +
      `in ${res.iterations} ${res.protocol === 'paper' ? 'AdamW steps' : 'iterations'}, ${seconds.toFixed(1)} s -> ${out}`,
  );
}

function readProtocol(raw: unknown, law: string): FitProtocol | undefined {
  if (raw === undefined) return undefined;
  if (!FIT_PROTOCOLS.includes(raw as FitProtocol))
    throw new SpecError('--protocol', `must be one of ${FIT_PROTOCOLS.join(', ')}`, raw);
  if (raw === 'paper' && law !== 'mpl')
    throw new SpecError(
      '--protocol',
      "paper is the multi-power law paper's protocol; use converge with --law tissue",
      raw,
    );
  return raw as FitProtocol;
}
