// `npm run bench:laws`: the multi-power law's final loss of 1,000 warmup-stable-decay schedules of
// 24,000 steps (rank --params with an mpl fit): summed on the device (webgpu), against the table read
// back and the law on the host (webgpu's f32 table, and the cpu backend's f64 one); then
// optimize --family's search (a 240-schedule sweep and its refinement) on each backend. Best of N,
// the backends interleaved. Results to bench/results/laws-<date>.json and a table on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import {
  compileSweepPlan,
  CpuBackend,
  expandSweep,
  mplLossesOfPlan,
  mplLossesOnHost,
  requestGpu,
  searchFamily,
  WebGpuBackend,
} from '../dist/index.js';
import { bestSeconds } from './best.mjs';

const quick = process.argv.includes('--quick');
const THETA = [2.6, 0.45, 0.41, 400, 2, 0.55, 0.6];
const STEPS = 24_000;

function wsd(decays, floors) {
  return {
    steps: STEPS,
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
      'schedule_configs.2.schedule.end_value': floors,
      'schedule_configs.1.end_percent': { linspace: [0.1, 0.98, decays] },
    },
  };
}

const gpu = await requestGpu();
const adapter = 'reason' in gpu ? `none (${gpu.reason})` : gpu.adapter;
const rankSweep = expandSweep(wsd(quick ? 50 : 100, [3e-5, 3e-6, 1e-7, 1e-8, 1e-9]));
const plan = compileSweepPlan(rankSweep.variants, STEPS);
const cpu = new CpuBackend();
const webgpu = 'reason' in gpu ? null : new WebGpuBackend(gpu.device, { adapter });
const repeats = quick ? 1 : 3;
const at = [STEPS - 1];
const rank = { rows: plan.rows, steps: STEPS, cpuHost: Infinity, gpuDevice: Infinity, gpuHost: Infinity };
if (webgpu) await mplLossesOfPlan(plan, THETA, at, webgpu); // pipelines compiled outside the timing
for (let i = 0; i < repeats; i++) {
  rank.cpuHost = Math.min(rank.cpuHost, await bestSeconds(() => mplLossesOfPlan(plan, THETA, at, cpu), 1));
  if (webgpu) {
    rank.gpuDevice = Math.min(rank.gpuDevice, await bestSeconds(() => mplLossesOfPlan(plan, THETA, at, webgpu), 1));
    rank.gpuHost = Math.min(rank.gpuHost, await bestSeconds(() => mplLossesOnHost(plan, THETA, at, webgpu), 1));
  }
}
console.error(JSON.stringify(rank));
const familyRaw = wsd(40, [3e-5, 3e-6, 1e-8]);
const family = { schedules: 240, cpu: Infinity, webgpu: Infinity, candidates: 0 };
for (let i = 0; i < repeats; i++) {
  family.cpu = Math.min(family.cpu, await bestSeconds(() => searchFamily(familyRaw, STEPS, THETA, cpu), 1));
  if (webgpu)
    family.webgpu = Math.min(family.webgpu, await bestSeconds(() => searchFamily(familyRaw, STEPS, THETA, webgpu), 1));
}
family.candidates = (await searchFamily(familyRaw, STEPS, THETA, cpu)).candidates;
console.error(JSON.stringify(family));
await cpu.dispose();
if (!('reason' in gpu)) gpu.release();

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), adapter };
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/laws-${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`;
writeFileSync(file, JSON.stringify({ machine, rank, family }, null, 1) + '\n');
const s = (x) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : 'n/a');
console.log(`Multi-power law on ${machine.cpu} x ${machine.cores}, adapter ${adapter}:\n`);
console.log('| | webgpu, summed on the device | webgpu table, host law | cpu table, host law |');
console.log('|---|---|---|---|');
console.log(
  `| rank --params, ${rank.rows} x ${rank.steps} | ${s(rank.gpuDevice)} | ${s(rank.gpuHost)} | ${s(rank.cpuHost)} |`,
);
console.log(
  `| optimize --family search, ${family.schedules} x ${STEPS} + ${family.candidates} candidates | ${s(family.webgpu)} | | ${s(family.cpu)} |`,
);
console.error(`wrote ${file}`);
