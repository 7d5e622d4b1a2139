/**
 * Differential test against the real noether code: random specs, valid and mutated (wrong types,
 * missing fields, stray keys), evaluated by noether (tools/differential/noether_values.py) and by
 * schedgpu's oracle and plan. Needs noether's schedules importable from SCHEDGPU_NOETHER_PATH (a
 * PYTHONPATH entry) and python3 with pydantic; skipped with the reason printed otherwise, as in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import { SpecError, StepError } from '../../../src/errors.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { runLength, topLevelSpec } from '../../helpers/arbitraries.js';

const NOETHER_PATH = process.env.SCHEDGPU_NOETHER_PATH;
const DRIVER = fileURLToPath(new URL('../../../tools/differential/noether_values.py', import.meta.url));
const CASES = Number(process.env.SCHEDGPU_DIFFERENTIAL_CASES ?? 3000);

type Spec = Record<string, unknown>;

/** One random edit somewhere in the spec: drop a key, give a field a wrong or coercible value, add a key. */
function mutate(spec: Spec, pick: (n: number) => number): Spec {
  const copy = structuredClone(spec);
  const mappings: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      if (!Array.isArray(v)) mappings.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(copy);
  const target = mappings[pick(mappings.length)];
  const keys = Object.keys(target).filter((k) => k !== 'kind');
  const values = ['0.5', 'abc', null, -1, 0, 1.5, true, 'yes', [], '1e-3', ' 2 ', 'True', 'off', 7, {}, -0.0, 0.999999];
  const extra = [
    'start_percent',
    'end_percent',
    'start_step',
    'end_step',
    'overhang_percent',
    'overhang_steps',
    'weight_decay',
    'unknown_key',
  ];
  switch (pick(3)) {
    case 0:
      if (keys.length) delete target[keys[pick(keys.length)]];
      break;
    case 1:
      if (keys.length) target[keys[pick(keys.length)]] = values[pick(values.length)];
      break;
    default:
      target[extra[pick(extra.length)]] = values[pick(values.length)];
  }
  return copy;
}

/** Where schedgpu deliberately differs from noether (README, "noether's quirks"). */
function documentedDivergence(e: SpecError): boolean {
  // fractional start_step/end_step/overhang_steps of SequentialStepSchedule: refused here
  return e.problem === 'must be an integer' && typeof e.got === 'number' && !Number.isInteger(e.got);
}

describe('schedgpu vs the real noether code', () => {
  it(`agrees on ${CASES} random and mutated specs`, async (ctx) => {
    const reason = !NOETHER_PATH
      ? 'SCHEDGPU_NOETHER_PATH is not set'
      : spawnSync('python3', ['-c', 'import noether.core.schedules, pydantic'], {
            env: { ...process.env, PYTHONPATH: NOETHER_PATH },
          }).status !== 0
        ? `cannot import noether.core.schedules and pydantic from ${NOETHER_PATH}`
        : null;
    if (reason) {
      console.warn(`skipping the differential test against noether: ${reason}`);
      return ctx.skip();
    }
    let seed = 12345;
    const pick = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const cases = fc
      .sample(
        fc.tuple(
          topLevelSpec,
          runLength.map((n) => Math.min(n, 4000)),
        ),
        { numRuns: CASES, seed: 4242 },
      )
      .map(([spec, steps], i) => ({ spec: i % 2 ? mutate(spec, pick) : spec, steps }));
    const dir = mkdtempSync(join(tmpdir(), 'schedgpu-diff-'));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    const py = spawnSync('python3', [DRIVER, join(dir, 'cases.json'), join(dir, 'out.json')], {
      env: { ...process.env, PYTHONPATH: NOETHER_PATH },
      encoding: 'utf8',
    });
    expect(py.status, py.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));

    const tally: Record<string, number> = {};
    const count = (k: string) => (tally[k] = (tally[k] ?? 0) + 1);
    const problems: string[] = [];
    let worst = 0;
    const cpu = new CpuBackend({ workers: 1 });
    for (const [i, { spec, steps }] of cases.entries()) {
      const ref = results[i];
      const where = `#${i} ${JSON.stringify(spec).slice(0, 300)} steps=${steps}`;
      if (ref.skip) {
        count('skipped (non-finite input)');
        continue;
      }
      let runs;
      try {
        runs = validateSpecs(spec).runs;
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        if (ref.construct_error) count('both refuse the config');
        else if (ref.error?.at === 0) count('refused here, noether raises at step 0');
        else if (documentedDivergence(e)) count('documented divergence');
        else problems.push(`${where}: refused here (${e.message}), noether accepts`);
        continue;
      }
      if (ref.construct_error) {
        problems.push(`${where}: noether refuses (${ref.construct_error}), accepted here`);
        continue;
      }
      let plan;
      try {
        plan = compilePlan(runs, steps);
      } catch (e) {
        if (!(e instanceof StepError)) throw e;
        if (ref.error?.at === e.step && e.reason.startsWith(ref.error.type)) count('both refuse the same step');
        else problems.push(`${where}: refused at step ${e.step} (${e.reason}), noether: ${JSON.stringify(ref.error)}`);
        continue;
      }
      if (ref.error) {
        problems.push(`${where}: noether raises ${JSON.stringify(ref.error)}, evaluated here`);
        continue;
      }
      const table = await collectTable(plan, cpu);
      const scale = Math.max(1e-300, ...ref.values.map((v: number) => Math.abs(v)));
      for (let t = 0; t < steps; t++) {
        const oracle = runValueAt(runs[0], t, steps);
        const e = Math.max(Math.abs(oracle - ref.values[t]), Math.abs(table.values[t] - ref.values[t])) / scale;
        worst = Math.max(worst, e);
        if (!(e <= 1e-12)) {
          problems.push(`${where}: step ${t}: noether ${ref.values[t]}, oracle ${oracle}, plan ${table.values[t]}`);
          break;
        }
      }
      count('same values');
    }
    console.log(`differential vs noether: ${JSON.stringify(tally)}; largest error ${worst.toExponential(2)} x max|v|`);
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
