// A first benchmark of `schedgpu eval`'s engine: values per second on the cpu backend (one thread,
// all threads) and on webgpu (table read back to the host), for a heterogeneous batch of noether
// schedules. Run with `npm run bench` (builds first). Timings are wall clock, best of 3.
import { availableParallelism, cpus } from 'node:os';
import { compile, CpuBackend, requestGpu, WebGpuBackend } from '../dist/index.js';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? [
      [64, 10_000],
      [256, 100_000],
    ]
  : [
      [64, 10_000],
      [256, 100_000],
      [1024, 200_000],
      [16, 10_000_000],
    ];

function specs(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const peak = 1e-4 * (1 + (i % 7));
    switch (i % 4) {
      case 0:
        out.push({
          kind: 'LinearWarmupCosineDecaySchedule',
          max_value: peak,
          end_value: peak / 100,
          warmup_percent: 0.01 * (i % 10),
        });
        break;
      case 1:
        out.push({ kind: 'PolynomialDecreasingSchedule', max_value: peak, power: 0.5 + (i % 5) });
        break;
      case 2:
        out.push({
          kind: 'StepDecreasingSchedule',
          max_value: peak,
          end_value: 0,
          factor: 0.5,
          decreases_interval: 0.1 + 0.01 * (i % 9),
        });
        break;
      default:
        out.push({
          kind: 'SequentialPercentSchedule',
          schedule_configs: [
            { schedule: { kind: 'LinearIncreasingSchedule', max_value: peak, exclude_first: true }, end_percent: 0.05 },
            { schedule: { kind: 'ConstantSchedule', value: peak }, end_percent: 0.8 },
            { schedule: { kind: 'CosineDecreasingSchedule', max_value: peak, end_value: 0 } },
          ],
        });
    }
  }
  return out;
}

async function time(backend, plan) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    let sum = 0;
    await backend.run(plan, (tile) => {
      sum += tile.data[0];
    });
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

const gpu = await requestGpu();
const backends = [
  ['cpu, 1 thread', new CpuBackend({ workers: 1 })],
  [`cpu, ${availableParallelism()} threads`, new CpuBackend({ workerThreshold: 0 })],
];
if (!('reason' in gpu))
  backends.push([
    `webgpu (${gpu.adapter.split(' / ').slice(0, 2).join(' ')}), read back`,
    new WebGpuBackend(gpu.device, { adapter: gpu.adapter }),
  ]);
else console.log(`webgpu skipped: ${gpu.reason}`);

console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} x ${availableParallelism()}, node ${process.version}`);
console.log('| schedules x steps | values | backend | seconds | values/s |');
console.log('|---|---|---|---|---|');
for (const [rows, steps] of SIZES) {
  const t0 = performance.now();
  const plan = compile(specs(rows), steps);
  const compileMs = performance.now() - t0;
  for (const [name, backend] of backends) {
    const s = await time(backend, plan);
    console.log(
      `| ${rows} x ${steps} | ${(rows * steps).toExponential(1)} | ${name} | ${s.toFixed(3)} | ${((rows * steps) / s).toExponential(2)} |`,
    );
  }
  console.log(`| ${rows} x ${steps} | | (compile) | ${(compileMs / 1000).toFixed(3)} | |`);
}
if (!('reason' in gpu)) gpu.release();
