/** `schedgpu validate <file>`: check a spec or sweep file without evaluating it. */
import type { Command } from 'commander';
import { compilePlan } from '../../plan/compile.js';
import { readSpecFile } from '../../spec/parse.js';
import { expandSweep } from '../../sweep/expand.js';
import { compileSweepPlan } from '../../sweep/plan.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { isSweepFile, validRuns, warnSweep } from '../load.js';
import { readSteps, stepsOption } from '../options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('validate')
    .description(
      'check a spec file without evaluating it; with --steps also refuse configs the framework would refuse at some step',
    )
    .argument('<spec-file>', 'YAML or JSON file: one spec or a list of specs')
    .addOption(stepsOption('also check that every step of a run this long can be evaluated'))
    .addHelpText(
      'after',
      examples([
        'schedgpu validate examples/warmup-cosine.yaml',
        'schedgpu validate examples/warmup-cosine.yaml --steps 100000',
        'schedgpu validate examples/rank.yaml',
      ]),
    )
    .action((file: string, opts: Opts) => validateCommand(file, opts, io));
}

function validateCommand(file: string, opts: Opts, io: Io): void {
  const raw = readSpecFile(file);
  if (isSweepFile(raw)) {
    // a sweep file: expand and compile every variant (its steps are in the file)
    const expanded = expandSweep(raw);
    warnSweep(expanded, io);
    compileSweepPlan(expanded.variants, expanded.steps);
    io.out(
      `${file}: a sweep of ${expanded.variants.length} valid variants, evaluable over up to ${expanded.steps} steps`,
    );
    return;
  }
  const runs = validRuns(raw, io);
  if (opts.steps !== undefined) compilePlan(runs, readSteps(opts.steps));
  const kinds = [...new Set(runs.map((r) => r.spec.kind.slice(r.spec.kind.lastIndexOf('.') + 1)))];
  const checked = opts.steps !== undefined ? ` and evaluable over ${opts.steps} steps` : '';
  io.out(`${file}: ${runs.length} valid spec${runs.length === 1 ? '' : 's'}${checked} (${kinds.join(', ')})`);
}
