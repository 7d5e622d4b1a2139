/**
 * Triggers: PAMIQ's and noether's golden firings, refusals, and random trigger configs on the
 * oracle, the CPU plan and webgpu, which must agree exactly (values are 0 or 1).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import { WebGpuBackend } from '../../../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { SpecError } from '../../../src/errors.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { triggerSpec } from './arbitraries.js';
import { caseSteps, loadGolden, loadRejects } from '../../helpers/golden.js';
import { gpuForTests } from '../../helpers/gpu.js';

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

  // pamiq-core TimeIntervalScheduler: __init__ sets _previous_available_time = time.time(), and
  // is_available() is `now - previous > interval`, strictly
  const clockCases: [Record<string, unknown>, string][] = [
    [{ interval: 1, seconds_per_step: 0.4 }, '001001001001'],
    [{ interval: 1, seconds_per_step: 1 }, '010101010101'],
    [{ interval: 0, seconds_per_step: 0 }, '000000000000'],
    [{ interval: 5, step_seconds: [1, 2] }, '000100010001'],
    [{ interval: 0.5, seconds_per_step: 3 }, '111111111111'],
  ];
  for (const [fields, fired] of clockCases)
    it(`TimeIntervalScheduler ${JSON.stringify(fields)} starts its clock at construction`, async () => {
      const runs = validateSpecs({ kind: 'TimeIntervalScheduler', ...fields }).runs;
      const table = await collectTable(compilePlan(runs, fired.length), cpu);
      expect(Array.from(table.values).join('')).toBe(fired);
      expect(Array.from(fired, (_, t) => runValueAt(runs[0], t, fired.length)).join('')).toBe(fired);
    });

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
    // 600 one-run dispatches: about 100 s on lavapipe alone, past the global 120 s when the CPU is shared
  }, 300_000);
});
