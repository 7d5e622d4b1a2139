// `node bench/laws-acceptance.mjs [--converge] [--sizes 25,100,400]` (after `npx tsup`): issue 15's
// acceptance on the MPL paper's public data (test/fixtures/mpl). For each model size, `schedgpu fit`
// on the paper's three training runs (cosine_24000, constant_24000, wsdcon_9), then `schedgpu predict`
// on the six held-out runs; prints the mean over those six of each run's mean relative error, beside
// the paper's logged figure, and each fit's whole-process wall and CPU time. The mpl fit uses the
// default protocol (paper), the momentum law converge; --converge adds the mpl fit by converge.
// Nothing here is asserted: timings belong to bench/, never to the test suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test/fixtures/mpl');
const argSizes = process.argv.indexOf('--sizes');
const sizes = argSizes > 0 ? process.argv[argSizes + 1].split(',') : ['25', '100', '400'];
// the paper's logs/<size>.log, "Average Prede" of the test set
const PAPER = { 25: 0.0011022317743749073, 100: 0.0014248385942192765, 400: 0.0016797822106696487 };

const tmp = mkdtempSync(join(tmpdir(), 'schedgpu-laws-acceptance-'));
// the lr of every step comes from the fixture's own lrs.ts (no imports), compiled here once
writeFileSync(
  join(tmp, 'lrs.mjs'),
  transformSync(readFileSync(join(fixtures, 'lrs.ts'), 'utf8'), { loader: 'ts', format: 'esm' }).code,
);
const { paperLrs, TRAIN, TEST } = await import(pathToFileURL(join(tmp, 'lrs.mjs')).href);
for (const name of [...TRAIN, ...TEST])
  writeFileSync(join(tmp, `${name}.csv`), 'lr\n' + [...paperLrs(name)].join('\n') + '\n');

function runsFile(size, names, file) {
  const lines = names.map((n) => `  - {id: ${n}, loss: ${join(fixtures, `csv_${size}`, `${n}.csv`)}, lr: ${n}.csv}`);
  writeFileSync(join(tmp, file), 'runs:\n' + lines.join('\n') + '\n');
  return join(tmp, file);
}

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Run the CLI; wall seconds and (with /usr/bin/time) user + system CPU seconds of the whole process. */
function cli(args) {
  const cmd = [process.execPath, join(root, 'dist/cli.js'), ...args];
  const t0 = performance.now();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', 'TIME %U %S', ...cmd], { encoding: 'utf8' })
    : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const m = /TIME ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}

const variants = [
  { label: 'mpl (paper)', args: ['--law', 'mpl'] },
  { label: 'tissue (converge)', args: ['--law', 'tissue'] },
  ...(process.argv.includes('--converge')
    ? [{ label: 'mpl (converge)', args: ['--law', 'mpl', '--protocol', 'converge'] }]
    : []),
];
console.log(`cores: ${availableParallelism()}, load average at start: ${loadavg()[0].toFixed(2)}`);
console.log('| size | fit | held-out mean rel. error | paper (its log) | per held-out run | fit wall s | fit CPU s |');
console.log('|---|---|---|---|---|---|---|');
for (const size of sizes) {
  const train = runsFile(size, TRAIN, `train-${size}.yaml`);
  const test = runsFile(size, TEST, `test-${size}.yaml`);
  for (const v of variants) {
    const params = join(tmp, `params-${size}.json`);
    const t = cli(['fit', train, ...v.args, '--out', params]);
    const pred = join(tmp, `pred-${size}.json`);
    cli(['predict', test, '--params', params, '--out', pred]);
    const errs = JSON.parse(readFileSync(pred, 'utf8')).runs.map((r) => r.mean_rel_err);
    const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
    const pct = (x, d) => `${(x * 100).toFixed(d)}%`;
    console.log(
      `| ${size}M | ${v.label} | ${pct(mean, 5)} | ${pct(PAPER[size], 5)} | ${errs.map((e) => pct(e, 3)).join(' ')} | ${t.wall.toFixed(1)} | ${t.cpu.toFixed(1)} |`,
    );
  }
}
console.log(`held-out runs, in order: ${TEST.join(', ')}; load average at end: ${loadavg()[0].toFixed(2)}`);
rmSync(tmp, { recursive: true, force: true });
