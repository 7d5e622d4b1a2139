/**
 * The golden suite every framework with real values shares: each case on the oracle, the CPU plan
 * (both within 1e-9 x max|v| of the framework) and webgpu (within 1e-6 of the CPU, step-changes at
 * the same steps); each refusal at spec time, or at the framework's step with its message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/backends/cpu.js';
import { WebGpuBackend } from '../../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../../src/backends/webgpu/device.js';
import { SpecError, StepError } from '../../src/errors.js';
import { compilePlan } from '../../src/plan/compile.js';
import { FrameworkError, valueAt } from '../../src/oracle/index.js';
import { collectTable } from '../../src/sinks/table.js';
import { validateSpecs } from '../../src/spec/validate.js';
import { sameJumps, worstRelativeError } from './compare.js';
import { caseSteps, loadGolden, loadRejects, maxAbs } from './golden.js';

const LINE = /^\S+: .+, got .+$/;

export function goldenSuite(
  source: string,
  gpu: () => GpuHandle | null,
  minimum: { cases: number; rejects: number },
): void {
  const cases = loadGolden(source);
  const rejects = loadRejects(source);
  const cpu = new CpuBackend({ workers: 1 });
  const worst = { oracle: 0, plan: 0, gpu: 0 };

  describe(`${source} golden values`, () => {
    it('has cases to check', () => {
      expect(cases.length).toBeGreaterThanOrEqual(minimum.cases);
      expect(rejects.length).toBeGreaterThanOrEqual(minimum.rejects);
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
        const handle = gpu();
        if (!handle) return ctx.skip();
        const g = await collectTable(plan, new WebGpuBackend(handle.device));
        const { worst: e, at } = worstRelativeError(g.values, table.values);
        worst.gpu = Math.max(worst.gpu, e);
        if (!(e <= 1e-6)) expect.fail(`step ${at}: webgpu ${g.values[at]}, cpu ${table.values[at]}`);
        expect(sameJumps(g.values, table.values, 1e-6 * scale)).toBeNull();
      });
    }

    afterAll(() => {
      console.log(
        `${source} golden: worst oracle ${worst.oracle.toExponential(2)}, plan ${worst.plan.toExponential(2)}, ` +
          `webgpu vs cpu ${worst.gpu.toExponential(2)} (x max|v|)`,
      );
    });
  });

  describe(`${source} refusals`, () => {
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
}
