/**
 * timm: the real values (shared/golden/timm.json) against the oracle, the plan on the CPU and
 * webgpu; the framework's refusals (rejects.json); random specs on the oracle, the CPU plan and webgpu.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { timmRunLength, timmSpec } from './helpers/arbitraries-timm.js';
import { loadGolden, loadRejects } from './helpers/golden.js';
import { gpuForTests } from './helpers/gpu.js';
import { goldenSuite } from './helpers/golden-suite.js';
import { checkRandomSpecs, describeTally } from './helpers/kind-properties.js';

const cases = loadGolden('timm');
const rejects = loadRejects('timm');
const cpu = new CpuBackend({ workers: 1 });
const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 400);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1301);

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

goldenSuite('timm', () => gpu, { cases: 6, rejects: 2 });

describe('random timm schedulers', () => {
  it('plan on cpu agrees with the oracle, webgpu with the cpu', async () => {
    const tally = await checkRandomSpecs(fc.tuple(timmSpec, timmRunLength), RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('timm', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.6);
  }, 600_000);
});
