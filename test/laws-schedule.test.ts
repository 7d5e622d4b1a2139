/**
 * The schedule optimiser: the lr gradient of the multi-power law's final loss against finite
 * differences, and the optimum of the public 400M parameters against the MPL repository's own
 * optimized schedule (test/fixtures/mpl/optimized_400.npy) under the same formula; the family
 * search of optimize --family.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMpl, prepareMpl } from '../src/laws/mpl.js';
import { mplFinalLossAndLrGradient } from '../src/laws/mpl-lr-gradient.js';
import { optimizeMplSchedule, warmupThen } from '../src/laws/optimize.js';
import { parseNpyHeader } from '../src/sinks/npy-header.js';
import { CpuBackend } from '../src/backends/cpu.js';
import { searchFamily } from '../src/laws/family.js';
import { compilePlan } from '../src/plan/compile.js';
import { collectTable } from '../src/sinks/table.js';
import { validateSpecs } from '../src/spec/validate.js';

const P400 = [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457];

describe('final loss and its lr gradient', () => {
  it('equals the checkpoint evaluation and finite differences', () => {
    const T = 200;
    const lr = new Float64Array(T);
    for (let t = 0; t < T; t++) lr[t] = t < 10 ? (3e-4 * t) / 9 : 3e-5 + 2.7e-4 * (1 - (t - 10) / 190) ** 2;
    const { loss, grad } = mplFinalLossAndLrGradient(P400, lr);
    expect(loss).toBeCloseTo(evaluateMpl(P400, prepareMpl({ lr, at: Int32Array.of(T - 1) }), false).pred[0], 12);
    for (const t of [0, 1, 5, 9, 10, 11, 100, 198, 199]) {
      const h = 1e-9;
      const up = lr.slice();
      const dn = lr.slice();
      up[t] += h;
      dn[t] -= h;
      if (dn[t] < 0) continue;
      const fd = (mplFinalLossAndLrGradient(P400, up).loss - mplFinalLossAndLrGradient(P400, dn).loss) / (2 * h);
      expect(Math.abs(grad[t] - fd)).toBeLessThan(1e-5 * Math.abs(fd) + 1e-3);
    }
  });
});

describe('free-form optimum', () => {
  it('beats constant and cosine on a short run, stays non-increasing and above the floor', () => {
    const th = P400;
    const r = optimizeMplSchedule(th, { steps: 3000, peak: 3e-4, warmup: 200, minLr: 1e-8, maxIterations: 300 });
    const cos = warmupThen(
      3e-4,
      200,
      Float64Array.from({ length: 2800 }, (_, i) => 1e-8 + 0.5 * (3e-4 - 1e-8) * (1 + Math.cos((Math.PI * i) / 2800))),
    );
    expect(r.loss).toBeLessThan(r.startLoss);
    expect(r.loss).toBeLessThanOrEqual(r.bestStandard.loss);
    expect(r.bestStandard.name).toMatch(/^(cosine|wsd-)/);
    expect(r.loss).toBeLessThan(mplFinalLossAndLrGradient(th, cos).loss);
    for (let t = 201; t < 3000; t++) expect(r.lr[t]).toBeLessThanOrEqual(r.lr[t - 1]);
    expect(Math.min(...r.lr.slice(200))).toBeGreaterThanOrEqual(1e-8);
  });

  it('400M, 24,000 steps: at most the repository optimized_schedules/400.npy under the same formula', () => {
    const bytes = readFileSync(new URL('./fixtures/mpl/optimized_400.npy', import.meta.url));
    const h = parseNpyHeader(bytes);
    const theirs = new Float64Array(h.shape[0]);
    const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset);
    for (let i = 0; i < theirs.length; i++) theirs[i] = view.getFloat64(i * 8, true);
    const theirLoss = mplFinalLossAndLrGradient(P400, warmupThen(3e-4, 2160, theirs)).loss;
    const r = optimizeMplSchedule(P400, { steps: 24000, peak: 3e-4, warmup: 2160, minLr: 1e-10, maxIterations: 400 });
    expect(r.loss).toBeLessThanOrEqual(theirLoss);
  }, 300_000);
});

describe('searching a family (optimize --family)', () => {
  it("refines within the sweep's ranges, keeps integers, and each member's spec gives its loss", async () => {
    const T = 2000;
    const raw = {
      steps: T,
      base: {
        kind: 'SequentialStepSchedule',
        schedule_configs: [
          { schedule: { kind: 'LinearIncreasingSchedule', start_value: 0, max_value: 3e-4 }, end_step: 100 },
          { schedule: { kind: 'ConstantSchedule', value: 3e-4 }, end_step: 1000 },
          { schedule: { kind: 'CosineDecreasingSchedule', max_value: 3e-4, end_value: 3e-5 } },
        ],
      },
      grid: {
        'schedule_configs.0.end_step': [20, 300],
        'schedule_configs.1.end_step': [400, 1000, 1900],
        'schedule_configs.2.schedule.end_value': [3e-5, 3e-7],
      },
    };
    const backend = new CpuBackend();
    const r = await searchFamily(raw, T, P400, backend);
    expect(r.count).toBe(12);
    expect(r.refinedParams).toEqual([
      'schedule_configs.0.end_step',
      'schedule_configs.1.end_step',
      'schedule_configs.2.schedule.end_value',
    ]);
    expect(r.refined.loss).toBeLessThan(r.listed.loss);
    const p = r.refined.params as Record<string, number>;
    for (const [path, lo, hi] of [
      ['schedule_configs.0.end_step', 20, 300],
      ['schedule_configs.1.end_step', 400, 1900],
    ] as const) {
      expect(Number.isInteger(p[path])).toBe(true);
      expect(p[path]).toBeGreaterThanOrEqual(lo);
      expect(p[path]).toBeLessThanOrEqual(hi);
    }
    expect(p['schedule_configs.2.schedule.end_value']).toBeGreaterThanOrEqual(3e-7);
    expect(p['schedule_configs.2.schedule.end_value']).toBeLessThanOrEqual(3e-5);
    // the spec written for the member evaluates to the loss reported for it
    for (const member of [r.listed, r.refined]) {
      const plan = compilePlan(validateSpecs(member.spec).runs, T);
      const lr = Float64Array.from((await collectTable(plan, backend)).values);
      const loss = evaluateMpl(P400, prepareMpl({ lr, at: Int32Array.of(T - 1) }), false).pred[0];
      expect(Math.abs(loss - member.loss)).toBeLessThanOrEqual(1e-12 * loss);
    }
    await backend.dispose();
  });
});
