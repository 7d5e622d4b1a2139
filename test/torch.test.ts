/**
 * torch.optim.lr_scheduler: torch 1.13's real values (shared/golden/torch.json) against the oracle,
 * the plan on the CPU and webgpu; torch's refusals; schedgpu's own refusals of compositions it
 * cannot express; and random scheduler specs on the oracle, the CPU plan and webgpu.
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
import { torchRunLength, torchSpec } from './helpers/arbitraries-torch.js';
import { sameJumps, worstRelativeError } from './helpers/compare.js';
import { caseSteps, loadGolden, loadRejects, maxAbs } from './helpers/golden.js';
import { gpuForTests } from './helpers/gpu.js';

const cases = loadGolden('torch');
const rejects = loadRejects('torch');
const LINE = /^\S+: .+, got .+$/;
const cpu = new CpuBackend({ workers: 1 });
const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 700);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1301);

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const worst = { oracle: 0, plan: 0, gpu: 0 };

describe('torch golden values', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(15);
    expect(rejects.length).toBeGreaterThan(5);
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
        if (!(err <= 1e-9)) expect.fail(`step ${t}: oracle ${v}, torch ${c.values[i]}`);
      });
      const plan = compilePlan(runs, c.steps);
      const table = await collectTable(plan, cpu);
      steps.forEach((t, i) => {
        const err = Math.abs(table.values[t] - c.values[i]) / scale;
        worst.plan = Math.max(worst.plan, err);
        if (!(err <= 1e-9)) expect.fail(`step ${t}: plan ${table.values[t]}, torch ${c.values[i]}`);
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
      `torch golden: worst oracle ${worst.oracle.toExponential(2)}, plan ${worst.plan.toExponential(2)}, ` +
        `webgpu vs cpu ${worst.gpu.toExponential(2)} (x max|v|)`,
    );
  });
});

describe('torch refusals', () => {
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

const refused = (spec: unknown) => {
  try {
    validateSpecs(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  return expect.fail(`accepted ${JSON.stringify(spec)}`);
};

describe('torch spec rules', () => {
  const seq = 'torch.optim.lr_scheduler.SequentialLR';
  it('requires base_lr at the top and refuses it on children', () => {
    expect(refused({ kind: 'ExponentialLR', gamma: 0.9 })).toBe('base_lr: is required, got nothing');
    expect(
      refused({
        kind: seq,
        base_lr: 1,
        schedulers: [{ kind: 'ExponentialLR', gamma: 0.9, base_lr: 2 }],
        milestones: [],
      }),
    ).toMatch(/^schedulers\[0\]\.base_lr: must not be set/);
  });

  it('refuses unknown keywords, strings for numbers and other frameworks inside', () => {
    expect(refused({ kind: 'ExponentialLR', base_lr: 1, gamma: 0.9, decay: 1 })).toMatch(
      /^decay: is not an argument of the constructor/,
    );
    expect(refused({ kind: 'ExponentialLR', base_lr: 1, gamma: '0.9' })).toBe('gamma: must be a number, got "0.9"');
    expect(
      refused({ kind: seq, base_lr: 1, schedulers: [{ kind: 'ConstantSchedule', value: 1 }], milestones: [] }),
    ).toMatch(/^schedulers\[0\]\.kind: must be a torch scheduler/);
  });

  it("refuses what torch refuses at construction, with torch's words", () => {
    expect(refused({ kind: 'ConstantLR', base_lr: 1, factor: 1.5 })).toMatch(
      /^factor: Constant multiplicative factor expected to be between 0 and 1/,
    );
    expect(refused({ kind: 'CosineAnnealingWarmRestarts', base_lr: 1, T_0: 3, T_mult: 1.5 })).toMatch(
      /^T_mult: Expected integer T_mult >= 1, but got 1.5/,
    );
    expect(refused({ kind: 'OneCycleLR', base_lr: 1, max_lr: 1, total_steps: 10, anneal_strategy: 'cosine' })).toMatch(
      /^anneal_strategy: anneal_strategy must by one of 'cos' or 'linear'/,
    );
    expect(refused({ kind: 'OneCycleLR', base_lr: 1, max_lr: 1, total_steps: 10, pct_start: 0.1 })).toMatch(
      /^pct_start: .*ZeroDivisionError/,
    );
    expect(
      refused({ kind: seq, base_lr: 1, schedulers: [{ kind: 'ExponentialLR', gamma: 0.9 }], milestones: [3] }),
    ).toMatch(/^milestones: Sequential Schedulers expects number of schedulers/);
    expect(
      refused({
        kind: seq,
        base_lr: 1,
        schedulers: [
          { kind: 'ExponentialLR', gamma: 0.9 },
          { kind: 'ChainedScheduler', schedulers: [{ kind: 'ExponentialLR', gamma: 0.9 }] },
        ],
        milestones: [3],
      }),
    ).toMatch(/^schedulers\[1\]\.kind: cannot be a SequentialLR child \(torch raises AttributeError/);
  });

  it('refuses non-multiplicative schedulers in a chain (a documented divergence)', () => {
    expect(
      refused({
        kind: 'ChainedScheduler',
        base_lr: 1,
        schedulers: [
          { kind: 'ExponentialLR', gamma: 0.9 },
          { kind: 'CosineAnnealingLR', T_max: 10 },
        ],
      }),
    ).toMatch(/^schedulers\[1\]\.kind: cannot be chained in schedgpu/);
  });

  it('reproduces the documented quirks', () => {
    const v = (spec: Record<string, unknown>, steps: number) => {
      const { runs } = validateSpecs(spec);
      return Array.from({ length: steps }, (_, t) => runValueAt(runs[0], t, steps));
    };
    // CosineAnnealingLR with T_max = 1 alternates between base_lr and eta_min
    expect(v({ kind: 'CosineAnnealingLR', base_lr: 1, T_max: 1, eta_min: 0.5 }, 5)).toEqual([1, 0.5, 1, 0.5, 1]);
    // ConstantLR with total_iters = 0 keeps the factor forever
    expect(v({ kind: 'ConstantLR', base_lr: 1, factor: 0.5, total_iters: 0 }, 4)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // MultiStepLR: duplicate milestones apply gamma per copy
    expect(v({ kind: 'MultiStepLR', base_lr: 1, milestones: [2, 2], gamma: 0.5 }, 4)).toEqual([1, 1, 0.25, 0.25]);
  });
});

describe('torch plans stay small', () => {
  const segments = (spec: Record<string, unknown>, steps: number) =>
    compilePlan(validateSpecs(spec).runs, steps).segStart.length;
  it('does not grow with the run for the closed forms', () => {
    const steps = 10_000_000;
    expect(segments({ kind: 'StepLR', base_lr: 0.1, step_size: 30, gamma: 0.5 }, steps)).toBe(1);
    expect(segments({ kind: 'MultiStepLR', base_lr: 0.1, milestones: [10, 5_000_000] }, steps)).toBe(1);
    expect(segments({ kind: 'CosineAnnealingLR', base_lr: 0.1, T_max: 1000 }, steps)).toBe(1);
    expect(segments({ kind: 'LinearLR', base_lr: 0.1, total_iters: 1000 }, steps)).toBe(2);
    expect(segments({ kind: 'OneCycleLR', base_lr: 0.1, max_lr: 1, total_steps: steps - 1 }, steps)).toBe(2);
    expect(segments({ kind: 'CosineAnnealingWarmRestarts', base_lr: 0.1, T_0: 100, T_mult: 2 }, steps)).toBe(17);
    expect(
      segments(
        {
          kind: 'SequentialLR',
          base_lr: 0.1,
          schedulers: [
            { kind: 'LinearLR', total_iters: 1000 },
            { kind: 'CosineAnnealingLR', T_max: steps },
          ],
          milestones: [1000],
        },
        steps,
      ),
    ).toBe(2);
  });
});

describe('random torch schedulers', () => {
  it('plan on cpu agrees with the oracle, webgpu with the cpu', async () => {
    const samples = fc.sample(fc.tuple(torchSpec, torchRunLength), { numRuns: RUNS, seed: SEED });
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
      `random torch: ${samples.length} specs, ${tally.evaluated} evaluated, ${tally.refusedAtStep} refused at a step, ` +
        `${tally.invalid} invalid; worst plan vs oracle ${tally.plan.toExponential(2)}, ` +
        `webgpu vs cpu ${gpu ? tally.gpu.toExponential(2) : 'skipped'} (x max|v|); most segments ${tally.segments}`,
    );
    expect(tally.evaluated).toBeGreaterThan(samples.length * 0.6);
  });
});
