// `npm run bench [-- --quick]`: the benchmark matrix (workloads x sizes x backends, and the numpy
// and torch peers), each cell in its own process for honest peak RSS; the machine's memory write
// bandwidth, the adapter's buffer-copy bandwidth and its store-only kernel (bench/roofline.mjs) as
// reference lines; results as JSON under bench/results/ and, with --docs, as the tables of
// docs/performance.md. `--gpu-only` runs the webgpu cells alone (no cpu cells, no peers; what
// bench/gpu.sh runs). Nothing here is asserted: the test suite never depends on timing.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, hostname, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { evaluate, requestGpu } from '../dist/index.js';
import { threadScaling } from './scaling.mjs';
import { structuralComparison } from './structural.mjs';
import { bufferCopyBandwidth, rooflineTile, storeOnlyThroughput } from './roofline.mjs';
import { WORKLOADS } from './workloads.mjs';

const quick = process.argv.includes('--quick');
const gpuOnly = process.argv.includes('--gpu-only');
// the page's tables hold every backend and the peers
if (gpuOnly && process.argv.includes('--docs')) throw new Error('--docs needs the whole matrix: drop --gpu-only');
const root = fileURLToPath(new URL('..', import.meta.url));
const SIZES = quick
  ? [
      [10, 10_000],
      [100, 10_000],
      [100, 100_000],
    ]
  : [
      [10, 10_000],
      [100, 10_000],
      [100, 100_000],
      [1000, 100_000],
      [1000, 1_000_000],
    ];
const MODES = ['cpu-1', 'cpu-all', 'webgpu-readback', 'webgpu-npy', 'webgpu-high', 'webgpu-stats'].filter(
  (m) => !gpuOnly || m.startsWith('webgpu'),
);
const TORCH_MAX_VALUES = 1_000_000;

function child(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (r.status !== 0 || !line)
    return {
      error: (r.stderr || r.stdout || `exit ${r.status}`)
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('Warning: max'))
        .slice(-1)[0],
    };
  return JSON.parse(line);
}

function python(script, job) {
  const probe = spawnSync('python3', ['-c', script === 'numpy' ? 'import numpy' : 'import sys'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `python3 with ${script} is not installed` };
  return child('python3', [`bench/peers/${script}_peer.py`, JSON.stringify(job)]);
}

/** Memory write bandwidth: a large Float32Array fill, best of 5. */
function memoryWriteBandwidth() {
  const a = new Float32Array(64 * 2 ** 20);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    a.fill(i + 1);
    best = Math.min(best, performance.now() - t);
  }
  return a.byteLength / (best / 1000);
}

/** Our values at the peer's sample positions, to check the peer computed the same schedules. */
async function samplesAgree(workload, rows, steps, samples) {
  const wanted = Object.keys(samples).map((k) => k.split(',').map(Number));
  const rowSet = [...new Set(wanted.map(([r]) => r))];
  const specs = WORKLOADS[workload].specs(rows, steps);
  const table = await evaluate(
    rowSet.map((r) => specs[r]),
    steps,
    { backend: 'cpu' },
  );
  let worst = 0;
  for (const [r, s] of wanted) {
    const ours = table.values[rowSet.indexOf(r) * steps + s];
    const theirs = samples[`${r},${s}`];
    worst = Math.max(worst, Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-300));
  }
  return worst;
}

const started = performance.now();
const gpu = await requestGpu();
const machine = {
  host: hostname(),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memoryGB: Math.round(totalmem() / 2 ** 30),
  os: `${process.platform} ${release()}`,
  node: process.version,
  adapter: 'reason' in gpu ? `none (${gpu.reason})` : gpu.adapter,
};
const reference = { memoryWriteBytesPerSecond: memoryWriteBandwidth() };
// what a second thread can add on this machine at all, for the cpu cells' scaling (bench/scaling.mjs)
if (!gpuOnly) reference.threadScaling = await threadScaling();
if (!('reason' in gpu)) {
  reference.bufferCopyBytesPerSecond = await bufferCopyBandwidth(gpu.device);
  // the store-only kernel over the evaluate kernel's tile shape for the longest runs measured
  const store = await storeOnlyThroughput(gpu.device, rooflineTile(Math.max(...SIZES.map(([, s]) => s))));
  reference.storeOnlyValuesPerSecond = store.valuesPerSecond;
  reference.storeOnly = store;
  gpu.release();
}
const versions = {
  schedgpu: JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version,
  numpy:
    spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).stdout.trim() || null,
  torch:
    spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim() || null,
};
console.error(`machine: ${machine.cpu} x ${machine.cores}, adapter: ${machine.adapter}`);
if (reference.threadScaling)
  console.error(
    `thread scaling of plain loops (1 -> ${reference.threadScaling.threads}): compute ${reference.threadScaling.compute.ratio.toFixed(2)}x, stream ${reference.threadScaling.stream.ratio.toFixed(2)}x`,
  );
if (reference.storeOnlyValuesPerSecond)
  console.error(
    `roofline: store-only kernel ${reference.storeOnlyValuesPerSecond.toExponential(2)} values/s, ` +
      `buffer copy ${(reference.bufferCopyBytesPerSecond / 1e9).toFixed(1)} GB/s`,
  );

const rows = [];
for (const workload of Object.keys(WORKLOADS))
  for (const [nRows, steps] of SIZES) {
    const values = nRows * steps;
    const repeats = values <= 1e7 ? 3 : 1;
    const job = { workload, rows: nRows, steps, repeats };
    const numpy = gpuOnly ? { skipped: '--gpu-only' } : python('numpy', job);
    if (numpy.samples) numpy.agreement = await samplesAgree(workload, nRows, steps, numpy.samples);
    const torch = gpuOnly
      ? { skipped: '--gpu-only' }
      : values <= TORCH_MAX_VALUES
        ? python('torch', { workload, rows: nRows, steps })
        : { skipped: `a stepping loop over ${values.toExponential(0)} values is not run` };
    const cell = { workload, rows: nRows, steps, values, numpy, torch, backends: {} };
    for (const mode of MODES) {
      if (mode.startsWith('webgpu') && 'reason' in gpu) {
        cell.backends[mode] = { skipped: gpu.reason };
        continue;
      }
      const r = child(process.execPath, ['bench/row.mjs', JSON.stringify({ ...job, mode })]);
      if (r.valuesPerSecond && numpy.valuesPerSecond) r.vsNumpy = r.valuesPerSecond / numpy.valuesPerSecond;
      if (r.valuesPerSecond) {
        const bytes = r.valuesPerSecond * (mode.startsWith('cpu') || mode === 'webgpu-high' ? 8 : 4); // values made (stats: never stored)
        r.fractionOfMemoryWrite = bytes / reference.memoryWriteBytesPerSecond;
        if (mode.startsWith('webgpu') && reference.bufferCopyBytesPerSecond)
          r.fractionOfBufferCopy = bytes / reference.bufferCopyBytesPerSecond;
        if (mode.startsWith('webgpu') && reference.storeOnlyValuesPerSecond) {
          // end to end, and the kernel alone (the compute stage: timestamp queries where the adapter
          // has them; on a CPU adapter the host's readback work competes with it for the cores)
          r.fractionOfStoreOnly = r.valuesPerSecond / reference.storeOnlyValuesPerSecond;
          if (r.stagesMs?.compute && mode !== 'webgpu-stats')
            r.kernelFractionOfStoreOnly = values / (r.stagesMs.compute / 1000) / reference.storeOnlyValuesPerSecond;
        }
      }
      cell.backends[mode] = r;
    }
    rows.push(cell);
    const fmt = (r) =>
      r.valuesPerSecond
        ? `${r.valuesPerSecond.toExponential(2)}${r.fractionOfStoreOnly ? ` (${(100 * r.fractionOfStoreOnly).toFixed(0)}% of store-only)` : ''}`
        : r.skipped
          ? 'skipped'
          : `error: ${r.error}`;
    console.error(
      `${workload} ${nRows}x${steps}: numpy ${fmt(numpy)} | ${MODES.map((m) => `${m} ${fmt(cell.backends[m])}`).join(' | ')}`,
    );
  }

// the structural sweep to .npy, whole process against whole process (also with --quick)
const structural = structuralComparison({ runs: quick ? 3 : 5 });
console.error(
  structural.skipped
    ? `structural sweep: skipped (${structural.skipped})`
    : `structural sweep to .npy: ours ${structural.ours.median.toFixed(2)} s, numpy ${structural.numpy.median.toFixed(2)} s (${structural.vsNumpy.toFixed(2)}x)`,
);

const result = {
  date: new Date().toISOString(),
  quick,
  machine,
  versions,
  reference,
  structural,
  seconds: (performance.now() - started) / 1000,
  rows,
};
const stamp = result.date.slice(0, 16).replace(/[:T]/g, '-');
const file = `bench/results/${stamp}${gpuOnly ? '-gpu' : ''}${quick ? '-quick' : ''}.json`;
writeFileSync(`${root}/${file}`, JSON.stringify(result, null, 2) + '\n');
console.error(`wrote ${file} (${result.seconds.toFixed(0)} s)`);
if (process.argv.includes('--docs')) {
  const { renderPerformance } = await import('./performance-page.mjs');
  const page = `${root}/docs/performance.md`;
  const text = readFileSync(page, 'utf8');
  const markers = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  // without the markers the replace would silently keep the old numbers
  if (!markers.test(text)) throw new Error(`${page}: no <!-- bench:start --> ... <!-- bench:end --> block to rewrite`);
  const block = renderPerformance(result, file);
  writeFileSync(page, text.replace(markers, `<!-- bench:start -->\n${block}\n<!-- bench:end -->`));
  console.error('updated docs/performance.md');
}
