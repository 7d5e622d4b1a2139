/**
 * Sweeps: expansion (grid / zip / random, dotted paths, ragged runs), errors pointing into the
 * sweep file, the output directory, resume after SIGKILL (byte-identical), torn tiles, shards and
 * merge, and the memory bound while writing a table larger than memory allows.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.js';
import { SpecError } from '../src/errors.js';
import { parseNpyHeader } from '../src/sinks/npy.js';
import { expandSweep } from '../src/sweep/expand.js';
import { readManifest } from '../src/sweep/manifest.js';
import { compileSweepPlan } from '../src/sweep/plan.js';
import { CLI_PATH, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-sweep-'));
const LWCD = { kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, end_value: 1e-6, warmup_percent: 0.05 };

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function readTable(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const h = parseNpyHeader(bytes);
  const data = bytes.slice(h.dataOffset).buffer;
  return { ...h, values: h.dtype === 'float64' ? new Float64Array(data) : new Float32Array(data) };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectSpecError(raw: unknown, line: string) {
  let error: unknown;
  try {
    expandSweep(raw);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SpecError);
  expect((error as Error).message).toBe(line);
}

describe('sweep expansion', () => {
  it('orders grid x zip x random like itertools.product, with numpy ranges', () => {
    const { variants, paramNames } = expandSweep({
      steps: 100,
      base: LWCD,
      grid: { max_value: [1e-4, 1e-3], warmup_percent: { linspace: [0, 0.1, 3] } },
      zip: { end_value: { logspace: [-7, -5, 2] }, start_value: [0, 1e-8] },
    });
    expect(paramNames).toEqual(['max_value', 'warmup_percent', 'end_value', 'start_value']);
    expect(variants).toHaveLength(2 * 3 * 2);
    expect(variants.map((v) => [v.params.max_value, v.params.warmup_percent, v.params.end_value])).toEqual([
      [1e-4, 0, 1e-7],
      [1e-4, 0, 1e-5],
      [1e-4, 0.05, 1e-7],
      [1e-4, 0.05, 1e-5],
      [1e-4, 0.1, 1e-7],
      [1e-4, 0.1, 1e-5],
      [1e-3, 0, 1e-7],
      [1e-3, 0, 1e-5],
      [1e-3, 0.05, 1e-7],
      [1e-3, 0.05, 1e-5],
      [1e-3, 0.1, 1e-7],
      [1e-3, 0.1, 1e-5],
    ]);
    expect(variants[5].run.spec.warmup_percent).toBe(0.1);
    expect(variants[5].run.spec.start_value).toBe(1e-8);
    expect(variants.map((v) => v.id)).toEqual(variants.map((_, i) => `v${i}`));
  });

  it('draws random parameters reproducibly, stratified under latin_hypercube', () => {
    const sweep = (lhs: boolean, seed = 5) =>
      expandSweep({
        steps: 10,
        base: LWCD,
        random: {
          n: 50,
          seed,
          latin_hypercube: lhs,
          params: { max_value: { loguniform: [1e-5, 1e-2] }, warmup_percent: { uniform: [0, 0.2] } },
        },
      });
    const a = sweep(true).variants.map((v) => v.params.warmup_percent as number);
    expect(sweep(true).variants.map((v) => v.params.warmup_percent)).toEqual(a);
    expect(sweep(true, 6).variants.map((v) => v.params.warmup_percent)).not.toEqual(a);
    // one draw in each of the 50 strata of [0, 0.2)
    expect(new Set(a.map((w) => Math.floor((w / 0.2) * 50))).size).toBe(50);
    const logs = sweep(false).variants.map((v) => Math.log10(v.params.max_value as number));
    expect(Math.min(...logs)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...logs)).toBeLessThan(-2);
  });

  it('reaches nested fields by dotted path, and several bases', () => {
    const seq = {
      kind: 'SequentialStepSchedule',
      schedule_configs: [
        { schedule: { kind: 'LinearIncreasingSchedule', max_value: 1.0, exclude_first: true }, end_step: 10 },
        { schedule: { kind: 'CosineDecreasingSchedule', max_value: 1.0, end_value: 0.0 } },
      ],
    };
    const { variants } = expandSweep({
      steps: 50,
      bases: [seq],
      grid: { 'schedule_configs.1.schedule.end_value': [0.1, 0.2], 'schedule_configs.0.end_step': [5, 20] },
      id: 'seq-{schedule_configs.0.end_step}-{index}',
    });
    expect(variants.map((v) => v.id)).toEqual(['seq-5-0', 'seq-20-1', 'seq-5-2', 'seq-20-3']);
    const configs = variants[3].run.spec.schedule_configs as { schedule: { end_value: number }; end_step: number }[];
    expect(configs[1].schedule.end_value).toBe(0.2);
    expect(configs[0].end_step).toBe(20);
  });

  it('points errors at the sweep file', () => {
    expectSpecError(
      { steps: 10, base: LWCD, grid: { warmup_percent: [0.1, 1.5] } },
      'grid.warmup_percent[1]: must be in [0, 1], got 1.5',
    );
    expectSpecError({ steps: 10, base: { ...LWCD, max_value: 'x' } }, 'base.max_value: must be a number, got "x"');
    expectSpecError(
      { steps: 10, bases: [LWCD, { kind: 'Nope' }] },
      'bases[1].kind: is not a known kind (`schedgpu kinds` lists them), got "Nope"',
    );
    expectSpecError(
      { steps: 10, base: LWCD, grid: { 'schedule_configs.1.end_step': [1] } },
      'grid.schedule_configs.1.end_step: base has no schedule_configs, got 1',
    );
    expectSpecError(
      { steps: 10, base: LWCD, zip: { max_value: [1, 2], end_value: [0] } },
      'zip.end_value: must have as many values as max_value (2), got "1 values"',
    );
    expectSpecError(
      { steps: 10, base: LWCD, grid: { max_value: 3 } },
      'grid.max_value: must be a list, or {linspace|logspace|geomspace: [start, stop, n]}, got 3',
    );
    expectSpecError({ base: LWCD }, 'steps: is required (or sweep `steps` itself), got nothing');
    expectSpecError(
      { steps: 10, base: LWCD, grid: { max_value: [1, 2] }, id: 'same' },
      'id: gives variants 0 and 1 the same id (add {index} or a swept parameter), got "same"',
    );
    expectSpecError(
      { steps: 10, base: LWCD, gird: {} },
      'gird: is not a sweep field (steps, base, bases, grid, zip, random, id), got {}',
    );
    // refused at a step: found when the sweep compiles, still pointing into the sweep file
    const custom = expandSweep({
      steps: 10,
      base: { kind: 'CustomSchedule', values: [1, 2] },
      grid: { steps: [2, 3] },
    });
    expect(() => compileSweepPlan(custom.variants, custom.steps)).toThrow(
      'base.values: the framework refuses step 2 (IndexError: list index out of range), got 2 values',
    );
  });
});

describe('schedgpu sweep', () => {
  const sweepFile = write('s.json', {
    steps: 3000,
    bases: [LWCD, { kind: 'StepIntervalSchedule', start_value: 1.0, factor: 0.5, update_interval: 0.25 }],
    grid: { max_value: [1e-4, 1e-3] },
    zip: { steps: [3000, 1234] },
    id: '{kind}-{index}',
  });

  it('writes table.npy, params.csv, manifest.json and status.log; ragged runs end in NaN', async () => {
    const out = join(dir, 'out1');
    const r = runCli(['sweep', sweepFile, '--out', out, '--backend', 'cpu', '--tile-values', '2000']);
    expect(r.code, r.stderr).toBe(0);
    const table = readTable(join(out, 'table.npy'));
    expect(table.shape).toEqual([8, 3000]);
    expect(table.dtype).toBe('float64');
    const csv = readFileSync(join(out, 'params.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('index,id,max_value,steps,kind');
    expect(csv[2]).toBe(
      '1,LinearWarmupCosineDecaySchedule-1,0.0001,1234,noether.core.schedules.LinearWarmupCosineDecaySchedule',
    );
    const manifest = readManifest(out)!;
    expect(manifest.complete).toBe(true);
    expect(manifest.tiles.every((t) => t.done && /^[0-9a-f]{64}$/.test(t.sha256!))).toBe(true);
    expect(readFileSync(join(out, 'status.log'), 'utf8').match(/ tile /g)).toHaveLength(manifest.tiles.length);
    // row 1 is variant 1: lwcd with max 1e-4 over 1234 steps, then NaN
    const direct = await evaluate({ ...LWCD, max_value: 1e-4 }, 1234, { backend: 'cpu' });
    expect(Array.from(table.values.subarray(3000, 3000 + 1234))).toEqual(Array.from(direct.values));
    expect(table.values.subarray(3000 + 1234, 6000).every(Number.isNaN)).toBe(true);
    // StepInterval ignores max_value (noether ignores unknown keys) but runs
    expect(table.values[4 * 3000]).toBe(1);
  });

  it('refuses a used directory without --resume, and a changed sweep with it', () => {
    const out = join(dir, 'out1');
    expect(runCli(['sweep', sweepFile, '--out', out, '--backend', 'cpu']).errLines).toEqual([
      `--out: already holds a sweep (add --resume to continue it, or choose another directory), got ${JSON.stringify(out)}`,
    ]);
    const changed = write('changed.json', {
      ...JSON.parse(readFileSync(sweepFile, 'utf8')),
      grid: { max_value: [1e-4, 2e-3] },
    });
    const r = runCli(['sweep', changed, '--out', out, '--backend', 'cpu', '--tile-values', '2000', '--resume']);
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    // variant 2 is the first with the new max_value (bases x grid x zip order)
    expect(r.errLines[0]).toMatch(
      /^variants\[2\]\.spec: differs from the run being resumed \(was "[0-9a-f]{64}"\), got "[0-9a-f]{64}"$/,
    );
  });

  it('recomputes a torn tile on --resume and ends byte-identical', () => {
    const out = join(dir, 'out1');
    const before = sha(join(out, 'table.npy'));
    const m = readManifest(out)!;
    const fd = openSync(join(out, 'table.npy'), 'r+');
    writeSync(fd, Buffer.from('garbage!'), 0, 8, m.table.dataOffset + 8 * 5);
    closeSync(fd);
    const r = runCli(['sweep', sweepFile, '--out', out, '--backend', 'cpu', '--tile-values', '2000', '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.at(-1)).toMatch(/1 tiles computed, \d+ tiles kept from before/);
    expect(sha(join(out, 'table.npy'))).toBe(before);
  });

  it('refuses f64 from f32 webgpu and a bad shard; f64 from webgpu uses its double-float path', () => {
    const f32Gpu = ['--backend', 'webgpu', '--dtype', 'f64', '--precision', 'standard'];
    expect(runCli(['sweep', sweepFile, '--out', join(dir, 'x'), ...f32Gpu]).errLines.at(-1)).toMatch(
      /^--dtype: f64 needs a float64 backend|^schedgpu: --backend webgpu:/,
    );
    const high = runCli(['sweep', sweepFile, '--out', join(dir, 'high'), '--backend', 'webgpu', '--dtype', 'f64']);
    if (high.code === 0) {
      expect(readTable(join(dir, 'high', 'table.npy')).dtype).toBe('float64');
      expect(high.errLines.at(-1)).toMatch(/webgpu \(double-float/);
    } else expect(high.errLines.at(-1)).toMatch(/^schedgpu: --backend webgpu:/);
    expect(runCli(['sweep', sweepFile, '--out', join(dir, 'x'), '--shard', '3/3']).errLines).toEqual([
      '--shard: must be i/n with 0 <= i < n, got "3/3"',
    ]);
    expect(existsSync(join(dir, 'x', 'table.npy'))).toBe(false);
  });

  it('picks the backend from the compiled plan under auto: values beyond float32 go to the cpu', () => {
    const file = write('huge.json', {
      steps: 50,
      base: { kind: 'LinearDecreasingSchedule', max_value: 1e39, end_value: 0 },
      grid: { max_value: [1e39, 3e39] },
    });
    const r = runCli(['sweep', file, '--out', join(dir, 'huge')]);
    expect(r.code).toBe(0);
    expect(r.errLines[0]).toBe('schedgpu: using the cpu backend: values beyond float32 range (+-3.4e38)');
    const table = readTable(join(dir, 'huge', 'table.npy'));
    expect(table.dtype).toBe('float64');
    expect(table.values[50]).toBe(3e39);
  });

  it('shards merge into the unsharded table, byte for byte', () => {
    const file = write('shard.json', {
      steps: 5000,
      base: LWCD,
      grid: { max_value: { geomspace: [1e-4, 1e-2, 7] }, warmup_percent: [0, 0.1] },
    });
    const whole = join(dir, 'whole');
    expect(runCli(['sweep', file, '--out', whole, '--tile-values', '3000']).code).toBe(0);
    const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
    shards.forEach((s, i) =>
      expect(runCli(['sweep', file, '--out', s, '--shard', `${i}/3`, '--tile-values', '7000']).code).toBe(0),
    );
    expect(runCli(['merge', join(dir, 'merged'), shards[0]]).errLines).toEqual([
      '<dir>: needs every shard 0..2 exactly once, got shards 0',
    ]);
    const merged = runCli(['merge', join(dir, 'merged'), shards[2], shards[0], shards[1]]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(sha(join(dir, 'merged', 'table.npy'))).toBe(sha(join(whole, 'table.npy')));
    expect(readFileSync(join(dir, 'merged', 'params.csv'), 'utf8')).toBe(
      readFileSync(join(whole, 'params.csv'), 'utf8'),
    );
  });

  it('survives SIGKILL at random points and resumes to the same bytes', async () => {
    const file = write('kill.json', {
      steps: 200000,
      base: LWCD,
      grid: { max_value: { geomspace: [1e-4, 1e-2, 10] }, warmup_percent: { linspace: [0, 0.1, 6] } },
    });
    const args = (out: string) => [
      'sweep',
      file,
      '--out',
      out,
      '--backend',
      'cpu',
      '--workers',
      '1',
      '--tile-values',
      '100000',
      '--quiet',
    ];
    const whole = join(dir, 'kill-whole');
    expect(runCli(args(whole)).code).toBe(0);
    const out = join(dir, 'kill');
    let kept = 0;
    for (let round = 0; round < 4; round++) {
      const target = 10 + Math.floor(Math.random() * 15) + round * 25;
      const child = spawn(process.execPath, [CLI_PATH, ...args(out), '--resume'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // kill once the manifest records enough finished tiles
      for (;;) {
        await new Promise((r) => setTimeout(r, 20));
        const m = existsSync(join(out, 'manifest.json')) ? readManifest(out) : null;
        const done = m?.tiles.filter((t) => t.done).length ?? 0;
        if (done >= target || m?.complete || child.exitCode !== null) break;
      }
      child.kill('SIGKILL');
      await exited;
      kept = Math.max(kept, readManifest(out)?.tiles.filter((t) => t.done).length ?? 0);
    }
    const r = runCli([...args(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(kept).toBeGreaterThan(0);
    expect(r.errLines.at(-1)).toMatch(/tiles kept from before/);
    expect(sha(join(out, 'table.npy'))).toBe(sha(join(whole, 'table.npy')));
  });
});
