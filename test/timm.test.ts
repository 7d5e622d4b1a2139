/**
 * timm: the real values (shared/golden/timm.json) against the oracle, the plan on the CPU and
 * webgpu; the framework's refusals (rejects.json); random specs on the oracle, the CPU plan and webgpu.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { SpecError, StepError } from '../src/errors.js';
import { compilePlan } from '../src/plan/compile.js';
import { FrameworkError, runValueAt, valueAt } from '../src/reference/index.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { timmRunLength, timmSpec } from './helpers/arbitraries-timm.js';
import { sameJumps, worstRelativeError } from './helpers/compare.js';
import { caseSteps, loadGolden, loadRejects, maxAbs } from './helpers/golden.js';
import { gpuForTests } from './helpers/gpu.js';

const cases = loadGolden('timm');
const rejects = loadRejects('timm');
const LINE = /^\S+: .+, got .+$/;
const cpu = new CpuBackend({ workers: 1 });
const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1301);

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const worst = { oracle: 0, plan: 0, gpu: 0 };

describe('timm golden values', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(5);
    expect(rejects.length).toBeGreaterThan(1);
  });

  for (const c of cases) {
    it(`oracle, cpu plan and webgpu: ${c.id}`, async (ctx) => {
      const { runs } = validateSpecs(c.spec);
      const steps = caseSteps(c);
      const scale = maxAbs(c.values) || 1;
      steps.forEach((t, i) => {
        const v = valueAt(runs[0].spec, t, c.steps);
        const err = Math.abs(v - c.values[i]) / scale;
        worst.oracle = Math.max(worst.oracle, err);
        if (!(err <= 1e-9)) expect.fail(`step ${t}: oracle ${v}, framework ${c.values[i]}`);
      });
      const plan = compilePlan(runs, c.steps);
      const table = await collectTable(plan, cpu);
      steps.forEach((t, i) => {
        const err = Math.abs(table.values[t] - c.values[i]) / scale;
        worst.plan = Math.max(worst.plan, err);
        if (!(err <= 1e-9)) expect.fail(`step ${t}: plan ${table.values[t]}, framework ${c.values[i]}`);
      });
      if (!gpu) return ctx.skip();
      const g = await collectTable(plan, new WebGpuBackend(gpu.device));
      const { worst: e, at } = worstRelativeError(g.values, table.values);
      worst.gpu = Math.max(worst.gpu, e);
      if (!(e <= 1e-6)) expect.fail(`step ${at}: webgpu ${g.values[at]}, cpu ${table.values[at]}`);
      expect(sameJumps(g.values, table.values, 1e-6 * scale)).toBeNull();
    });
  }

  afterAll(() => {
    console.log(
      `timm golden: worst oracle ${worst.oracle.toExponential(2)}, plan ${worst.plan.toExponential(2)}, ` +
        `webgpu vs cpu ${worst.gpu.toExponential(2)} (x max|v|)`,
    );
  });
});

describe('timm refusals', () => {
  for (const r of rejects) {
    it(`${r.phase}: ${r.id}`, () => {
      if (r.phase !== 'evaluate') {
        expect(() => validateSpecs(r.spec)).toThrow(SpecError);
        expect(() => validateSpecs(r.spec)).toThrow(LINE);
        return;
      }
      const { runs } = validateSpecs(r.spec);
      for (let t = 0; t < r.at_step!; t++) valueAt(runs[0].spec, t, r.steps!);
      expect(() => valueAt(runs[0].spec, r.at_step!, r.steps!)).toThrow(FrameworkError);
      expect(() => valueAt(runs[0].spec, r.at_step!, r.steps!)).toThrow(`${r.error_type}: ${r.error}`);
      let error: unknown;
      try {
        compilePlan(runs, r.steps!);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).step).toBe(r.at_step);
      expect((error as Error).message).toMatch(LINE);
      expect((error as StepError).reason).toBe(`${r.error_type}: ${r.error}`);
    });
  }
});

describe('random timm schedulers', () => {
  it('plan on cpu agrees with the oracle, webgpu with the cpu', async () => {
    const samples = fc.sample(fc.tuple(timmSpec, timmRunLength), {
      numRuns: RUNS,
      seed: SEED,
    });
    const tally = { evaluated: 0, refusedAtStep: 0, invalid: 0, plan: 0, gpu: 0, segments: 0 };
    for (const [raw, steps] of samples) {
      let runs;
      try {
        runs = validateSpecs(raw).runs;
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        tally.invalid++;
        continue;
      }
      let plan;
      try {
        plan = compilePlan(runs, steps);
      } catch (e) {
        if (!(e instanceof StepError)) throw e;
        for (let t = 0; t < e.step; t++) runValueAt(runs[0], t, steps);
        expect(() => runValueAt(runs[0], e.step, steps), `${JSON.stringify(raw)} refused at ${e.step}`).toThrow(
          FrameworkError,
        );
        tally.refusedAtStep++;
        continue;
      }
      const ref = Float64Array.from({ length: steps }, (_, t) => runValueAt(runs[0], t, steps));
      const table = await collectTable(plan, cpu);
      const p = worstRelativeError(table.values, ref);
      tally.plan = Math.max(tally.plan, p.worst);
      if (!(p.worst <= 1e-9))
        expect.fail(`${JSON.stringify(raw)} step ${p.at} of ${steps}: plan ${table.values[p.at]}, oracle ${ref[p.at]}`);
      tally.segments = Math.max(tally.segments, plan.segStart.length);
      if (gpu) {
        const g = await collectTable(plan, new WebGpuBackend(gpu.device));
        const e = worstRelativeError(g.values, table.values);
        tally.gpu = Math.max(tally.gpu, e.worst);
        if (!(e.worst <= 1e-6))
          expect.fail(`${JSON.stringify(raw)} step ${e.at}: webgpu ${g.values[e.at]}, cpu ${table.values[e.at]}`);
        const jumps = sameJumps(g.values, table.values, 1e-6 * e.scale);
        if (jumps) expect.fail(`${JSON.stringify(raw)}: ${jumps}`);
      }
      tally.evaluated++;
    }
    console.log(
      `random timm: ${samples.length} specs, ${tally.evaluated} evaluated, ${tally.refusedAtStep} refused at a step, ` +
        `${tally.invalid} invalid; worst plan vs oracle ${tally.plan.toExponential(2)}, ` +
        `webgpu vs cpu ${gpu ? tally.gpu.toExponential(2) : 'skipped'} (x max|v|); most segments ${tally.segments}`,
    );
    expect(tally.evaluated).toBeGreaterThan(samples.length * 0.6);
  });
});
