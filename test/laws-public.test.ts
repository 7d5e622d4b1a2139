/**
 * The multi-power law on the MPL paper's public data (test/fixtures/mpl): with the parameters its
 * src/config.py publishes, our evaluation reproduces the mean relative errors its logs report for
 * the train and held-out runs, which pins down the indexing (S1 with the warmup, lr_gap[k] = lr[k] - lr[k-1]);
 * our fit by its protocol (the default) finds those parameters again from its three training runs.
 * One size here (a fit takes ~10 s); bench/laws-acceptance.mjs runs all three through the CLI.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { curveMetrics, fitLaw } from '../src/laws/fit.js';
import { mpl } from '../src/laws/mpl.js';
import { paperLrs, TEST, TRAIN } from './fixtures/mpl/lrs.js';

const PUBLISHED: Record<string, { params: number[]; train: number; test: number }> = {
  // [L0, A, alpha, B, C, beta, gamma] from src/config.py; errors from logs/<size>.log ("Average Prede")
  '25': {
    params: [3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257],
    train: 0.001053768411071776,
    test: 0.0011022317743749073,
  },
  '100': {
    params: [2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644],
    train: 0.001077546974301625,
    test: 0.0014248385942192765,
  },
  '400': {
    params: [2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457],
    train: 0.0017712714979005804,
    test: 0.0016797822106696487,
  },
};

function observed(size: string, name: string) {
  const rows = readFileSync(new URL(`./fixtures/mpl/csv_${size}/${name}.csv`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  return {
    id: name,
    lr: paperLrs(name),
    at: Int32Array.from(rows.map((r) => r[0])),
    loss: Float64Array.from(rows.map((r) => r[2])),
  };
}

function meanError(size: string, names: string[], theta: number[]): number {
  let sum = 0;
  for (const name of names) {
    const run = observed(size, name);
    sum += curveMetrics(mpl.evaluate(theta, mpl.prepare(run), false).pred, run.loss).mean_rel_err;
  }
  return sum / names.length;
}

describe.each(Object.keys(PUBLISHED))('%sM, published parameters', (size) => {
  const p = PUBLISHED[size];
  it('reproduce the logged train and held-out mean relative errors', () => {
    // the parameters are printed to 8 decimals: 1e-5 relative covers that rounding, an off-by-one does not
    expect(Math.abs(meanError(size, TRAIN, p.params) / p.train - 1)).toBeLessThan(1e-5);
    expect(Math.abs(meanError(size, TEST, p.params) / p.test - 1)).toBeLessThan(1e-5);
  }, 60_000);
});

describe("25M, fitted by the paper's protocol", () => {
  it('finds the published parameters from the three training runs, and predicts the held-out runs as well', () => {
    const p = PUBLISHED['25'];
    const res = fitLaw(
      'mpl',
      TRAIN.map((name) => observed('25', name)),
    );
    expect(res.protocol).toBe('paper');
    expect(res.converged).toBe(true);
    const theta = mpl.params.map((name) => res.params[name] as number);
    // ours and the published differ by 1e-7..1e-6 relative (the 8 printed decimals, scipy's L-BFGS-B on
    // finite differences in its first stage; not its float32 copy of the loss, which we tried):
    // 1e-5 holds that, not a different fit
    theta.forEach((v, i) => expect(Math.abs(v / p.params[i] - 1)).toBeLessThan(1e-5));
    expect(meanError('25', TEST, theta)).toBeLessThanOrEqual(p.test);
  }, 180_000);
});
