/**
 * The multi-power law on WebGPU (src/laws/mpl-gpu.ts) against the host's f64 law evaluated on the
 * same f32 lr table (and on the f64 table): sweeps of hundreds of schedules, long runs, several checkpoints, and the rows
 * whose lr reaches 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { searchFamily } from '../src/laws/family.js';
import { mplLossesOfPlan, mplLossesOnHost } from '../src/laws/mpl-plan.js';
import { compilePlan } from '../src/plan/compile.js';
import { validateSpecs } from '../src/spec/validate.js';
import { compileSweepPlan } from '../src/sweep/plan.js';
import { expandSweep } from '../src/sweep/expand.js';
import { runCli } from './helpers/cli.js';
import { gpuForTests } from './helpers/gpu.js';

// the MPL paper's 400M fit (their published parameters)
const THETA = [2.6, 0.45, 0.41, 400, 2, 0.55, 0.6];

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

/** Warmup-stable-decay schedules: warmups x decay starts x cooldown shapes x floors. */
function wsdSweep(steps: number, warmups: number, decays: number, floors: number[]) {
  return expandSweep({
    steps,
    base: {
      kind: 'SequentialPercentSchedule',
      schedule_configs: [
        {
          schedule: { kind: 'LinearIncreasingSchedule', start_value: 0, max_value: 3e-4, exclude_first: true },
          end_percent: 0.02,
        },
        { schedule: { kind: 'ConstantSchedule', value: 3e-4 }, end_percent: 0.8 },
        { schedule: { kind: 'CosineDecreasingSchedule', max_value: 3e-4, end_value: 3e-5 } },
      ],
    },
    grid: {
      'schedule_configs.2.schedule.kind': ['CosineDecreasingSchedule', 'LinearDecreasingSchedule'],
      'schedule_configs.2.schedule.end_value': floors,
      'schedule_configs.0.end_percent': { linspace: [0.01, 0.09, warmups] },
      'schedule_configs.1.end_percent': { linspace: [0.1, 0.98, decays] },
    },
    id: 'v{index}',
  });
}

function worstRelative(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return worst;
}

describe('mpl on webgpu', () => {
  it('several hundred schedules of 24,000 steps: the device equals the host law on the same f32 lrs within 1e-8, on f64 lrs within 1e-6', async (ctx) => {
    if (!gpu) return ctx.skip();
    const backend = new WebGpuBackend(gpu.device);
    const sweep = wsdSweep(24_000, 10, 20, [3e-5]);
    const plan = compileSweepPlan(sweep.variants, sweep.steps);
    expect(plan.rows).toBe(400);
    const at = [23_999, 12_000, 100];
    let t0 = performance.now();
    const device = await mplLossesOfPlan(plan, THETA, at, backend);
    const gpuMs = performance.now() - t0;
    expect(device.on).toBe('device');
    t0 = performance.now();
    const host = await mplLossesOnHost(plan, THETA, at, backend);
    const hostMs = performance.now() - t0;
    const f64 = await mplLossesOnHost(plan, THETA, at, new CpuBackend());
    const err = worstRelative(device.loss, host);
    console.log(
      `mpl 400 x 24,000, 3 checkpoints: device vs host (same f32 lrs) ${err.toExponential(2)}, ` +
        `vs host on f64 lrs ${worstRelative(device.loss, f64).toExponential(2)}; ${gpuMs.toFixed(0)} ms device, ${hostMs.toFixed(0)} ms host`,
    );
    // the contract is 1e-6; against the same f32 lrs it holds far tighter (an f32 S_k alone gives 3e-7)
    expect(err).toBeLessThanOrEqual(1e-8);
    expect(worstRelative(device.loss, f64)).toBeLessThanOrEqual(1e-6);
    // the schedules differ by far more than the tolerance: the comparison ranks something
    const finals = Array.from({ length: plan.rows }, (_, r) => host[r * 3]);
    expect(Math.max(...finals) - Math.min(...finals)).toBeGreaterThan(1e-3);
  }, 300_000);

  it('a schedule that touches 0 and rises again has no loss from that step on, on the host and on the device', async () => {
    const plan = compilePlan(
      validateSpecs({
        kind: 'SequentialStepSchedule',
        schedule_configs: [
          { schedule: { kind: 'LinearDecreasingSchedule', max_value: 1e-3, end_value: 0 }, end_step: 500 },
          { schedule: { kind: 'LinearIncreasingSchedule', start_value: 0, max_value: 1e-3 } },
        ],
      }).runs,
      1000,
    );
    const at = [100, 498, 499, 700, 999];
    const host = await mplLossesOnHost(plan, THETA, at, new CpuBackend());
    expect(Array.from(host, Number.isFinite)).toEqual([true, true, false, false, false]);
    if (!gpu) return;
    const device = await mplLossesOfPlan(plan, THETA, at, new WebGpuBackend(gpu.device));
    expect(Array.from(device.loss, Number.isFinite)).toEqual([true, true, false, false, false]);
  });

  it('200,000 steps, and checkpoints at 0, inside and at the end', async (ctx) => {
    if (!gpu) return ctx.skip();
    const backend = new WebGpuBackend(gpu.device);
    const sweep = wsdSweep(200_000, 2, 3, [3e-5]);
    const plan = compileSweepPlan(sweep.variants, sweep.steps);
    const at = [0, 1, 4_001, 150_000, 199_999];
    const device = await mplLossesOfPlan(plan, THETA, at, backend);
    expect(device.on).toBe('device');
    const host = await mplLossesOnHost(plan, THETA, at, backend);
    const f64 = await mplLossesOnHost(plan, THETA, at, new CpuBackend());
    console.log(
      `mpl 12 x 200,000: device vs host (same f32 lrs) ${worstRelative(device.loss, host).toExponential(2)}, vs f64 lrs ${worstRelative(device.loss, f64).toExponential(2)}`,
    );
    expect(worstRelative(device.loss, host)).toBeLessThanOrEqual(1e-8);
    expect(worstRelative(device.loss, f64)).toBeLessThanOrEqual(1e-6);
  }, 300_000);

  it('a schedule whose lr reaches 0 has no loss (NaN) from that step on, as on the host', async (ctx) => {
    if (!gpu) return ctx.skip();
    const backend = new WebGpuBackend(gpu.device);
    const sweep = wsdSweep(3_000, 2, 2, [0, 3e-5]);
    const plan = compileSweepPlan(sweep.variants, sweep.steps);
    const at = [1_000, 2_999];
    const device = (await mplLossesOfPlan(plan, THETA, at, backend)).loss;
    const host = await mplLossesOnHost(plan, THETA, at, backend);
    let nan = 0;
    for (let i = 0; i < host.length; i++) {
      expect(Number.isFinite(device[i])).toBe(Number.isFinite(host[i]));
      if (!Number.isFinite(host[i])) nan++;
      else expect(Math.abs(device[i] - host[i])).toBeLessThanOrEqual(1e-6 * host[i]);
    }
    expect(nan).toBe(8); // the 8 rows to 0, at their last step
  }, 120_000);

  it('optimize --family: the search on the device finds the member the cpu finds, within 1e-6', async (ctx) => {
    if (!gpu) return ctx.skip();
    const raw = {
      steps: 24_000,
      base: {
        kind: 'SequentialPercentSchedule',
        schedule_configs: [
          { schedule: { kind: 'LinearIncreasingSchedule', start_value: 0, max_value: 3e-4 }, end_percent: 0.09 },
          { schedule: { kind: 'ConstantSchedule', value: 3e-4 }, end_percent: 0.8 },
          { schedule: { kind: 'CosineDecreasingSchedule', max_value: 3e-4, end_value: 3e-5 } },
        ],
      },
      grid: {
        'schedule_configs.2.schedule.kind': ['CosineDecreasingSchedule', 'LinearDecreasingSchedule'],
        'schedule_configs.2.schedule.end_value': [3e-5, 3e-6, 1e-8],
        'schedule_configs.1.end_percent': { linspace: [0.1, 0.95, 40] },
      },
    };
    const onCpu = await searchFamily(raw, 24_000, THETA, new CpuBackend());
    const onGpu = await searchFamily(raw, 24_000, THETA, new WebGpuBackend(gpu.device));
    expect(onGpu.count).toBe(240);
    expect(onGpu.listed.id).toBe(onCpu.listed.id);
    expect(Math.abs(onGpu.listed.loss - onCpu.listed.loss)).toBeLessThanOrEqual(1e-6 * onCpu.listed.loss);
    expect(onGpu.refined.loss).toBeLessThanOrEqual(onGpu.listed.loss);
    expect(Math.abs(onGpu.refined.loss - onCpu.refined.loss)).toBeLessThanOrEqual(1e-6 * onCpu.refined.loss);
  }, 300_000);

  it('schedgpu rank --params: webgpu sums on the device and ranks as the cpu does; --curve agrees within 1e-6', (ctx) => {
    if (!gpu) return ctx.skip();
    const args = ['rank', 'examples/quick-sweep.yaml', '--params', 'examples/laws/params-mpl-25m.json'];
    const table = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/));
    const cpu = runCli([...args, '--backend', 'cpu', '--at', '15000']);
    const webgpu = runCli([...args, '--backend', 'webgpu', '--at', '15000']);
    expect(cpu.code).toBe(0);
    expect(webgpu.code).toBe(0);
    expect(webgpu.errLines.join('\n')).toMatch(
      /ranked 12 schedules by the fitted mpl law on webgpu .*the law summed on the device/,
    );
    const [a, b] = [table(cpu.stdout), table(webgpu.stdout)];
    expect(b.map((r) => r[1])).toEqual(a.map((r) => r[1]));
    a.forEach((r, i) =>
      expect(Math.abs(Number(b[i][2]) - Number(r[2]))).toBeLessThanOrEqual(1e-6 * Number(r[2]) + 1e-6),
    );
    const curve = (backend: string) =>
      table(runCli([...args, '--backend', backend, '--curve', 'lwcd-0.003-w0.0667']).stdout).map((l) =>
        l[0].split(','),
      );
    const [c, g] = [curve('cpu'), curve('webgpu')];
    expect(g).toHaveLength(1000);
    expect(g.map((l) => l[0])).toEqual(c.map((l) => l[0]));
    c.forEach((l, i) => expect(Math.abs(Number(g[i][2]) - Number(l[2]))).toBeLessThanOrEqual(1e-6 * Number(l[2])));
  }, 120_000);
});
