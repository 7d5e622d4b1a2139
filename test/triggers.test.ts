/**
 * Triggers: PAMIQ's and noether's golden firings, refusals, and random trigger configs on the
 * oracle, the CPU plan and webgpu, which must agree exactly (values are 0 or 1).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { SpecError } from '../src/errors.js';
import { compilePlan } from '../src/plan/compile.js';
import { runValueAt } from '../src/reference/index.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { triggerSpec } from './helpers/arbitraries-triggers.js';
import { caseSteps, loadGolden, loadRejects } from './helpers/golden.js';
import { gpuForTests } from './helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());
const cpu = new CpuBackend({ workers: 1 });

describe('trigger golden firings', () => {
  for (const source of ['pamiq', 'noether_periodic']) {
    for (const c of loadGolden(source)) {
      it(`${c.id}: oracle, cpu plan and webgpu`, async (ctx) => {
        const runs = validateSpecs(c.spec).runs;
        const steps = caseSteps(c);
        steps.forEach((t, i) => expect(runValueAt(runs[0], t, c.steps), `oracle step ${t}`).toBe(c.values[i]));
        const plan = compilePlan(runs, c.steps);
        const table = await collectTable(plan, cpu);
        steps.forEach((t, i) => expect(table.values[t], `plan step ${t}`).toBe(c.values[i]));
        if (!gpu) return ctx.skip();
        const g = await collectTable(plan, new WebGpuBackend(gpu.device));
        expect(Array.from(g.values)).toEqual(Array.from(table.values));
      });
    }
    for (const r of loadRejects(source)) {
      it(`refuses ${r.id}`, () => {
        expect(() => validateSpecs(r.spec)).toThrow(SpecError);
        expect(() => validateSpecs(r.spec)).toThrow(/^\S+: .+, got .+$/);
      });
    }
  }

  it('cannot sit inside a noether sequential schedule', () => {
    expect(() =>
      validateSpecs({
        kind: 'SequentialStepSchedule',
        schedule_configs: [{ schedule: { kind: 'StepIntervalScheduler', interval: 3 } }],
      }),
    ).toThrow(
      'schedule_configs[0].schedule.kind: must be a noether schedule (StepIntervalScheduler is not a ScheduleBase), got "StepIntervalScheduler"',
    );
  });
});

describe('random triggers', () => {
  it('agree exactly on the oracle, the cpu plan and webgpu', async () => {
    const samples = fc.sample(fc.tuple(triggerSpec, fc.integer({ min: 1, max: 3000 })), { numRuns: 600, seed: 5 });
    let fired = 0;
    for (const [raw, steps] of samples) {
      const runs = validateSpecs(raw).runs;
      const plan = compilePlan(runs, steps);
      const table = await collectTable(plan, cpu);
      for (let t = 0; t < steps; t++) {
        const want = runValueAt(runs[0], t, steps);
        if (table.values[t] !== want)
          expect.fail(`${JSON.stringify(raw)} step ${t}: plan ${table.values[t]}, oracle ${want}`);
        fired += want;
      }
      if (gpu) {
        const g = await collectTable(plan, new WebGpuBackend(gpu.device));
        for (let t = 0; t < steps; t++)
          if (g.values[t] !== table.values[t]) expect.fail(`${JSON.stringify(raw)} step ${t}: webgpu ${g.values[t]}`);
      }
    }
    console.log(
      `random triggers: ${samples.length} configs, ${fired} firings, identical on oracle, cpu${gpu ? ' and webgpu' : ''}`,
    );
    expect(fired).toBeGreaterThan(1000);
  });
});
