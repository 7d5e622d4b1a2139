/**
 * The runtime API: a Scheduler stepped live equals the evaluated table, resumes from its state with
 * the identical tail, reads precomputed tables; the callback triggers fire exactly where the trigger
 * kinds (and the frameworks' goldens) say.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { SpecError } from '../src/errors.js';
import { compilePlan } from '../src/plan/compile.js';
import { runValueAt } from '../src/oracle/index.js';
import { PeriodicTrigger, Scheduler, StepIntervalTrigger, TimeIntervalTrigger, UpdateCounter } from '../src/index.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { caseSteps, loadGolden } from './helpers/golden.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-runtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cpu = new CpuBackend({ workers: 1 });

const SPECS: Record<string, unknown> = {
  cosine: { kind: 'CosineDecreasingSchedule', max_value: 0.1, end_value: 1e-4 },
  warmupPercent: { kind: 'LinearWarmupCosineDecaySchedule', max_value: 3e-4, warmup_percent: 0.07 },
  nestedSequential: {
    kind: 'SequentialStepSchedule',
    schedule_configs: [
      { schedule: { kind: 'LinearIncreasingSchedule', max_value: 1 }, end_step: 40 },
      {
        schedule: {
          kind: 'SequentialPercentSchedule',
          schedule_configs: [
            { schedule: { kind: 'ConstantSchedule', value: 0.5 }, end_percent: 0.3 },
            { schedule: { kind: 'PolynomialDecreasingSchedule', max_value: 0.5, power: 2 }, start_percent: 0.4 },
          ],
        },
        start_step: 40,
      },
    ],
  },
  stepFixed: { kind: 'StepFixedSchedule', start_value: 2, factor: 0.5, steps: [0.25, 0.5, 0.5, 0.9] },
  trigger: { kind: 'StepIntervalScheduler', interval: 7 },
};

async function evaluatedRow(spec: unknown, steps: number): Promise<Float64Array> {
  const table = await collectTable(compilePlan(validateSpecs(spec).runs, steps), cpu);
  return table.values as Float64Array;
}

function stepThrough(s: Scheduler, from: number): number[] {
  const seen = [s.value];
  for (let t = from + 1; t < s.totalSteps; t++) {
    s.step();
    seen.push(s.value);
  }
  return seen;
}

describe('Scheduler', () => {
  const total = 500;
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`${name}: steps through the evaluated table and resumes with the identical tail`, async () => {
      const table = await evaluatedRow(spec, total);
      const whole = stepThrough(Scheduler.fromSpec(spec, { totalSteps: total }), 0);
      expect(whole).toEqual(Array.from(table));
      for (const cut of fc.sample(fc.integer({ min: 0, max: total - 1 }), { numRuns: 5, seed: name.length })) {
        const first = Scheduler.fromSpec(spec, { totalSteps: total });
        for (let t = 0; t < cut; t++) first.step();
        const state = JSON.parse(JSON.stringify(first.stateDict()));
        const resumed = Scheduler.fromSpec(structuredClone(spec), { totalSteps: total });
        resumed.loadStateDict(state);
        expect(resumed.stepCount).toBe(cut);
        expect(stepThrough(resumed, cut)).toEqual(whole.slice(cut));
      }
    });
  }

  it('keeps parameter groups with their own specs and scales, and any field', () => {
    const s = Scheduler.fromSpec(SPECS.cosine, {
      totalSteps: 100,
      field: 'weight_decay',
      groups: [
        { name: 'body' },
        { name: 'head', scale: 10 },
        { name: 'norm', spec: { kind: 'ConstantSchedule', value: 0 } },
      ],
    });
    for (let t = 0; t < 60; t++) s.step();
    const body = runValueAt(validateSpecs(SPECS.cosine).runs[0], 60, 100);
    expect(s.field).toBe('weight_decay');
    expect(s.values).toEqual([body, body * 10, 0]);
    expect(s.named).toEqual({ body, head: body * 10, norm: 0 });
  });

  it('refuses a state from another schedule and steps past the end', () => {
    const a = Scheduler.fromSpec(SPECS.cosine, { totalSteps: 100 });
    const b = Scheduler.fromSpec({ ...(SPECS.cosine as object), end_value: 0 }, { totalSteps: 100 });
    expect(() => b.loadStateDict(a.stateDict())).toThrow(/state.fingerprint: belongs to a different schedule/);
    const short = Scheduler.fromSpec(SPECS.cosine, { totalSteps: 2 });
    short.step();
    expect(() => short.step()).toThrow(RangeError);
    expect(() => Scheduler.fromSpec({ kind: 'Nope' }, { totalSteps: 10 })).toThrow(SpecError);
  });

  it('reads a table from memory and an .npy written by schedgpu eval, value for value', async () => {
    const specs = [
      { id: 'a', ...(SPECS.warmupPercent as object) },
      { id: 'b', ...(SPECS.nestedSequential as object) },
    ];
    const specFile = join(dir, 'two.json');
    const npy = join(dir, 'two.npy');
    await import('node:fs').then((fs) => fs.writeFileSync(specFile, JSON.stringify(specs)));
    expect(runCli(['eval', specFile, '--steps', '9000', '--backend', 'cpu', '--out', npy, '--quiet']).code).toBe(0);
    const computed = stepThrough(Scheduler.fromSpec(specs[1], { totalSteps: 9000 }), 0);
    const fromFile = Scheduler.fromTable(npy, { groups: [{ row: 1 }] });
    expect(stepThrough(fromFile, 0)).toEqual(computed);
    fromFile.close();
    const table = await collectTable(compilePlan(validateSpecs(specs).runs, 9000), cpu);
    const inMemory = Scheduler.fromTable(table, {
      groups: [
        { row: 'b', name: 'lr' },
        { row: 'a', scale: 2 },
      ],
    });
    for (let t = 0; t < 5000; t++) inMemory.step();
    expect(inMemory.named.lr).toBe(computed[5000]);
    expect(inMemory.values[1]).toBe(2 * table.values[5000]);
    expect(() => Scheduler.fromTable(table, { groups: [{ row: 'c' }] })).toThrow(/row: is not an id/);
  });
});

describe('StepIntervalTrigger and TimeIntervalTrigger', () => {
  it('fire where PAMIQ does (goldens) and where the trigger kinds say', () => {
    for (const c of loadGolden('pamiq')) {
      const trigger = new StepIntervalTrigger(c.spec.interval as number);
      const fired = Array.from({ length: c.steps }, () => (trigger.update() ? 1 : 0));
      expect(
        caseSteps(c).map((t) => fired[t]),
        c.id,
      ).toEqual(c.values);
    }
    const spec = { kind: 'TimeIntervalScheduler', interval: 2.5, step_seconds: [0.4, 1.3, 0.2, 0.9] };
    const run = validateSpecs(spec).runs[0];
    let now = 100; // constructed at 100 s: the simulated clock's 0
    const trigger = new TimeIntervalTrigger(2.5, [], { clock: () => now });
    for (let t = 0; t < 400; t++) {
      now += spec.step_seconds[t % 4]; // update k reads the sum of the first k step durations
      expect(trigger.update() ? 1 : 0, `update ${t + 1}`).toBe(runValueAt(run, t, 400));
    }
  });

  it('register, run and remove callbacks; removing an unknown one is an error', () => {
    const calls: string[] = [];
    const log = () => calls.push('log');
    const save = () => calls.push('save');
    const trigger = new StepIntervalTrigger(2, [log]);
    trigger.registerCallback(save);
    for (let i = 0; i < 4; i++) trigger.update();
    trigger.removeCallback(log);
    for (let i = 0; i < 2; i++) trigger.update();
    expect(calls).toEqual(['log', 'save', 'log', 'save', 'save']);
    expect(() => trigger.removeCallback(log)).toThrow(/not registered/);
    expect(() => new StepIntervalTrigger(0)).toThrow(SpecError);
  });
});

describe('PeriodicTrigger and UpdateCounter', () => {
  it("fire where noether's PeriodicCallback does (goldens), in the trainer's order", () => {
    for (const c of loadGolden('noether_periodic')) {
      const s = c.spec as Record<string, number | undefined>;
      const counter = new UpdateCounter({ updatesPerEpoch: s.updates_per_epoch!, batchSize: s.batch_size! });
      const events: string[] = [];
      const trigger = new PeriodicTrigger(
        {
          everyNEpochs: s.every_n_epochs,
          everyNUpdates: s.every_n_updates,
          everyNSamples: s.every_n_samples,
          batchSize: s.batch_size,
          updatesPerEpoch: s.updates_per_epoch,
        },
        [({ intervalType }) => events.push(intervalType)],
      );
      const fired = Array.from({ length: c.steps }, () => {
        counter.advance();
        const byUpdate = trigger.afterUpdate(counter);
        const byEpoch = counter.isFullEpoch && trigger.afterEpoch(counter);
        return byUpdate || byEpoch ? 1 : 0;
      });
      expect(
        caseSteps(c).map((t) => fired[t]),
        c.id,
      ).toEqual(c.values);
      expect(events.length).toBe(fired.filter((v) => v === 1).length);
    }
  });

  it('reports its interval like noether', () => {
    const counter = new UpdateCounter({ updatesPerEpoch: 10, batchSize: 32, start: { update: 23 } });
    expect(counter.epoch).toBe(2);
    expect(counter.sample).toBe(23 * 32);
    expect(counter.epochAsFloat).toBeCloseTo(2.3, 15);
    expect(counter.isFullEpoch).toBe(false);
    const epochs = new PeriodicTrigger({ everyNEpochs: 1 });
    expect([epochs.intervalString(), epochs.shortIntervalString()]).toEqual(['every_n_epochs=1', 'E1']);
    expect(epochs.updatesPerInterval(counter)).toBe(10);
    expect(epochs.updatesTillNextInvocation(counter)).toBe(7);
    const samples = new PeriodicTrigger({ everyNSamples: 128, batchSize: 32 });
    expect([samples.intervalString(), samples.shortIntervalString()]).toEqual(['every_n_samples=128', 'S128']);
    expect(samples.updatesTillNextInvocation(counter)).toBe(1);
    expect(new PeriodicTrigger({ everyNUpdates: 5 }).shortIntervalString()).toBe('U5');
    expect(() => new PeriodicTrigger({ everyNUpdates: 5, batchSize: 16 }).afterUpdate(counter)).toThrow(/differs/);
    expect(() => new PeriodicTrigger({ everyNUpdates: 5, everyNEpochs: 1 })).toThrow(/exactly one/);
    expect(() => new PeriodicTrigger({ everyNSamples: 100, batchSize: 32 }).updatesPerInterval(counter)).toThrow(
      /multiple of the batch size/,
    );
    counter.advance();
    counter.advance();
    counter.advance();
    expect(counter.stateDict()).toEqual({ update: 26, epoch: 2, sample: 26 * 32 });
    for (let i = 0; i < 4; i++) counter.advance();
    expect([counter.update, counter.epoch, counter.isFullEpoch]).toEqual([30, 3, true]);
  });
});
