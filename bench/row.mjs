// One benchmark measurement in its own process (so that its peak RSS is its own):
//   node bench/row.mjs '{"workload":"b","rows":100,"steps":100000,"mode":"cpu-1","repeats":3}'
// prints one JSON line: values/s and the time per stage of the best repeat, and the peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, CpuBackend, NpyWriter, requestGpu, stats, WebGpuBackend } from '../dist/index.js';
import { WORKLOADS } from './workloads.mjs';

const job = JSON.parse(process.argv[2]);
const { workload, rows, steps, mode } = job;
const repeats = job.repeats ?? 1;

let gpu = null;
async function backendFor(mode) {
  if (mode === 'cpu-1') return new CpuBackend({ workers: 1 });
  if (mode === 'cpu-all') return new CpuBackend({ workers: availableParallelism(), workerThreshold: 0 });
  gpu = await requestGpu();
  if ('reason' in gpu) throw new Error(`no adapter: ${gpu.reason}`);
  return new WebGpuBackend(gpu.device, {
    adapter: gpu.adapter,
    precision: mode === 'webgpu-high' ? 'high' : 'standard',
  });
}

const backend = await backendFor(mode);
const specs = WORKLOADS[workload].specs(rows, steps);
const dir = mkdtempSync(join(tmpdir(), 'schedgpu-bench-'));
let best = null;
for (let r = 0; r < repeats; r++) {
  const started = performance.now();
  const plan = compile(specs, steps);
  const compileMs = performance.now() - started;
  const timings = { upload: 0, compute: 0, readback: 0 };
  let write = 0;
  let checksum = 0;
  const writer = mode.endsWith('-npy') ? new NpyWriter(join(dir, 'table.npy'), backend.dtype, rows, steps) : null;
  if (mode === 'webgpu-stats') {
    // per-schedule statistics reduced on the device: no table comes back
    const t = performance.now();
    const rowStats = await stats(plan, null, { backend });
    timings.compute += performance.now() - t;
    checksum = rowStats[0].sum;
  } else
    await backend.run(
      plan,
      (tile) => {
        const t = performance.now();
        if (writer) writer.write(tile);
        else checksum += tile.data[0] + tile.data[tile.data.length - 1];
        write += performance.now() - t;
      },
      { timings },
    );
  if (writer) {
    const t = performance.now();
    writer.commit();
    write += performance.now() - t;
  }
  const total = (performance.now() - started) / 1000;
  const result = { seconds: total, stages: { compile: compileMs, ...timings, write }, checksum };
  if (!best || result.seconds < best.seconds) best = result;
}
rmSync(dir, { recursive: true, force: true });
gpu?.release?.();
const values = rows * steps;
console.log(
  JSON.stringify({
    ...job,
    values,
    seconds: best.seconds,
    valuesPerSecond: values / best.seconds,
    stagesMs: Object.fromEntries(Object.entries(best.stages).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    device: backend.describe(),
  }),
);
process.exit(0);
