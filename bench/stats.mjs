// `npm run bench:stats`: per-schedule statistics computed where the values are (stats path: on
// webgpu one fused pass evaluates and reduces, no table is stored; 48 bytes per schedule come back) against evaluating the table,
// reading it back and reducing on the host, at several sizes, on webgpu and on the cpu backend.
// Results go to bench/results/stats-<date>.json and a Markdown table on stdout. Nothing is asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { CpuBackend, compile, requestGpu, stats, WebGpuBackend } from '../dist/index.js';
import { WORKLOADS } from './workloads.mjs';
import { bestSeconds } from './best.mjs';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? [
      [100, 10_000],
      [100, 100_000],
    ]
  : [
      [100, 10_000],
      [100, 100_000],
      [1000, 100_000],
      [1000, 1_000_000],
    ];

/** The baseline: every tile read back and folded on the host (sum, min, max, first occurrence). */
async function readbackReduce(plan, backend) {
  const acc = Array.from({ length: plan.rows }, () => ({ sum: 0, min: Infinity, max: -Infinity }));
  await backend.run(plan, (tile) => {
    for (let r = 0; r < tile.rows; r++) {
      const a = acc[tile.row0 + r];
      for (let i = r * tile.steps, end = i + tile.steps; i < end; i++) {
        const v = tile.data[i];
        a.sum += v;
        if (v < a.min) a.min = v;
        if (v > a.max) a.max = v;
      }
    }
  });
  return acc;
}

const gpu = await requestGpu();
const adapter = 'reason' in gpu ? `none (${gpu.reason})` : gpu.adapter;
const cells = [];
for (const [rows, steps] of SIZES) {
  const plan = compile(WORKLOADS.c.specs(rows, steps), steps);
  const repeats = rows * steps > 1e7 ? 1 : 3;
  const cell = { rows, steps };
  const cpu = new CpuBackend();
  cell.cpuStats = await bestSeconds(() => stats(plan, null, { backend: cpu }), repeats);
  cell.cpuReadback = await bestSeconds(() => readbackReduce(plan, cpu), repeats);
  await cpu.dispose();
  if (!('reason' in gpu)) {
    const webgpu = new WebGpuBackend(gpu.device, { adapter });
    await stats(plan, null, { backend: webgpu }); // pipelines compiled once, outside the timing
    cell.gpuStats = await bestSeconds(() => stats(plan, null, { backend: webgpu }), repeats);
    cell.gpuReadback = await bestSeconds(() => readbackReduce(plan, webgpu), repeats);
  }
  cells.push(cell);
  console.error(JSON.stringify(cell));
}
if (!('reason' in gpu)) gpu.release();

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), adapter };
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/stats-${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`;
writeFileSync(file, JSON.stringify({ machine, cells }, null, 1) + '\n');
const s = (x) => (x === undefined ? 'n/a' : `${x.toFixed(3)} s`);
console.log(`Stats of workload c (a mix of 10 kinds) on ${machine.cpu} x ${machine.cores}, adapter ${adapter}:\n`);
console.log(
  '| schedules x steps | webgpu stats | webgpu table + readback + host reduce | cpu stats | cpu table + host reduce |',
);
console.log('|---|---|---|---|---|');
for (const c of cells)
  console.log(
    `| ${c.rows} x ${c.steps} | ${s(c.gpuStats)} | ${s(c.gpuReadback)} | ${s(c.cpuStats)} | ${s(c.cpuReadback)} |`,
  );
console.error(`wrote ${file}`);
