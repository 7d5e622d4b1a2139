/**
 * The schedule optimiser: the lr gradient of the multi-power law's final loss against finite
 * differences, and the optimum of the public 400M parameters against the MPL repository's own
 * optimized schedule (test/fixtures/mpl/optimized_400.npy) under the same formula.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMpl, prepareMpl } from '../src/laws/mpl.js';
import { mplFinalLossAndLrGradient } from '../src/laws/mpl-lr-gradient.js';
import { optimizeMplSchedule, warmupThen } from '../src/laws/optimize.js';
import { parseNpyHeader } from '../src/sinks/npy-header.js';

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
