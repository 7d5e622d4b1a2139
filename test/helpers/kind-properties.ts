/**
 * The random-config check shared by the per-framework suites: every sampled spec is validated,
 * compiled and evaluated on the CPU against the oracle (a StepError must name the oracle's first
 * raising step), and, with an adapter, on webgpu against the CPU with DESIGN.md's tolerance.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { CpuBackend } from '../../src/backends/cpu.js';
import { WebGpuBackend } from '../../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../../src/backends/webgpu/device.js';
import { SpecError, StepError } from '../../src/errors.js';
import { F32_MAX, planMagnitude } from '../../src/plan/bounds.js';
import { compilePlan } from '../../src/plan/compile.js';
import { FrameworkError, runValueAt } from '../../src/oracle/index.js';
import { collectTable } from '../../src/sinks/table.js';
import { validateSpecs } from '../../src/spec/validate.js';
import { sameJumps, worstRelativeError } from './compare.js';

export interface Tally {
  evaluated: number;
  refusedAtStep: number;
  invalid: number;
  values: number;
  /** Largest |plan - oracle| / max|oracle|. */
  planWorst: number;
  planWhere: string;
  /** Largest |webgpu - cpu| / max|cpu| (null without an adapter). */
  gpuWorst: number | null;
  gpuWhere: string;
  byKind: Map<string, number>;
}

const cpu = new CpuBackend({ workers: 1 });

export async function checkRandomSpecs(
  arb: fc.Arbitrary<[Record<string, unknown>, number]>,
  numRuns: number,
  seed: number,
  gpu: GpuHandle | null,
  planTol = 1e-12,
  gpuTol = 1e-6,
): Promise<Tally> {
  const tally: Tally = {
    evaluated: 0,
    refusedAtStep: 0,
    invalid: 0,
    values: 0,
    planWorst: 0,
    planWhere: '',
    gpuWorst: gpu ? 0 : null,
    gpuWhere: '',
    byKind: new Map(),
  };
  const webgpu = gpu ? new WebGpuBackend(gpu.device) : null;
  for (const [raw, steps] of fc.sample(arb, { numRuns, seed })) {
    const label = `${JSON.stringify(raw)} over ${steps} steps`;
    let runs;
    try {
      runs = validateSpecs(raw).runs;
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      tally.invalid++;
      continue;
    }
    const run = runs[0];
    let plan;
    try {
      plan = compilePlan(runs, steps);
    } catch (e) {
      if (!(e instanceof StepError)) throw e;
      for (let t = 0; t < e.step; t++) runValueAt(run, t, steps);
      expect(() => runValueAt(run, e.step, steps), `${label}: oracle at refused step ${e.step}`).toThrow(
        FrameworkError,
      );
      tally.refusedAtStep++;
      continue;
    }
    const table = await collectTable(plan, cpu);
    const ref = Float64Array.from({ length: steps }, (_, t) => runValueAt(run, t, steps));
    const planErr = worstRelativeError(table.values, ref);
    if (!(planErr.worst <= planTol))
      expect.fail(`${label}: step ${planErr.at}: plan ${table.values[planErr.at]}, oracle ${ref[planErr.at]}`);
    if (planErr.worst > tally.planWorst) tally.planWhere = `${label} at step ${planErr.at}`;
    tally.planWorst = Math.max(tally.planWorst, planErr.worst);
    if (webgpu && planMagnitude(plan) < F32_MAX) {
      const g = await collectTable(plan, webgpu);
      const gpuErr = worstRelativeError(g.values, table.values);
      if (!(gpuErr.worst <= gpuTol))
        expect.fail(
          `${label}: step ${gpuErr.at}: webgpu ${g.values[gpuErr.at]}, cpu ${table.values[gpuErr.at]} (${gpuErr.worst.toExponential(2)} x max)`,
        );
      const jumps = sameJumps(g.values, table.values, gpuTol * gpuErr.scale + 1e-30);
      if (jumps) expect.fail(`${label}: ${jumps}`);
      if (gpuErr.worst > (tally.gpuWorst ?? 0)) tally.gpuWhere = `${run.spec.kind} (${label}) at step ${gpuErr.at}`;
      tally.gpuWorst = Math.max(tally.gpuWorst ?? 0, gpuErr.worst);
    }
    tally.values += steps;
    tally.evaluated++;
    tally.byKind.set(run.spec.kind, (tally.byKind.get(run.spec.kind) ?? 0) + 1);
  }
  return tally;
}

export function describeTally(name: string, numRuns: number, seed: number, t: Tally): string {
  return (
    `${name}: ${numRuns} random specs (seed ${seed}): ${t.evaluated} evaluated (${t.values} values), ` +
    `${t.refusedAtStep} refused at a step, ${t.invalid} invalid; plan vs oracle worst ${t.planWorst.toExponential(2)} x max|v| (${t.planWhere})` +
    (t.gpuWorst === null
      ? ', no webgpu adapter'
      : `; webgpu vs cpu worst ${t.gpuWorst.toExponential(2)} x max|v| (${t.gpuWhere})`)
  );
}

/** The one-line message with which validating `spec` is refused (a SpecError); fails the test if it is accepted. */
export function refusedMessage(spec: unknown): string {
  try {
    validateSpecs(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  return expect.fail(`accepted ${JSON.stringify(spec)}`);
}

/** The step at which compiling `spec` over `steps` is refused (a StepError), or undefined. */
export function refusedStep(spec: unknown, steps: number): number | undefined {
  try {
    compilePlan(validateSpecs(spec).runs, steps);
  } catch (e) {
    if (e instanceof StepError) return e.step;
    throw e;
  }
  return undefined;
}

/** The oracle's and the CPU plan's values, [oracle, plan], at steps `at` of a run of `steps`. */
export async function oracleAndPlanAt(spec: unknown, steps: number, at: number[]): Promise<[number, number][]> {
  const runs = validateSpecs(spec).runs;
  const table = await collectTable(compilePlan(runs, steps), new CpuBackend({ workers: 1 }));
  return at.map((t) => [runValueAt(runs[0], t, steps), table.values[t]]);
}
