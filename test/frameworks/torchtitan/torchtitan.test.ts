/**
 * torchtitan's LRSchedulersContainer: its own values (test/golden/torchtitan.json, from
 * torchtitan/components/optimizer/lr_scheduler.py on torch 1.13's LambdaLR) and refusals, cases
 * worked out by hand from Config.build, and random configs holding the CPU plan to the oracle and
 * webgpu to the CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { SpecError } from '../../../src/errors.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { torchtitanRun } from './arbitraries.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, oracleAndPlanAt, refusedStep } from '../../helpers/kind-properties.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

goldenSuite('torchtitan', () => gpu, { cases: 11, rejects: 3 });

describe('torchtitan by hand', () => {
  const kind = 'LRSchedulersContainer';
  const cases: [string, Record<string, unknown>, number, Record<number, number>][] = [
    // warmup (t + 1) / W; stable through W + S - 1 with S = total + 1 - W - D; decay (t + 1 - (W + S)) / D
    [
      'warmup +1, virtual last step, total_steps null = the run',
      { kind, base_lr: 1, warmup_steps: 4, decay_ratio: 0.5 },
      20,
      { 0: 0.25, 3: 1, 10: 1, 11: 0.9, 19: 0.1 },
    ],
    // round(100 * 0.125) = round(12.5) = 12 (half to even)
    [
      'decay_ratio rounds half to even',
      { kind, base_lr: 1, warmup_steps: 0, total_steps: 100, decay_ratio: 0.125 },
      101,
      { 88: 1, 89: 11 / 12, 100: 0 },
    ],
  ];
  for (const [name, spec, steps, expected] of cases)
    it(name, async () => {
      const at = Object.keys(expected).map(Number);
      const got = await oracleAndPlanAt(spec, steps, at);
      at.forEach((t, i) => {
        expect(got[i][0], `oracle step ${t}`).toBeCloseTo(expected[t], 12);
        expect(got[i][1], `plan step ${t}`).toBeCloseTo(expected[t], 12);
      });
    });

  it('raises past total_steps only when the decay is empty', () => {
    // warmup clamped to total 50, decay 0: the assert fires at t = total + 1
    expect(refusedStep({ kind, base_lr: 1, warmup_steps: 80, total_steps: 50 }, 60)).toBe(51);
    expect(refusedStep({ kind, base_lr: 1, warmup_steps: 80, total_steps: 50 }, 51)).toBeUndefined();
  });
});

describe('torchtitan refusals through the spec', () => {
  it('refuses an unknown Config field and text for a number', () => {
    expect(() => validateSpecs({ kind: 'LRSchedulersContainer', base_lr: 1, warmup: 3 })).toThrow(
      /^warmup: is not an argument/,
    );
    expect(() => validateSpecs({ kind: 'LRSchedulersContainer', base_lr: 1, total_steps: '10' })).toThrow(SpecError);
    expect(() => validateSpecs({ kind: 'LRSchedulersContainer', base_lr: 1, output: 'lr' })).toThrow(
      /^output: is not a choice of LRSchedulersContainer/,
    );
  });
});

describe('random torchtitan configs', () => {
  const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
  const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 42);
  it(`cpu plan vs oracle and webgpu vs cpu on ${RUNS} configs`, async () => {
    const tally = await checkRandomSpecs(torchtitanRun, RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('torchtitan', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.7);
  }, 600_000);
});
