/** Reading the input file of a command: specs, or a sweep (a mapping with `base` or `bases`). */
import { SpecError } from '../errors.js';
import { compilePlan, type Plan } from '../plan/compile.js';
import { readSpecFile } from '../spec/parse.js';
import { specOutput, validateSpecs, type RunSpec } from '../spec/validate.js';
import { expandSweep, type ExpandedSweep } from '../sweep/expand.js';
import { compileSweepPlan } from '../sweep/plan.js';
import type { Io } from './io.js';
import { readSteps } from './options.js';

/** A sweep file is a mapping with `base` or `bases`; a spec file holds specs (mappings with `kind`). */
export function isSweepFile(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('base' in raw || 'bases' in raw);
}

/** Warnings of a sweep's expansion: the first 20 (a large grid can repeat one thousands of times). */
export function warnSweep(expanded: ExpandedSweep, io: Io): void {
  for (const w of expanded.warnings.slice(0, 20)) io.err(`schedgpu: warning: ${w}`);
}

/** The validated specs of a spec file, its warnings printed. */
export function validRuns(raw: unknown, io: Io): RunSpec[] {
  const { runs, warnings } = validateSpecs(raw);
  for (const w of warnings) io.err(`schedgpu: warning: ${w}`);
  return runs;
}

export function loadRuns(file: string, io: Io): RunSpec[] {
  return validRuns(readSpecFile(file), io);
}

export interface Loaded {
  plan: Plan;
  /** Swept parameter values per row (sweep files), for printing rankings. */
  params: Record<string, unknown>[] | null;
  paramNames: string[];
  /** Each row's `output` where its kind schedules several quantities, else null. */
  outputs: (string | null)[];
}

/** A spec file (needs --steps) or a sweep file (steps inside; one run length for every variant unless `ragged`). */
export function loadPlan(file: string, stepsOpt: unknown, io: Io, ragged = false): Loaded {
  const raw = readSpecFile(file);
  if (isSweepFile(raw)) {
    const expanded = expandSweep(raw);
    warnSweep(expanded, io);
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
      outputs: expanded.variants.map((v) => specOutput(v.run.spec)),
    };
  }
  if (stepsOpt === undefined) throw new SpecError('--steps', 'is required for a spec file', undefined);
  const runs = validRuns(raw, io);
  return {
    plan: compilePlan(runs, readSteps(stepsOpt)),
    params: null,
    paramNames: [],
    outputs: runs.map((r) => specOutput(r.spec)),
  };
}
