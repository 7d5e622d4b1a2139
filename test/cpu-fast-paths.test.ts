/**
 * The CPU backend's shortcuts keep the oracle's values: rows that are scaled copies of each other
 * (a sweep over the peak) are evaluated once and scaled, and the worker pool outlives a run.
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
});
