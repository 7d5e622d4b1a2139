/**
 * Property: for random noether specs and run lengths, the compiled plan evaluated on the CPU equals
 * the oracle at every step, and where noether would raise, the compiler refuses at the same step.
 * Both CPU modes: the default (fast-math tables, scaled copies) and --exact (the direct formulas).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { SpecError, StepError } from '../src/errors.js';
import { compilePlan } from '../src/plan/compile.js';
import { FrameworkError, runValueAt } from '../src/oracle/index.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';
import { runLength, topLevelSpec } from './helpers/arbitraries.js';

const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 3000);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 20261122);

describe('plan on cpu vs oracle', () => {
  it(`agrees on ${RUNS} random specs`, async () => {
    const tally = {
      evaluated: 0,
      refusedAtStep: 0,
      invalid: 0,
      values: 0,
      worst: 0,
      worstExact: 0,
      same: 0,
      sameExact: 0,
    };
    const cpu = new CpuBackend({ workers: 1 });
    const exact = new CpuBackend({ workers: 1, exact: true });
    await fc.assert(
      fc.asyncProperty(topLevelSpec, runLength, async (raw, steps) => {
        let runs;
        try {
          runs = validateSpecs(raw).runs;
        } catch (e) {
          if (!(e instanceof SpecError)) throw e;
          tally.invalid++;
          return;
        }
        const run = runs[0];
        let plan;
        try {
          plan = compilePlan(runs, steps);
        } catch (e) {
          if (!(e instanceof StepError)) throw e;
          // the oracle must succeed before the refused step and raise at it
          for (let t = 0; t < e.step; t++) runValueAt(run, t, steps);
          expect(() => runValueAt(run, e.step, steps)).toThrow(FrameworkError);
          tally.refusedAtStep++;
          return;
        }
        const table = await collectTable(plan, cpu);
        const direct = await collectTable(plan, exact);
        const ref = Array.from({ length: steps }, (_, t) => runValueAt(run, t, steps));
        const scale = Math.max(...ref.map(Math.abs));
        for (let t = 0; t < steps; t++) {
          const err = Math.abs(table.values[t] - ref[t]) / (scale || 1);
          const errExact = Math.abs(direct.values[t] - ref[t]) / (scale || 1);
          tally.worst = Math.max(tally.worst, err);
          tally.worstExact = Math.max(tally.worstExact, errExact);
          if (Object.is(table.values[t], ref[t])) tally.same++;
          if (Object.is(direct.values[t], ref[t])) tally.sameExact++;
          if (!(err <= 1e-12)) expect.fail(`step ${t} of ${steps}: plan ${table.values[t]}, oracle ${ref[t]}`);
          if (!(errExact <= 1e-12)) expect.fail(`step ${t} of ${steps}: --exact ${direct.values[t]}, oracle ${ref[t]}`);
        }
        tally.values += steps;
        tally.evaluated++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      `plan vs oracle: ${RUNS} random specs (seed ${SEED}): ${tally.evaluated} evaluated (${tally.values} values), ` +
        `${tally.refusedAtStep} refused at a step, ${tally.invalid} invalid; largest error ${tally.worst.toExponential(2)} x max|v| ` +
        `(--exact ${tally.worstExact.toExponential(2)}); equal to the oracle bit for bit: ` +
        `${((100 * tally.same) / tally.values).toFixed(1)}% of values (--exact ${((100 * tally.sameExact) / tally.values).toFixed(1)}%)`,
    );
    // the direct formulas are the oracle's: --exact never agrees less often than the fast path
    expect(tally.sameExact).toBeGreaterThanOrEqual(tally.same);
    // most generated specs must be evaluable, or the property says little
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.6);
  });
});
