/**
 * noether's real values (test/golden/noether.json) against the oracle and against the plan on the
 * CPU backend, and noether's refusals (rejects.json) against validation and compilation.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import { SpecError, StepError } from '../../../src/errors.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { FrameworkError, valueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { caseSteps, loadGolden, loadRejects, maxAbs } from '../../helpers/golden.js';

const cases = loadGolden('noether');
const rejects = loadRejects('noether');
const LINE = /^\S+: .+, got .+$/;

describe('noether golden values', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(10);
    expect(rejects.length).toBeGreaterThan(5);
  });

  for (const c of cases) {
    it(`oracle: ${c.id}`, () => {
      const [run] = validateSpecs(c.spec).runs;
      const steps = caseSteps(c);
      const tol = 1e-9 * maxAbs(c.values) + 1e-300;
      steps.forEach((t, i) => {
        const v = valueAt(run.spec, t, c.steps);
        if (!(Math.abs(v - c.values[i]) <= tol)) expect.fail(`step ${t}: oracle ${v}, noether ${c.values[i]}`);
      });
      if (c.value_at_steps !== undefined) expect(valueAt(run.spec, c.steps, c.steps)).toBeCloseTo(c.value_at_steps, 12);
      if (c.value_at_steps_error !== undefined) {
        const type = c.value_at_steps_error.split(':')[0];
        expect(() => valueAt(run.spec, c.steps, c.steps)).toThrow(FrameworkError);
        expect(() => valueAt(run.spec, c.steps, c.steps)).toThrow(new RegExp(`^${type}`));
      }
    });

    it(`plan on cpu: ${c.id}`, async () => {
      const plan = compilePlan(validateSpecs(c.spec).runs, c.steps);
      const table = await collectTable(plan, new CpuBackend({ workers: 1 }));
      const tol = 1e-9 * maxAbs(c.values) + 1e-300;
      caseSteps(c).forEach((t, i) => {
        const v = table.values[t];
        if (!(Math.abs(v - c.values[i]) <= tol)) expect.fail(`step ${t}: plan ${v}, noether ${c.values[i]}`);
      });
    });
  }
});

describe('noether refusals', () => {
  for (const r of rejects) {
    it(`${r.phase}: ${r.id}`, () => {
      if (r.phase !== 'evaluate') {
        let error: unknown;
        try {
          validateSpecs(r.spec);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SpecError);
        expect((error as Error).message).toMatch(LINE);
        return;
      }
      // accepted at construction, refused when step `at_step` is evaluated
      const { runs } = validateSpecs(r.spec);
      for (let t = 0; t < r.at_step!; t++) valueAt(runs[0].spec, t, r.steps!);
      expect(() => valueAt(runs[0].spec, r.at_step!, r.steps!)).toThrow(new RegExp(`^${r.error_type}`));
      let error: unknown;
      try {
        compilePlan(runs, r.steps!);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).step).toBe(r.at_step);
      expect((error as Error).message).toMatch(LINE);
      expect((error as StepError).reason).toMatch(new RegExp(`^${r.error_type}`));
    });
  }
});
