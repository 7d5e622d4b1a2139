/**
 * The CPU backend's shortcuts keep the oracle's values: rows that are scaled copies of each other
 * (a sweep over the peak) are evaluated once and scaled, cosines and exponentials by blocks of a
 * table, whole powers by multiplication, tile buffers are reused, and the worker pool outlives a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { SpecError, StepError } from '../src/errors.js';
import { compilePlan } from '../src/plan/compile.js';
import { scaleGroups } from '../src/plan/scale.js';
import { runValueAt } from '../src/oracle/index.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { noetherSpec } from './helpers/arbitraries.js';
import { BLOCK, CosineTable, intPow, RatioTable } from '../src/plan/primitives/fast-math.js';
import { tileRect, wholeTable } from '../src/tiles.js';

/** The spec with every value field (recursively) times k: the same curve, scaled. */
function scaled(spec: unknown, k: number): unknown {
  if (Array.isArray(spec)) return spec.map((v) => scaled(v, k));
  if (typeof spec !== 'object' || spec === null) return spec;
  return Object.fromEntries(
    Object.entries(spec).map(([key, v]) => [
      key,
      ['max_value', 'end_value', 'start_value', 'value'].includes(key) && typeof v === 'number'
        ? v * k
        : key === 'values' && Array.isArray(v)
          ? v.map((x) => x * k)
          : scaled(v, k),
    ]),
  );
}

describe('cpu fast paths', () => {
  it('evaluates scaled copies once and still matches the oracle', async () => {
    const steps = 500;
    const cpu = new CpuBackend({ workers: 1 });
    let grouped = 0;
    let worst = 0;
    for (const base of fc.sample(noetherSpec, { numRuns: 300, seed: 99 })) {
      const factors = [1, 3, 0.25, 7.5, 1e-3];
      let runs;
      try {
        runs = validateSpecs(factors.map((k) => scaled(base, k))).runs;
        compilePlan(runs, steps);
      } catch (e) {
        if (e instanceof SpecError || e instanceof StepError) continue;
        throw e;
      }
      const plan = compilePlan(runs, steps);
      const { group } = scaleGroups(plan);
      if (new Set(group).size < runs.length) grouped++;
      const table = await collectTable(plan, cpu);
      runs.forEach((run, r) => {
        const ref = Array.from({ length: steps }, (_, t) => runValueAt(run, t, steps));
        const scale = Math.max(...ref.map(Math.abs)) || 1;
        for (let t = 0; t < steps; t++) {
          const e = Math.abs(table.values[r * steps + t] - ref[t]) / scale;
          worst = Math.max(worst, e);
          if (!(e <= 1e-12))
            expect.fail(`row ${r} step ${t}: ${table.values[r * steps + t]} vs ${ref[t]} (${JSON.stringify(base)})`);
        }
      });
    }
    console.log(
      `scaled copies: ${grouped} specs had rows evaluated as scaled copies; largest error ${worst.toExponential(2)} x max|v|`,
    );
    expect(grouped).toBeGreaterThan(100);
  });

  it('keeps its worker threads between runs and gives the same values', async () => {
    const { runs } = validateSpecs([
      { kind: 'CosineDecreasingSchedule', max_value: 1 },
      { kind: 'PolynomialDecreasingSchedule', max_value: 2, power: 1.7 },
    ]);
    const plan = compilePlan(runs, 3_000_000);
    const pooled = new CpuBackend({ workers: 2, workerThreshold: 0 });
    const first = await collectTable(plan, pooled);
    const second = await collectTable(plan, pooled);
    const inThread = await collectTable(plan, new CpuBackend({ workers: 1 }));
    expect(Buffer.compare(Buffer.from(first.values.buffer), Buffer.from(inThread.values.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(second.values.buffer), Buffer.from(inThread.values.buffer))).toBe(0);
    await pooled.dispose();
  });

  it('fast math: whole powers, cosine and ratio tables stay within a few ulps of the direct forms', () => {
    const ulp = (x: number) => Math.max(Number.EPSILON * Math.abs(x), Number.MIN_VALUE);
    let worstPow = 0;
    for (const b of fc.sample(fc.double({ min: -2, max: 2, noNaN: true }), { numRuns: 2000, seed: 5 }))
      for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 13, 31, 64]) {
        const want = b ** n;
        if (!Number.isFinite(want) || want === 0) continue;
        worstPow = Math.max(worstPow, Math.abs(intPow(b, n) - want) / ulp(want));
      }
    expect(worstPow).toBeLessThanOrEqual(64);
    // the cosine table: |cos(a + jh) - table form| in units of 1 (the curve's amplitude)
    let worstCos = 0;
    for (const d of [256, 1000, 24_000, 3_000_000]) {
      const { cos, sin } = new CosineTable().for(Math.PI / d);
      for (let x = 0; x < d; x += 97) {
        const j = x % BLOCK;
        const a = Math.PI * ((x - j) / d);
        worstCos = Math.max(
          worstCos,
          Math.abs(Math.cos(a) * cos[j] - Math.sin(a) * sin[j] - Math.cos(Math.PI * (x / d))),
        );
      }
    }
    expect(worstCos).toBeLessThan(2e-15);
    let worstRatio = 0;
    for (const [base, d] of [
      [0.999, 1],
      [0.5, 10],
      [1.0001, 3],
      [0.1, 1000],
    ]) {
      const { ratio } = new RatioTable().for(base, d);
      for (let x = 0; x < 5000; x += 7) {
        const j = x % BLOCK;
        const want = base ** (x / d);
        worstRatio = Math.max(worstRatio, Math.abs(base ** ((x - j) / d) * ratio[j] - want) / want);
      }
    }
    // pow's own rounding of x / d alone moves base^(x/d) by |ln base^(x/d)| ulps
    expect(worstRatio).toBeLessThan(1e-13);
    console.log(
      `fast math: intPow ${worstPow} ulp, cosine table ${worstCos.toExponential(1)}, ratio table ${worstRatio.toExponential(1)}`,
    );
  });

  it('gives every value the same bits whatever the tiling (blocks are aligned on the step, buffers reused)', async () => {
    const specs = fc.sample(noetherSpec, { numRuns: 120, seed: 7 });
    const runs = [];
    for (const spec of specs)
      try {
        const run = validateSpecs([spec]).runs;
        compilePlan(run, 3000);
        runs.push(...run);
      } catch (e) {
        if (!(e instanceof SpecError || e instanceof StepError)) throw e;
      }
    runs.push(
      ...validateSpecs([
        { kind: 'CosineDecreasingSchedule', max_value: 1 },
        { kind: 'StepIntervalSchedule', start_value: 1, factor: 0.99, update_interval: 0.001 },
      ]).runs,
    );
    const plan = compilePlan(runs, 3000);
    const whole = await collectTable(plan, new CpuBackend({ workers: 1 }));
    // rows cut into pieces of 37, 100 and 1001 steps, in this thread and across workers
    for (const [steps, workers] of [
      [37, 1],
      [100, 2],
      [1001, 2],
    ]) {
      const tiles = tileRect(wholeTable(plan.rows, plan.steps), { rows: 3, steps });
      const values = new Float64Array(plan.rows * plan.steps);
      const cpu = new CpuBackend({ workers, workerThreshold: 0 });
      await cpu.run(
        plan,
        (tile) => {
          for (let r = 0; r < tile.rows; r++)
            values.set(
              tile.data.subarray(r * tile.steps, (r + 1) * tile.steps),
              (tile.row0 + r) * plan.steps + tile.step0,
            );
        },
        { tiles },
      );
      await cpu.dispose();
      for (let i = 0; i < values.length; i++)
        if (values[i] !== whole.values[i]) {
          const r = Math.floor(i / plan.steps);
          expect.fail(
            `tiles of ${steps} steps: row ${r} (${plan.kinds[r]}) step ${i % plan.steps}: ${values[i]} vs ${whole.values[i]}`,
          );
        }
      expect(
        Buffer.compare(Buffer.from(values.buffer), Buffer.from(whole.values.buffer)),
        `tiles of ${steps} steps`,
      ).toBe(0);
    }
  });
});
