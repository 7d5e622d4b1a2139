// The structural sweep to .npy, whole process against whole process: `schedgpu eval --backend cpu
// --out table.npy` and the numpy peer writing the same float64 table (bench/peers/numpy_peer.py with
// "out"), alternated, median of the runs; then both files are loaded and compared. Used by
// bench/run.mjs (also with --quick); on its own: node bench/structural.mjs [rows steps runs].
// Our file is flushed to disk before it is renamed into place (fsync); numpy's is not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './workloads.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function timed(cmd, args) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args[0]}: exit ${r.status}: ${(r.stderr || '').trim().split('\n').at(-1)}`);
  return seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function structuralComparison({ rows = 256, steps = 200_000, runs = 5, python = 'python3' } = {}) {
  const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `${python} with numpy is not installed` };
  const dir = mkdtempSync(join(tmpdir(), 'schedgpu-structural-'));
  try {
    const specs = join(dir, 'specs.json');
    writeFileSync(specs, JSON.stringify(WORKLOADS.b.specs(rows, steps)));
    const oursOut = join(dir, 'ours.npy');
    const numpyOut = join(dir, 'numpy.npy');
    const cli = [join(root, 'dist/cli.js'), 'eval', specs, '--steps', String(steps), '--backend', 'cpu'];
    const peer = [
      join(root, 'bench/peers/numpy_peer.py'),
      JSON.stringify({ workload: 'b', rows, steps, out: numpyOut }),
    ];
    const ours = [];
    const numpy = [];
    for (let i = 0; i < runs; i++) {
      // a fresh file each time (replacing a large file costs freeing its blocks first), and no dirty
      // pages left by the previous run: the kernel throttles writers while it writes those back
      rmSync(oursOut, { force: true });
      rmSync(numpyOut, { force: true });
      spawnSync('sync');
      ours.push(timed(process.execPath, [...cli, '--out', oursOut, '--quiet']));
      spawnSync('sync');
      numpy.push(timed(python, peer));
    }
    const check = spawnSync(
      python,
      [
        '-c',
        'import sys, numpy as np; a = np.load(sys.argv[1]); b = np.load(sys.argv[2]); ' +
          'print(float(np.max(np.abs(a - b)) / np.max(np.abs(b))))',
        oursOut,
        numpyOut,
      ],
      { encoding: 'utf8' },
    );
    const agreement = Number(check.stdout.trim());
    return {
      workload: 'b',
      rows,
      steps,
      values: rows * steps,
      runs,
      ours: { seconds: ours, median: median(ours) },
      numpy: { seconds: numpy, median: median(numpy) },
      vsNumpy: median(numpy) / median(ours),
      // worst |ours - numpy| over max |numpy|, from the two files
      agreement: Number.isFinite(agreement) ? agreement : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderStructural(s) {
  if (!s) return [];
  if (s.skipped) return ['', `Structural sweep to .npy: skipped (${s.skipped}).`];
  return [
    '',
    `Structural sweep to .npy, whole process (workload b, ${s.rows} x ${s.steps}, float64, median of ${s.runs}): ` +
      `\`schedgpu eval --backend cpu --out\` ${s.ours.median.toFixed(2)} s, numpy ${s.numpy.median.toFixed(2)} s ` +
      `(**${s.vsNumpy.toFixed(2)}x** numpy); the two files agree to ${s.agreement?.toExponential(1) ?? '-'} of max|v|.`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rows, steps, runs] = process.argv.slice(2).map(Number);
  const result = structuralComparison({ rows: rows || undefined, steps: steps || undefined, runs: runs || undefined });
  console.log(JSON.stringify(result));
  console.error(renderStructural(result).join('\n'));
}
