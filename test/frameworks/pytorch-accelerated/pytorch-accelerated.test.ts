/**
 * pytorch_accelerated: the real values (test/golden/pytorch_accelerated.json) against the oracle, the plan on the CPU and
 * webgpu; the framework's refusals (rejects.json); random specs on the oracle, the CPU plan and webgpu.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { pytorchAcceleratedRunLength, pytorchAcceleratedSpec } from './arbitraries.js';
import { loadGolden, loadRejects } from '../../helpers/golden.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, refusedStep, refusedMessage } from '../../helpers/kind-properties.js';

const cases = loadGolden('pytorch_accelerated');
const rejects = loadRejects('pytorch_accelerated');
const cpu = new CpuBackend({ workers: 1 });
const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1301);

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

goldenSuite('pytorch_accelerated', () => gpu, { cases: 6, rejects: 3 });

const curve = (spec: Record<string, unknown>, steps: number) => {
  const { runs } = validateSpecs(spec);
  return Array.from({ length: steps }, (_, t) => runValueAt(runs[0], t, steps));
};

describe('pytorch_accelerated spec rules and quirks', () => {
  it("refuses unknown keywords, strings for numbers and the constructors' refusals", () => {
    expect(
      refusedMessage({
        kind: 'CosineLrScheduler',
        base_lr: 1,
        total_num_epochs: 2,
        num_update_steps_per_epoch: 3,
        x: 1,
      }),
    ).toMatch(/^x: /);
    expect(refusedMessage({ kind: 'WSDLrScheduler', base_lr: 1, total_steps: '10' })).toBe(
      'total_steps: must be a number, got "10"',
    );
    expect(refusedMessage({ kind: 'WSDLrScheduler', base_lr: 1 })).toMatch(/^total_steps: is required/);
    expect(
      refusedMessage({
        kind: 'WSDLrScheduler',
        base_lr: 1,
        total_steps: 10,
        num_epochs: 2,
        num_update_steps_per_epoch: 5,
      }),
    ).toMatch(/^total_steps: Only num_epochs/);
    expect(
      refusedMessage({
        kind: 'WSDLrScheduler',
        base_lr: 1,
        total_steps: 100,
        num_checkpoints: 3,
        decay_phase_ratio: 0.4,
      }),
    ).toMatch(/^decay_phase_ratio: Decay phase ratio 0.4 is too large/);
    expect(refusedMessage({ kind: 'WSDLrScheduler', base_lr: 1e-7, total_steps: 100 })).toMatch(
      /^warmup_starting_lr: /,
    );
  });

  it('reproduces the documented quirks', () => {
    // cosine over [W, T - W - C) with denominator T - W - C, then lr_min
    const c = curve(
      {
        kind: 'CosineLrScheduler',
        base_lr: 1,
        total_num_epochs: 10,
        num_update_steps_per_epoch: 1,
        num_warmup_epochs: 2,
        lr_min: 0,
        warmup_starting_lr: 0,
      },
      12,
    );
    expect(c.slice(0, 3)).toEqual([0, 0.5, 1]);
    expect(c[7]).toBeGreaterThan(0.3);
    expect(c.slice(8)).toEqual([0, 0, 0, 0]);
    // warmup slope from warmup_starting_lr even with warmup_starting_lr_ratio
    const r = curve(
      {
        kind: 'CosineLrScheduler',
        base_lr: 1,
        total_num_epochs: 10,
        num_update_steps_per_epoch: 1,
        num_warmup_epochs: 2,
        warmup_starting_lr: 0,
        warmup_starting_lr_ratio: 0.5,
      },
      2,
    );
    expect(r).toEqual([0.5, 1]);
    // WSD: lr_min is a fraction of base_lr; past the last checkpoint period 0's end value holds
    const w = curve(
      {
        kind: 'WSDLrScheduler',
        base_lr: 2,
        total_steps: 10,
        lr_min: 0.25,
        decay_phase_ratio: 0.5,
        warmup_starting_lr: 0,
      },
      12,
    );
    expect(w.slice(10)).toEqual([0.5, 0.5]);
    // num_warmup_steps None: int(0.01 * total_steps)
    expect(
      curve({ kind: 'WSDLrScheduler', base_lr: 1, total_steps: 300, num_warmup_steps: null, warmup_starting_lr: 0 }, 2),
    ).toEqual([0, 1 / 3]);
  });

  it('raises at the step Python raises, and not where it does not', () => {
    // wsd_scheduler.py divides by lr_min only inside a decay window. Checkpoints [25, 50] (25 * 2^i),
    // decay_phase_ratio 0.1: period 0 decays over [23, 25), inside the warmup of 30, so it never
    // divides; period 1 decays from 50 - int(25 * 0.1) = 48
    const wsd = {
      kind: 'WSDLrScheduler',
      base_lr: 0.1,
      total_steps: 100,
      num_checkpoints: 2,
      lr_min: 0,
      use_inverse_sqrt_decay: false,
      num_warmup_steps: 30,
    };
    expect(refusedStep(wsd, 48)).toBeUndefined();
    expect(curve(wsd, 48).slice(30)).toEqual(Array(18).fill(0.1));
    expect(refusedStep(wsd, 100)).toBe(48);
    // cosine_scheduler.py: num_updates ** k / total ** k; 100.0 ** 200 alone overflows
    const cosine = { kind: 'CosineLrScheduler', base_lr: 0.1, total_num_epochs: 100, num_update_steps_per_epoch: 1 };
    expect(refusedStep({ ...cosine, k_decay: 200 }, 5)).toBe(0);
    expect(refusedStep({ ...cosine, k_decay: 2 }, 5)).toBeUndefined();
    // under 4 steps, estimate_checkpoint_steps gives num_checkpoints zeros: 0 * 2 ** 1024 is not NaN there
    expect(refusedStep({ kind: 'WSDLrScheduler', base_lr: 0.1, total_steps: 3, num_checkpoints: 1100 }, 5)).toBe(0);
  });

  it('keeps plans small for long runs', () => {
    const segments = (spec: Record<string, unknown>, steps: number) =>
      compilePlan(validateSpecs(spec).runs, steps).segStart.length;
    expect(
      segments(
        {
          kind: 'CosineLrScheduler',
          base_lr: 1,
          total_num_epochs: 100,
          num_update_steps_per_epoch: 100_000,
          num_warmup_epochs: 1,
        },
        10_000_000,
      ),
    ).toBe(3);
    expect(
      segments(
        { kind: 'WSDLrScheduler', base_lr: 1, total_steps: 10_000_000, num_checkpoints: 4, num_warmup_steps: 1000 },
        10_000_000,
      ),
    ).toBe(7);
  });
});

describe('random pytorch_accelerated schedulers', () => {
  it('plan on cpu agrees with the oracle, webgpu with the cpu', async () => {
    const tally = await checkRandomSpecs(
      fc.tuple(pytorchAcceleratedSpec, pytorchAcceleratedRunLength),
      RUNS,
      SEED,
      gpu,
      1e-9,
    );
    console.log(describeTally('pytorch_accelerated', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.6);
  }, 600_000);
});
