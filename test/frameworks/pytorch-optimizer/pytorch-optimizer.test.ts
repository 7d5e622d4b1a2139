/**
 * pytorch_optimizer's lr schedulers: the real values (test/golden/pytorch_optimizer.json, from
 * pytorch_optimizer/lr_scheduler/*.py on torch 1.13) against the oracle, the CPU plan and webgpu;
 * its refusals (rejects.json) and through the CLI; the quirks by hand; random specs (plan vs oracle,
 * webgpu vs cpu); runs past 2^24 steps on webgpu f32 and --precision high.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../../src/backends/cpu.js';
import { WebGpuBackend } from '../../../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../../../src/backends/webgpu/device.js';
import { compilePlan } from '../../../src/plan/compile.js';
import { runValueAt } from '../../../src/oracle/index.js';
import { collectTable } from '../../../src/sinks/table.js';
import { validateSpecs } from '../../../src/spec/validate.js';
import { pytorchOptimizerRun } from './arbitraries.js';
import { runCli } from '../../helpers/cli.js';
import { sameJumps, worstRelativeError } from '../../helpers/compare.js';
import { loadRejects } from '../../helpers/golden.js';
import { gpuForTests } from '../../helpers/gpu.js';
import { goldenSuite } from '../../helpers/golden-suite.js';
import { checkRandomSpecs, describeTally, oracleAndPlanAt, refusedStep } from '../../helpers/kind-properties.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

const P = 'pytorch_optimizer.lr_scheduler';

goldenSuite('pytorch_optimizer', () => gpu, { cases: 39, rejects: 17 });

describe('pytorch_optimizer quirks by hand', () => {
  const at = async (spec: Record<string, unknown>, steps: number, ts: number[]) => {
    const got = await oracleAndPlanAt(spec, steps, ts);
    got.forEach(([oracle, plan], i) => expect(plan, `step ${ts[i]}`).toBeCloseTo(oracle, 14));
    return got.map(([oracle]) => oracle);
  };

  it('REXScheduler starts at min_lr, then applies step_t = t (the constructor spent step_t 0)', async () => {
    const [v0, v1, v5, v10] = await at(
      { kind: 'REXScheduler', total_steps: 10, max_lr: 1, min_lr: 0.1 },
      12,
      [0, 1, 5, 10],
    );
    expect(v0).toBe(0.1);
    // rex.py: min + (max - min) * (1 - p) / (1 - p / 2), p = step_t / total_steps
    expect(v1).toBeCloseTo(0.1 + 0.9 * (0.9 / 0.95), 15);
    expect(v5).toBeCloseTo(0.1 + 0.9 * (0.5 / 0.75), 15);
    expect(v10).toBe(0.1);
  });

  it('base_lr changes nothing where the constructor overwrites the lr with min_lr', async () => {
    for (const spec of [
      { kind: 'REXScheduler', total_steps: 10, max_lr: 1, min_lr: 0.1 },
      { kind: 'CosineAnnealingWarmupRestarts', first_cycle_steps: 6, warmup_steps: 2 },
      { kind: 'PolyScheduler', t_max: 10, max_lr: 1, warmup_steps: 2 },
    ]) {
      const ts = [0, 1, 2, 3, 7, 11];
      expect(await at({ ...spec, base_lr: 5 }, 12, ts)).toEqual(await at(spec, 12, ts));
    }
  });

  it('the linear-warmup schedulers start at min_lr and run one step behind', async () => {
    const spec = { kind: 'LinearScheduler', t_max: 10, max_lr: 1, min_lr: 0.5, init_lr: 0.2, warmup_steps: 2 };
    // base/scheduler.py: the k-th step() applies step_t = k - 1; no clamp past t_max
    expect(await at(spec, 20, [0, 1, 2, 3, 4, 11, 19])).toEqual([
      0.5,
      0.2,
      0.2 + 0.8 * (1 / 2),
      1,
      1 - 0.5 / 8,
      0.5,
      1 - (0.5 * 16) / 8,
    ]);
  });

  it('get_wsd_schedule: only the cosine cooldown mixes in min_lr_ratio; the others drop to it at the end', async () => {
    const base = {
      kind: `${P}.wsd.get_wsd_schedule`,
      base_lr: 1,
      num_warmup_steps: 2,
      num_stable_steps: 2,
      num_decay_steps: 4,
    };
    const sqrt = await at({ ...base, min_lr_ratio: 0.25 }, 10, [3, 4, 7, 8]);
    expect(sqrt).toEqual([1, 1, 1 - Math.sqrt(3 / 4), 0.25]);
    const cosine = await at({ ...base, min_lr_ratio: 0.25, cooldown_type: 'cosine' }, 10, [6, 8]);
    expect(cosine[0]).toBeCloseTo(0.75 * 0.5 + 0.25, 15);
    expect(cosine[1]).toBe(0.25);
    // a typing.Literal is no check: an unknown cooldown_type is min_lr_ratio through the cooldown
    expect(await at({ ...base, min_lr_ratio: 0.25, cooldown_type: 'exp' }, 10, [3, 4, 5])).toEqual([1, 0.25, 0.25]);
  });

  it('get_chebyshev_schedule reads its table at clamp(t - 2) and holds the last entry', async () => {
    const spec = { kind: 'get_chebyshev_schedule', base_lr: 1, num_epochs: 3 };
    // 4 step sizes, but the permutation stops at 4 - 2 = 2 entries: [steps[0], steps[1]]
    const s = (k: number) => 1 / (0.525 - 0.475 * Math.cos(((k + 0.5) * Math.PI) / 4));
    const v = await at(spec, 8, [0, 2, 3, 7]);
    expect(v[0]).toBeCloseTo(s(0), 14);
    expect(v[1]).toBeCloseTo(s(0), 14);
    expect(v[2]).toBeCloseTo(s(1), 14);
    expect(v[3]).toBeCloseTo(s(1), 14);
  });

  it('CosineAnnealingWarmupRestarts with a shrinking cycle ends in warmup-only cycles', async () => {
    // cur_cycle_steps 40 -> 22 -> 13 -> 8 -> 6 -> 5 -> 4 = warmup_steps: every later cycle is 4 warmup steps
    const spec = {
      kind: 'CosineAnnealingWarmupRestarts',
      first_cycle_steps: 40,
      cycle_mult: 0.5,
      max_lr: 1,
      min_lr: 0,
      warmup_steps: 4,
      gamma: 1,
    };
    const start = 40 + 22 + 13 + 8 + 6 + 5;
    expect(await at(spec, start + 12, [start, start + 1, start + 3, start + 4, start + 5])).toEqual([
      0, 0.25, 0.75, 0, 0.25,
    ]);
  });

  it("resolves module, package and short names; get_wsd_schedule alone stays transformers'", () => {
    const wsd = { base_lr: 1, num_warmup_steps: 1, num_stable_steps: 1, num_decay_steps: 1 };
    for (const kind of [`${P}.wsd.get_wsd_schedule`, `${P}.get_wsd_schedule`, 'pytorch_optimizer.get_wsd_schedule'])
      expect(validateSpecs({ kind, ...wsd }).runs[0].spec.kind).toBe(`${P}.wsd.get_wsd_schedule`);
    expect(validateSpecs({ kind: 'REXScheduler', total_steps: 5 }).runs[0].spec.kind).toBe(`${P}.rex.REXScheduler`);
    expect(
      validateSpecs({
        kind: 'get_wsd_schedule',
        base_lr: 1,
        num_warmup_steps: 1,
        num_decay_steps: 1,
        num_stable_steps: 1,
      }).runs[0].spec.kind,
    ).toBe('transformers.optimization.get_wsd_schedule');
  });

  it('keeps plans small for long runs: one segment per phase, one per restart', () => {
    const segments = (spec: Record<string, unknown>, steps: number) =>
      compilePlan(validateSpecs(spec).runs, steps).segStart.length;
    const long = 2 ** 24 + 17;
    expect(
      segments(
        {
          kind: 'pytorch_optimizer.get_wsd_schedule',
          base_lr: 1,
          num_warmup_steps: 10,
          num_stable_steps: 2 ** 23,
          num_decay_steps: 2 ** 22,
        },
        long,
      ),
    ).toBe(4);
    expect(segments({ kind: 'REXScheduler', total_steps: 2 ** 24 }, long)).toBe(3);
    expect(segments({ kind: 'PolyScheduler', t_max: 5, max_lr: 1, warmup_steps: 5 }, long)).toBe(4);
    // cycles of about 1000, 2000, 4000, ... steps: 15 cycles start before 2^24, each a warmup and a cosine
    expect(
      segments(
        { kind: 'CosineAnnealingWarmupRestarts', first_cycle_steps: 1000, cycle_mult: 2, warmup_steps: 10 },
        long,
      ),
    ).toBe(1 + 2 * 15);
  });

  it("refuses at the framework's step where its arithmetic raises", () => {
    expect(refusedStep({ kind: 'CosineScheduler', t_max: 3, max_lr: 1, warmup_steps: 3 }, 4)).toBeUndefined();
    expect(refusedStep({ kind: 'CosineScheduler', t_max: 3, max_lr: 1, warmup_steps: 3 }, 10)).toBe(5);
    expect(refusedStep({ kind: 'PolyScheduler', t_max: 3, max_lr: 1, poly_order: 200 }, 100)).toBe(36);
  });
});

describe('pytorch_optimizer refusals through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedgpu-po-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'poly_order',
      { kind: 'PolyScheduler', t_max: 10, max_lr: 1, poly_order: 0 },
      'poly_order: must be positive (ValueError), got 0',
    ],
    [
      'warmup_steps',
      { kind: 'CosineAnnealingWarmupRestarts', first_cycle_steps: 5, warmup_steps: 5 },
      'warmup_steps: must be smaller than first_cycle_steps (5) (ValueError), got 5',
    ],
    [
      'min_lr',
      { kind: 'LinearScheduler', t_max: 10, max_lr: 1, min_lr: -1 },
      'min_lr: must not be negative (NegativeLRError), got -1',
    ],
  ];
  it('every reject of rejects.json: exit 2, one line, nothing written', () => {
    for (const r of loadRejects('pytorch_optimizer')) {
      const spec = join(dir, `${r.id.replace(/\W+/g, '_')}.json`);
      writeFileSync(spec, JSON.stringify(r.spec));
      const out = join(dir, 'never.npy');
      const steps = String(r.steps ?? 50);
      const result = runCli(['eval', spec, '--steps', steps, '--backend', 'cpu', '--out', out]);
      expect(result.code, `${r.id}: ${result.stderr}`).toBe(2);
      expect(result.errLines, r.id).toHaveLength(1);
      expect(result.errLines[0], r.id).toMatch(/^\S[^\n]*: [^\n]+, got [^\n]+$/);
      expect(existsSync(out)).toBe(false);
    }
  });
  for (const [name, spec, line] of cases)
    it(`exits 2 with one line for ${name}`, () => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const r = runCli(['validate', file]);
      expect(r.code).toBe(2);
      expect(r.errLines).toEqual([expect.stringContaining(line)]);
    });
});

describe('random pytorch_optimizer configs', () => {
  const RUNS = Number(process.env.SCHEDGPU_PROPERTY_RUNS ?? 600);
  const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 1603);
  it(`cpu plan vs oracle and webgpu vs cpu on ${RUNS} configs`, async () => {
    const tally = await checkRandomSpecs(pytorchOptimizerRun, RUNS, SEED, gpu, 1e-9);
    console.log(describeTally('pytorch_optimizer', RUNS, SEED, tally));
    expect(tally.evaluated).toBeGreaterThan(RUNS * 0.6);
    expect(tally.byKind.size).toBeGreaterThanOrEqual(7);
  }, 600_000);
});

describe('pytorch_optimizer past 2^24 steps', () => {
  const steps = 2 ** 24 + 4321;
  const specs = [
    {
      id: 'wsd',
      kind: `${P}.wsd.get_wsd_schedule`,
      base_lr: 3e-4,
      num_warmup_steps: 2000,
      num_stable_steps: 2 ** 24 - 3000,
      num_decay_steps: 3000,
      min_lr_ratio: 0.1,
    },
    { id: 'rex', kind: `${P}.rex.REXScheduler`, total_steps: 2 ** 24 + 1000, max_lr: 1e-3, min_lr: 1e-5 },
    {
      id: 'poly',
      kind: `${P}.linear_warmup.PolyScheduler`,
      t_max: 10,
      max_lr: 1e-3,
      warmup_steps: 1000,
      poly_order: 1.5,
    },
    {
      id: 'cos',
      kind: `${P}.linear_warmup.CosineScheduler`,
      t_max: 2 ** 24 + 100,
      max_lr: 1e-3,
      warmup_steps: 2 ** 24 - 5,
    },
  ];
  it('the cpu plan matches the oracle at the boundaries; webgpu f32 and high match the cpu', async (ctx) => {
    const { runs } = validateSpecs(specs);
    const plan = compilePlan(runs, steps);
    const cpu = await collectTable(plan, new CpuBackend({ workers: 1 }));
    const probe = [
      0,
      1,
      1999,
      2000,
      2 ** 24 - 1001,
      2 ** 24 - 1000,
      2 ** 24 - 6,
      2 ** 24 - 4,
      2 ** 24 - 3,
      2 ** 24,
      2 ** 24 + 999,
      2 ** 24 + 1000,
      steps - 1,
    ];
    runs.forEach((run, r) => {
      const row = cpu.values.subarray(r * steps, (r + 1) * steps);
      const scale = Math.max(...probe.map((t) => Math.abs(runValueAt(run, t, steps))));
      for (const t of probe)
        expect(Math.abs(row[t] - runValueAt(run, t, steps)) / scale, `${specs[r].id} step ${t}`).toBeLessThanOrEqual(
          1e-9,
        );
    });
    if (!gpu) return ctx.skip();
    for (const [backend, tol] of [
      [new WebGpuBackend(gpu.device), 1e-6],
      [new WebGpuBackend(gpu.device, { precision: 'high' }), 1e-11],
    ] as const) {
      const g = await collectTable(plan, backend);
      for (let r = 0; r < runs.length; r++) {
        const gv = g.values.subarray(r * steps, (r + 1) * steps);
        const cv = cpu.values.subarray(r * steps, (r + 1) * steps);
        const { worst, at: where, scale } = worstRelativeError(gv, cv, 1e-19);
        if (!(worst <= tol)) expect.fail(`${specs[r].id}: step ${where}: webgpu ${gv[where]}, cpu ${cv[where]}`);
        expect(sameJumps(gv, cv, tol * scale + 1e-30)).toBeNull();
      }
    }
  }, 600_000);
});
