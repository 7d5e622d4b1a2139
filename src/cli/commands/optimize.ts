/**
 * `schedgpu optimize`: the free-form non-increasing schedule (after a linear warmup) that minimises
 * the fitted multi-power law's predicted final loss; written as a table (.npy or .csv) and as a spec
 * file (a noether CustomSchedule listing every value, and the best member of --family, if given).
 */
import { Option, type Command } from 'commander';
import { SpecError } from '../../errors.js';
import { createBackend } from '../../backends/index.js';
import { extname } from 'node:path';
import { searchFamily, type FamilySearch } from '../../laws/family.js';
import { optimizeMplSchedule } from '../../laws/optimize.js';
import { readSpecFile } from '../../spec/parse.js';
import { writeFileAtomic } from '../../sinks/atomic-file.js';
import { npyHeader } from '../../sinks/npy-header.js';
import { readable } from '../columns.js';
import { examples } from '../help-examples.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { backendOption, readBackend, readOutFile, readPositiveInt } from '../options.js';
import { loadParamsFile } from './predict.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('optimize')
    .description(
      "the non-increasing schedule after a linear warmup that minimises a fitted multi-power law's final loss",
    )
    .addOption(new Option('--params <file>', 'params.json of an mpl fit').makeOptionMandatory())
    .addOption(new Option('--steps <n>', 'run length T').makeOptionMandatory())
    .addOption(new Option('--peak <lr>', 'the lr at the end of the warmup').makeOptionMandatory())
    .addOption(new Option('--warmup <n>', 'linear warmup steps from 0 to the peak (default 0)'))
    .addOption(new Option('--min-lr <x>', 'floor of the lr (default 1e-10)'))
    .addOption(new Option('--max-iterations <n>', 'L-BFGS iterations (default 500)'))
    .addOption(
      new Option(
        '--family <file>',
        "a sweep (or spec) file of --steps steps: its best member, refined within the sweep's numeric ranges, and the gap",
      ),
    )
    .addOption(new Option('--out <file>', 'best.npy or best.csv: the lr at steps 0..T-1').makeOptionMandatory())
    .addOption(
      new Option(
        '--spec-out <file>',
        'a spec file (.yaml or .json) reproducing the optimum (and the best family member) (default: --out as .yaml)',
      ),
    )
    .addOption(backendOption())
    .addHelpText(
      'after',
      examples([
        'schedgpu optimize --params examples/laws/params-mpl-25m.json --steps 2000 --peak 3e-4 --warmup 200 --min-lr 1e-6 --max-iterations 50 --out best.npy',
        'schedgpu optimize --params examples/laws/params-mpl-25m.json --steps 4000 --peak 3e-4 --warmup 400 --max-iterations 50 --out best.csv',
        'schedgpu optimize --params examples/laws/params-mpl-25m.json --steps 24000 --peak 3e-4 --warmup 2160 --max-iterations 20 --family examples/laws/wsd-family.yaml --backend cpu --out best.npy',
      ]),
    )
    .action((opts: Opts) => optimizeCommand(opts, io));
}

function positive(flag: string, raw: unknown): number {
  const n = Number(raw);
  if (String(raw).trim() === '' || !(n > 0) || !Number.isFinite(n))
    throw new SpecError(flag, 'must be a positive number', raw);
  return n;
}

async function optimizeCommand(opts: Opts, io: Io): Promise<void> {
  const { law, theta } = loadParamsFile(String(opts.params));
  if (law.name !== 'mpl')
    throw new SpecError('--params', 'must hold an mpl fit (optimize uses the multi-power law)', law.name);
  const out = String(opts.out);
  const ext = readOutFile(out, ['npy', 'csv']);
  const specOut = opts.specOut === undefined ? out.slice(0, out.length - extname(out).length) + '.yaml' : String(opts.specOut);
  const specExt = readOutFile(specOut, ['yaml', 'yml', 'json'], '--spec-out');
  const steps = readPositiveInt('--steps', opts.steps)!;
  const peak = positive('--peak', opts.peak);
  const warmup = opts.warmup === undefined ? 0 : Number(opts.warmup);
  if (!Number.isInteger(warmup) || warmup < 0 || warmup >= steps)
    throw new SpecError('--warmup', `must be an integer in [0, ${steps - 1}]`, opts.warmup);
  const minLr = opts.minLr === undefined ? 1e-10 : positive('--min-lr', opts.minLr);
  if (minLr >= peak) throw new SpecError('--min-lr', 'must be below --peak', opts.minLr);
  if (steps < 2) throw new SpecError('--steps', 'must be at least 2', opts.steps);
  const maxIterations = readPositiveInt('--max-iterations', opts.maxIterations);
  const backendChoice = readBackend(opts.backend);
  // the family is read, checked and searched before the (long) optimisation
  let family: FamilySearch | null = null;
  let familySeconds = 0;
  if (opts.family !== undefined) {
    const file = String(opts.family);
    const raw = readSpecFile(file);
    const t0 = performance.now();
    const backend = await createBackend(backendChoice, { onNotice: io.err });
    try {
      family = await searchFamily(raw, steps, theta, backend, { onNotice: io.err });
    } finally {
      await backend.dispose();
    }
    familySeconds = (performance.now() - t0) / 1000;
    for (const w of family.warnings.slice(0, 20)) io.err(`schedgpu: warning: ${w}`);
  }
  const t0 = performance.now();
  const r = optimizeMplSchedule(theta, { steps, peak, warmup, minLr, maxIterations });
  const seconds = (performance.now() - t0) / 1000;
  const specs = [{ id: 'optimum', kind: 'CustomSchedule', values: Array.from(r.lr) }, ...(family ? [family.refined.spec] : [])];
  const specText =
    specExt === 'json'
      ? JSON.stringify(specs) + '\n'
      : `# schedgpu optimize: the free-form optimum (id optimum: its lr at every step 0..${steps - 1})` +
        (family ? ` and the best member of ${String(opts.family)} (id ${family.refined.id})` : '') +
        `; evaluate with --steps ${steps}\n` +
        specs.map((spec) => `- ${JSON.stringify(spec)}`).join('\n') +
        '\n';
  if (ext === 'npy')
    writeFileAtomic(
      out,
      Buffer.concat([npyHeader('float64', [steps]), new Uint8Array(r.lr.buffer, r.lr.byteOffset, r.lr.byteLength)]),
    );
  else writeFileAtomic(out, 'step,lr\n' + Array.from(r.lr, (v, t) => `${t},${v}`).join('\n') + '\n');
  writeFileAtomic(specOut, specText);
  io.out(`predicted final loss ${r.loss} (constant lr after the warmup: ${readable(r.startLoss)})`);
  io.out(
    `best standard schedule: ${r.bestStandard.name}, predicted ${r.bestStandard.loss} (${gap(r.bestStandard.loss - r.loss)})`,
  );
  if (family) {
    const { listed, refined } = family;
    io.out(
      `best of ${family.count} in ${String(opts.family)}: ${listed.id}, predicted ${listed.loss} (${gap(listed.loss - r.loss)})`,
    );
    if (family.refinedParams.length)
      io.out(
        `best in the family's ranges of ${family.refinedParams.join(', ')}: ${refined.id} (${describeParams(refined.params, family.refinedParams)}), predicted ${refined.loss} (${gap(refined.loss - r.loss)})`,
      );
    if (family.skipped > 0)
      io.err(`schedgpu: ${family.skipped} schedules of the family skipped: their lr is not > 0 after step 0`);
    io.err(
      `schedgpu: family: ${family.count} schedules and ${family.candidates} refinement candidates in ${family.rounds} rounds, ${familySeconds.toFixed(1)} s`,
    );
  }
  io.err(
    `schedgpu: optimised ${steps - warmup} decrements in ${r.iterations} iterations (${r.reason}), ${seconds.toFixed(1)} s -> ${out}, ${specOut}`,
  );
}

/** The free-form optimum's gap to another schedule's loss; higher when it stopped short (few iterations). */
function gap(d: number): string {
  return d >= 0 ? `the optimum is ${readable(d)} lower` : `the optimum is ${readable(-d)} higher: more --max-iterations`;
}

function describeParams(params: Record<string, unknown>, names: readonly string[]): string {
  return names.map((n) => `${n}=${String(params[n])}`).join(' ');
}
