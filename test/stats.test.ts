/**
 * Statistics and ranking: the tiled f64 reduction equals a plain fold of the oracle's values, the
 * WebGPU reduction (values never leave the device) equals the f64 one within f32 tolerances, long
 * sums stay within 1e-6, and rank equals the scaling law evaluated on the whole curve.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { compile } from '../src/evaluate.js';
import type { Plan } from '../src/plan/compile.js';
import { collectTable } from '../src/sinks/table.js';
import { rangeSet, rowStats, type RowStats } from '../src/stats/define.js';
import { computePartials } from '../src/stats/engine.js';
import { predictedLossCurve, rank, stats } from '../src/stats/index.js';
import { predictedLossCurveOnGpu, scanOnGpu } from '../src/stats/scan.js';
import { topLevelSpec } from './helpers/arbitraries.js';
import { runCli } from './helpers/cli.js';
import { gpuForTests } from './helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());
const cpu = new CpuBackend({ workers: 1 });

/** Random valid specs that evaluate over `steps` steps, as one plan. */
function randomPlan(seed: number, count: number, steps: number): { specs: unknown[]; plan: Plan } {
  const specs: unknown[] = [];
  for (const raw of fc.sample(topLevelSpec, { numRuns: count * 4, seed })) {
    if (specs.length === count) break;
    try {
      compile(raw, steps);
      specs.push(raw);
    } catch {
      // refused configs are the spec tests' business
    }
  }
  return { specs, plan: compile(specs, steps) };
}

/** timm schedules with noise: rows of two tracks (the schedule times its noise), noise on part of the run. */
function noisyPlan(count: number, steps: number): Plan {
  const pcts = [0.67, 0.1, 1, 0.01];
  const specs = Array.from({ length: count }, (_, i) => ({
    kind: 'CosineLRScheduler',
    base_lr: 0.1,
    t_initial: Math.floor(steps / 2) + 37 * i,
    warmup_t: 3 * i,
    noise_range_t: [11 * i, steps - 5 * i],
    noise_pct: pcts[i % pcts.length],
    noise_seed: i,
  }));
  return compile(specs, steps);
}

/**
 * The statistics from their definitions, folded over one row of the untiled table (the plan's
 * values; plan-vs-oracle holds those to the oracle), without tiles, halos or ranges.
 */
function foldRow(row: ArrayLike<number>, at: number[], windows: [number, number][]) {
  const steps = row.length;
  const v = Array.from(row);
  const f = v.map((x) => (Math.abs(x) < 1.1754943508222875e-38 ? 0 : x));
  let jumps = 0;
  for (let t = 1; t < steps; t++) {
    const d = Math.abs(f[t] - f[t - 1]);
    const prev = t >= 2 ? Math.abs(f[t - 1] - f[t - 2]) : 0;
    const next = t + 1 < steps ? Math.abs(f[t + 1] - f[t]) : 0;
    if (d > 1e-5 * Math.max(Math.abs(f[t]), Math.abs(f[t - 1])) && d > 4 * Math.max(prev, next)) jumps++;
  }
  const sumOf = (a: number, b: number) => v.slice(a, b).reduce((s, x) => s + x, 0);
  const min = Math.min(...v);
  const max = Math.max(...v);
  return {
    v,
    first: v[0],
    last: v[steps - 1],
    min,
    argmin: v.indexOf(min),
    max,
    argmax: v.indexOf(max),
    sum: sumOf(0, steps),
    discontinuities: jumps,
    at: at.map((s) => v[s]),
    windows: windows.map(([a, b]) => sumOf(a, b)),
    scale: v.reduce((s, x) => s + Math.abs(x), 0),
  };
}

async function partialsStats(
  plan: Plan,
  backend: CpuBackend | WebGpuBackend,
  at: number[],
  windows: [number, number][],
  tileSteps: number,
): Promise<RowStats[]> {
  const set = rangeSet(plan.steps, at, windows);
  return rowStats(plan.ids, set, await computePartials(plan, set, backend, { tileSteps }));
}

describe('stats', () => {
  it('cpu: worker threads fold tiles where they evaluate them, to the same bits as this thread', async () => {
    const { plan } = randomPlan(11, 60, 4000);
    const set = rangeSet(plan.steps, [5, 2500], [[100, 3999]]);
    const inThread = await computePartials(plan, set, cpu, { tileSteps: 512, lambda: 0.999 });
    const pooled = new CpuBackend({ workers: 2, workerThreshold: 0 });
    const inWorkers = await computePartials(plan, set, pooled, { tileSteps: 512, lambda: 0.999 });
    await pooled.dispose();
    expect(inWorkers).toEqual(inThread);
    expect(inThread.some((p) => p.anneal !== 0 && p.jumps > 0)).toBe(true);
  });

  it('cpu: the tiled f64 reduction equals the definitions folded over the oracle', async () => {
    let checked = 0;
    for (const [seed, steps] of [
      [1, 2],
      [2, 7],
      [3, 200],
      [4, 1500],
      [5, 3001],
    ]) {
      const { specs, plan } = randomPlan(seed, 40, steps);
      const at = [0, Math.floor(steps / 3), steps - 1];
      const windows: [number, number][] = [[Math.floor(steps / 5), steps]];
      // tiles of 64 steps: ranges, halos and partials cross many tile edges
      const got = await partialsStats(plan, cpu, at, windows, 64);
      const table = (await collectTable(plan, cpu)).values;
      specs.forEach((spec, r) => {
        const want = foldRow(table.subarray(r * steps, (r + 1) * steps), at, windows);
        const g = got[r];
        const tol = 1e-13 * want.scale + 1e-300; // the plain sum here has its own rounding
        expect(Math.abs(g.sum - want.sum), `${JSON.stringify(spec)} sum`).toBeLessThanOrEqual(tol);
        expect(Math.abs(g.windows[0] - want.windows[0])).toBeLessThanOrEqual(tol);
        expect([g.first, g.last, g.min, g.argmin, g.max, g.argmax, g.discontinuities, ...g.at]).toEqual([
          want.first,
          want.last,
          want.min,
          want.argmin,
          want.max,
          want.argmax,
          want.discontinuities,
          ...want.at,
        ]);
        checked++;
      });
    }
    expect(checked).toBe(200);
  });

  it('webgpu: the on-device reduction equals the f64 one within f32 tolerances', async (ctx) => {
    if (!gpu) return ctx.skip();
    const gpuBackend = new WebGpuBackend(gpu.device, { valuesPerInvocation: 8 });
    let discontinuityMismatches = 0;
    let worstSum = 0;
    let rows = 0;
    const noisy = noisyPlan(20, 3000);
    expect(noisy.rowTracks[1] - noisy.rowTracks[0]).toBe(2);
    const plans = [
      randomPlan(11, 60, 3).plan,
      randomPlan(12, 60, 900).plan,
      randomPlan(13, 60, 5000).plan,
      randomPlan(14, 60, 40_000).plan,
      noisy,
    ];
    for (const plan of plans) {
      const steps = plan.steps;
      const at = [0, Math.floor(steps / 2), steps - 1];
      const windows: [number, number][] = [[0, Math.ceil(steps / 3)]];
      const want = await partialsStats(plan, cpu, at, windows, 1 << 16);
      // 1024-step tiles of 512-step blocks: many tiles and blocks per row
      const got = await partialsStats(plan, gpuBackend, at, windows, 1024);
      const values = (await collectTable(plan, cpu)).values;
      want.forEach((w, r) => {
        const g = got[r];
        const row = values.subarray(r * steps, (r + 1) * steps);
        const big = Math.max(...Array.from(row, Math.abs));
        const f32 = 1.2e-7 * big + 1e-37;
        const scale = Array.from(row).reduce((s, x) => s + Math.abs(x), 0);
        if (scale > 1e-30) worstSum = Math.max(worstSum, Math.abs(g.sum - w.sum) / scale);
        expect(Math.abs(g.sum - w.sum), `row ${r} sum`).toBeLessThanOrEqual(1e-6 * scale + 1e-37);
        expect(Math.abs(g.windows[0] - w.windows[0])).toBeLessThanOrEqual(1e-6 * scale + 1e-37);
        for (const [a, b] of [
          [g.min, w.min],
          [g.max, w.max],
          [g.first, w.first],
          [g.last, w.last],
          ...g.at.map((x, i) => [x, w.at[i]]),
        ])
          expect(Math.abs(a - b), `row ${r}`).toBeLessThanOrEqual(f32);
        // where f32 rounding makes values tie, the first of them wins: its f64 value is within f32 of the extreme
        expect(Math.abs(row[g.argmin] - w.min)).toBeLessThanOrEqual(f32);
        expect(Math.abs(row[g.argmax] - w.max)).toBeLessThanOrEqual(f32);
        if (g.discontinuities !== w.discontinuities) discontinuityMismatches++;
        rows++;
      });
    }
    console.log(`stats webgpu vs cpu: ${rows} rows, worst sum error ${worstSum.toExponential(2)} of sum |v|`);
    expect(discontinuityMismatches).toBe(0);
  });

  it('webgpu: a 10M-step sum stays within 1e-6 of the f64 sum', async (ctx) => {
    if (!gpu) return ctx.skip();
    const spec = [{ kind: 'LinearWarmupCosineDecaySchedule', max_value: 3e-4, warmup_percent: 0.01, end_value: 1e-7 }];
    const steps = 10_000_000;
    const [want] = await stats(spec, steps, { backend: cpu });
    const [got] = await stats(spec, steps, { backend: new WebGpuBackend(gpu.device) });
    const error = Math.abs(got.sum - want.sum) / want.sum;
    console.log(`10M-step sum: relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-6);
    expect(got.discontinuities).toBe(want.discontinuities);
  });

  it('refuses bad at steps and windows, by their library names and codes', () => {
    expect(() => rangeSet(100, [100])).toThrow('at[0]: must be a step in [0, 100), got 100');
    expect(() => rangeSet(100, [], [[5, 5]])).toThrow(/^windows\[0\]: must be a:b/);
    expect(() => rangeSet(100, [100])).toThrow(expect.objectContaining({ code: 'at-out-of-range', path: ['at', 0] }));
  });
});

describe('prefix scan on the GPU', () => {
  it('equals the f64 running sum and momentum recurrence across block and level edges', async (ctx) => {
    if (!gpu) return ctx.skip();
    for (const n of [1, 255, 256, 257, 65_536 + 3, 300_001]) {
      const values = Float32Array.from(fc.sample(fc.double({ min: -1, max: 2, noNaN: true }), { numRuns: n, seed: n }));
      for (const [a, input] of [
        [1, 'values'],
        [0.999, 'decreases'],
        [0.9, 'values'],
      ] as const) {
        const got = await scanOnGpu(gpu.device, values, a, input);
        let x = 0;
        let scale = 0;
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const b = input === 'values' ? values[i] : i > 0 ? values[i - 1] - values[i] : 0;
          x = a * x + b;
          scale = a * scale + Math.abs(b);
          worst = Math.max(worst, Math.abs(got[i] - x) / Math.max(scale, 1e-30));
        }
        expect(worst, `n=${n} a=${a} ${input}`).toBeLessThan(1e-6);
      }
    }
  });

  it('gives the predicted loss curve of rank --curve on the device', async (ctx) => {
    if (!gpu) return ctx.skip();
    const law = { L0: 2.1, A: 0.4, alpha: 0.45, C: 0.6, lambda: 0.999 };
    const spec = [{ kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, warmup_percent: 0.03, end_value: 1e-6 }];
    const steps = 200_000;
    const plan = compile(spec, steps);
    const want = predictedLossCurve((await collectTable(plan, cpu)).values, law);
    const got = await predictedLossCurveOnGpu(plan, 0, steps, law, new WebGpuBackend(gpu.device));
    let worst = 0;
    for (let t = 0; t < steps; t++) worst = Math.max(worst, Math.abs(got[t] - want[t]) / Math.abs(want[t]));
    console.log(`loss curve on the GPU: worst relative error ${worst.toExponential(2)} over ${steps} steps`);
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('rank', () => {
  const law = { L0: 2.1, A: 0.4, alpha: 0.45, C: 0.6, lambda: 0.99 };
  const variants = [0, 0.02, 0.05, 0.1, 0.2, 0.5].flatMap((warmup) => [
    { id: `cos-${warmup}`, kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, warmup_percent: warmup },
    {
      id: `wsd-${warmup}`,
      kind: 'SequentialPercentSchedule',
      schedule_configs: [
        { schedule: { kind: 'LinearIncreasingSchedule', max_value: 1e-3 }, end_percent: Math.max(warmup, 0.01) },
        {
          schedule: { kind: 'ConstantSchedule', value: 1e-3 },
          start_percent: Math.max(warmup, 0.01),
          end_percent: 0.8,
        },
        { schedule: { kind: 'LinearDecreasingSchedule', max_value: 1e-3, end_value: 1e-5 }, start_percent: 0.8 },
      ],
    },
  ]);

  it('equals the law on the whole curve, at the end and at a step, on cpu and webgpu', async () => {
    const steps = 20_000;
    const table = (await collectTable(compile(variants, steps), cpu)).values;
    for (const atStep of [steps, 7_000]) {
      const want = variants.map(
        (v, r) => predictedLossCurve(table.subarray(r * steps, r * steps + atStep), law)[atStep - 1],
      );
      const ranked = await rank(variants, steps, law, { backend: cpu, atStep });
      expect(ranked.map((x) => x.loss)).toEqual([...ranked.map((x) => x.loss)].sort((a, b) => a - b));
      for (const x of ranked) expect(Math.abs(x.loss - want[x.row])).toBeLessThanOrEqual(1e-12 * Math.abs(want[x.row]));
      if (gpu) {
        const onGpu = await rank(variants, steps, law, { backend: new WebGpuBackend(gpu.device), atStep });
        for (const x of onGpu) expect(Math.abs(x.loss - want[x.row])).toBeLessThanOrEqual(1e-6 * Math.abs(want[x.row]));
      }
    }
  });

  it('schedgpu rank prints the best schedules; --curve prints one predicted curve', async () => {
    const dir = (await import('node:fs')).mkdtempSync('/tmp/schedgpu-rank-');
    const file = `${dir}/variants.json`;
    (await import('node:fs')).writeFileSync(file, JSON.stringify(variants));
    const args = [
      '--steps',
      '5000',
      '--L0',
      '2.1',
      '--A',
      '0.4',
      '--alpha',
      '0.45',
      '--C',
      '0.6',
      '--lambda',
      '0.99',
      '--backend',
      'cpu',
    ];
    const r = runCli(['rank', file, ...args, '--top', '3']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank\s+id\s+loss@5000\s+S1\s+S2$/);
    const best = (await rank(variants, 5000, law, { backend: cpu })).slice(0, 3);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(best.map((b) => b.id));
    const curve = runCli(['rank', file, ...args, '--curve', 'wsd-0.1']);
    expect(curve.code, curve.stderr).toBe(0);
    const last = curve.stdout.trim().split('\n').pop()!.split(',').map(Number);
    expect(last[0]).toBe(5000);
    const wsd = (await rank(variants, 5000, law, { backend: cpu })).find((b) => b.id === 'wsd-0.1')!;
    expect(Math.abs(last[2] - wsd.loss)).toBeLessThanOrEqual(1e-12 * wsd.loss);
    const bad = runCli(['rank', file, ...args, '--curve', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.errLines).toEqual([expect.stringMatching(/^--curve: is not an id of the file .*, got "nope"$/)]);
    for (const top of ['0', '1e1', '2.5', 'x']) {
      const badTop = runCli(['rank', file, ...args, '--top', top]);
      expect(badTop.code).toBe(2);
      expect(badTop.errLines).toEqual([`--top: must be a positive integer, got "${top}"`]);
      expect(badTop.stdout).toBe('');
    }
  });
});

describe('schedgpu stats', () => {
  it('writes CSV with --at and --window columns, equal to the library', async () => {
    const r = runCli([
      'stats',
      'examples/warmup-cosine.yaml',
      '--steps',
      '3000',
      '--at',
      '0,1500',
      '--window',
      '0:100',
      '--backend',
      'cpu',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toBe('id,first,last,min,argmin,max,argmax,mean,sum,discontinuities,at_0,at_1500,sum_0_100');
    const { readSpecFile } = await import('../src/spec/parse.js');
    const lib = await stats(readSpecFile('examples/warmup-cosine.yaml'), 3000, { at: [0, 1500], windows: [[0, 100]] });
    expect(rows.map((l) => Number(l.split(',')[8]))).toEqual(lib.map((s) => s.sum));
    expect(rows.map((l) => l.split(',')[0])).toEqual(lib.map((s) => s.id));
  });

  it('writes .json and .parquet with the same numbers as the CSV', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { parquetReadObjects } = await import('hyparquet');
    const dir = mkdtempSync('/tmp/schedgpu-stats-');
    const base = [
      'stats',
      'examples/warmup-cosine.yaml',
      '--steps',
      '2000',
      '--at',
      '7',
      '--window',
      '10:20',
      '--backend',
      'cpu',
    ];
    expect(runCli([...base, '--out', `${dir}/s.json`]).code).toBe(0);
    expect(runCli([...base, '--out', `${dir}/s.parquet`]).code).toBe(0);
    const json = JSON.parse(readFileSync(`${dir}/s.json`, 'utf8'));
    const bytes = readFileSync(`${dir}/s.parquet`);
    const table = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    });
    expect(table.map((r) => [r.id, r.sum, r.argmax, r.discontinuities, r.at_7, r.sum_10_20])).toEqual(
      json.map((r: RowStats) => [r.id, r.sum, r.argmax, r.discontinuities, r.at[0], r.windows[0]]),
    );
  });

  it('refuses bad options with one line and exit 2', () => {
    for (const [args, line] of [
      [['--window', '5'], /^--window\[0\]: must be a:b/],
      [['--at', '1,x'], /^--at\[1\]: must be a number, got "x"$/],
      [['--at', '3000'], /^--at\[0\]: must be a step in \[0, 3000\), got 3000$/],
      [['--out', 'x.xlsx'], /^--out: must end in .csv, .json or .parquet/],
    ] as const) {
      const r = runCli(['stats', 'examples/warmup-cosine.yaml', '--steps', '3000', '--backend', 'cpu', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.errLines).toEqual([expect.stringMatching(line)]);
    }
  });
});
