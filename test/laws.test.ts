import { describe, expect, it } from 'vitest';
import { evaluateMpl, prepareMpl } from '../src/laws/mpl.js';
import { evaluateTissue, tissue } from '../src/laws/tissue.js';
import { minimizeBox } from '../src/laws/lbfgsb.js';
import { huberObjective, huber, huberSlope } from '../src/laws/objective.js';
import { fitLaw, curveMetrics } from '../src/laws/fit.js';
import { adamW } from '../src/laws/adamw.js';
import { surrogate } from '../src/laws/mpl-start.js';
import { mpl } from '../src/laws/mpl.js';
import { predictedLossCurve } from '../src/stats/index.js';

/** The MPL sum written out term by term, O(T^2), with Math.pow (as the paper's formula reads). */
function directMpl(th: number[], lr: number[], s: number): number {
  const [L0, A, alpha, B, C, beta, gamma] = th;
  let S1 = 0;
  for (let i = 0; i <= s; i++) S1 += lr[i];
  let ld = 0;
  for (let k = 1; k <= s; k++) {
    let Sk = 0;
    for (let t = k; t <= s; t++) Sk += lr[t];
    ld += (lr[k - 1] - lr[k]) * (1 - Math.pow(C * Math.pow(lr[k], -gamma) * Sk + 1, -beta));
  }
  return L0 + A * Math.pow(S1, -alpha) - B * ld;
}

function wsdLr(T: number, warm: number, decayAt: number, peak: number, end: number): Float64Array {
  const lr = new Float64Array(T);
  for (let t = 0; t < T; t++)
    lr[t] =
      t < warm
        ? (peak * t) / (warm - 1)
        : t < decayAt
          ? peak
          : peak + ((end - peak) * (t - decayAt)) / (T - 1 - decayAt);
  return lr;
}

function cosLr(T: number, warm: number, peak: number, end: number): Float64Array {
  const lr = new Float64Array(T);
  for (let t = 0; t < T; t++)
    lr[t] =
      t < warm
        ? (peak * t) / (warm - 1)
        : end + 0.5 * (peak - end) * (1 + Math.cos((Math.PI * (t - warm)) / (T - warm)));
  return lr;
}

const MPL_TRUE = [2.4, 0.65, 0.43, 520, 2.0, 0.59, 0.63];

describe('multi-power law', () => {
  it('matches the direct O(T^2) sum at every step of small runs', () => {
    for (const lr of [cosLr(300, 20, 3e-4, 3e-5), wsdLr(300, 30, 200, 3e-4, 1e-5)]) {
      const at = Int32Array.from({ length: 299 }, (_, i) => i + 1); // S1 = 0 at step 0 (lr[0] = 0)
      const { pred } = evaluateMpl(MPL_TRUE, prepareMpl({ lr, at }), false);
      at.forEach((s, i) => expect(Math.abs(pred[i] - directMpl(MPL_TRUE, [...lr], s))).toBeLessThan(1e-12 * pred[i]));
    }
  });

  it('has gradients that match central finite differences', () => {
    const lr = cosLr(400, 25, 3e-4, 3e-5);
    const at = Int32Array.from([24, 100, 250, 399]);
    const p = prepareMpl({ lr, at });
    const { jac } = evaluateMpl(MPL_TRUE, p, true);
    for (let j = 0; j < 7; j++) {
      const h = 1e-6 * Math.max(Math.abs(MPL_TRUE[j]), 1e-3);
      const up = MPL_TRUE.slice();
      const dn = MPL_TRUE.slice();
      up[j] += h;
      dn[j] -= h;
      const fu = evaluateMpl(up, p, false).pred;
      const fd = evaluateMpl(dn, p, false).pred;
      for (let i = 0; i < at.length; i++) {
        const fdv = (fu[i] - fd[i]) / (2 * h);
        expect(Math.abs(jac![i * 7 + j] - fdv)).toBeLessThan(1e-6 * Math.max(Math.abs(fdv), 1e-6));
      }
    }
  });
});

describe('momentum law', () => {
  it('equals the library predictedLossCurve (the rank command) at every step', () => {
    const lr = wsdLr(500, 20, 300, 1e-3, 1e-5);
    const law = { L0: 2, A: 0.4, alpha: 0.5, C: 30, lambda: 0.99 };
    const ref = predictedLossCurve(lr, law);
    const at = Int32Array.from([499, 0, 250, 10]); // any order
    const { pred } = evaluateTissue([2, 0.4, 0.5, 30, 0.99], tissue.prepare({ lr, at }), false);
    at.forEach((s, i) => expect(pred[i]).toBeCloseTo(ref[s], 12));
  });

  it('has gradients that match central finite differences', () => {
    const lr = wsdLr(500, 20, 300, 1e-3, 1e-5);
    const th = [2, 0.4, 0.5, 30, 0.99];
    const at = Int32Array.from([50, 320, 499]);
    const p = tissue.prepare({ lr, at });
    const { jac } = evaluateTissue(th, p, true);
    for (let j = 0; j < 5; j++) {
      const h = 1e-6 * Math.abs(th[j]);
      const up = th.slice();
      const dn = th.slice();
      up[j] += h;
      dn[j] -= h;
      const fu = evaluateTissue(up, p, false).pred;
      const fd = evaluateTissue(dn, p, false).pred;
      for (let i = 0; i < at.length; i++) {
        const fdv = (fu[i] - fd[i]) / (2 * h);
        expect(Math.abs(jac![i * 5 + j] - fdv)).toBeLessThan(1e-6 * Math.max(Math.abs(fdv), 1e-6));
      }
    }
  });
});

describe('bounded L-BFGS', () => {
  const rosen = (x: number[]) => ({
    f: 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2,
    g: [-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)],
  });

  it('finds the Rosenbrock minimum when the bounds do not bind', () => {
    const r = minimizeBox(rosen, [-1.2, 1], { lower: [-5, -5], upper: [5, 5] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('stops on an active bound with the KKT point of the box', () => {
    // minimum of Rosenbrock with x1 <= 0.5: on the bound, x1 = 0.5, x2 = 0.25
    const r = minimizeBox(rosen, [-1.2, 1], { lower: [-5, -5], upper: [0.5, 5] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.25, 6);
  });

  it('handles badly scaled variables given their scale', () => {
    // separable quadratic whose minimum (1e3, 1e-3) lies in the box, with the lower bound of the third binding
    const c = [1e3, 1e-3, -2];
    const w = [1e-6, 1e6, 1];
    const f = (x: number[]) => ({
      f: x.reduce((a, v, i) => a + w[i] * (v - c[i]) ** 2, 0),
      g: x.map((v, i) => 2 * w[i] * (v - c[i])),
    });
    const r = minimizeBox(f, [1, 1, 1], { lower: [0, 0, 0], upper: [1e4, 1, 10], scale: [1e3, 1e-3, 1] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1e3, 3);
    expect(r.x[1]).toBeCloseTo(1e-3, 8);
    expect(r.x[2]).toBe(0);
  });
});

describe('Huber objective', () => {
  it('is quadratic inside delta and linear outside, with the matching slope', () => {
    expect(huber(5e-4)).toBeCloseTo(0.5 * 25e-8, 18);
    expect(huber(-3e-3)).toBeCloseTo(1e-3 * (3e-3 - 5e-4), 18);
    expect(huberSlope(-3e-3)).toBe(-1e-3);
  });

  it('has a gradient that matches finite differences, Huber kinks included', () => {
    const lr = cosLr(300, 20, 3e-4, 3e-5);
    const at = Int32Array.from([30, 120, 299]);
    const loss = evaluateMpl(MPL_TRUE, prepareMpl({ lr, at }), false).pred.map(
      (v, i) => v * (1 + [0.002, -0.0004, 0.0001][i]),
    );
    const obj = huberObjective(mpl, [{ prepared: mpl.prepare({ lr, at }), loss }]);
    const th = MPL_TRUE.map((v) => v * 1.01);
    const { g } = obj(th);
    for (let j = 0; j < 7; j++) {
      const h = 1e-7 * Math.abs(th[j]);
      const up = th.slice();
      const dn = th.slice();
      up[j] += h;
      dn[j] -= h;
      const fdv = (obj(up).f - obj(dn).f) / (2 * h);
      expect(Math.abs(g[j] - fdv)).toBeLessThan(1e-5 * Math.max(Math.abs(fdv), 1e-3));
    }
  });
});

describe("the MPL paper's fit", () => {
  it("the start's surrogate has a Huber gradient that matches finite differences", () => {
    const lr = cosLr(300, 20, 3e-4, 3e-5);
    const at = Int32Array.from([30, 120, 299]);
    const law = surrogate(3e-4);
    const th0 = [2.4, 0.6, 0.4, 500];
    const loss = law
      .evaluate(th0, law.prepare({ lr, at }), false)
      .pred.map((v, i) => v * (1 + [0.002, -0.0004, 0.0001][i]));
    const obj = huberObjective(law, [{ prepared: law.prepare({ lr, at }), loss }]);
    const th = th0.map((v) => v * 1.01);
    const { g } = obj(th);
    for (let j = 0; j < 4; j++) {
      const h = 1e-7 * Math.abs(th[j]);
      const up = th.slice();
      const dn = th.slice();
      up[j] += h;
      dn[j] -= h;
      const fdv = (obj(up).f - obj(dn).f) / (2 * h);
      expect(Math.abs(g[j] - fdv)).toBeLessThan(1e-5 * Math.max(Math.abs(fdv), 1e-3));
    }
  });

  it('AdamW takes torch.optim.AdamW steps, keeps the box and stops after `patience` steps without improvement', () => {
    // f = (x - 3)^2 from 0 with lr 1: Adam's first step is lr * sign(g) after the decay x * (1 - lr * wd)
    const fg = (x: number[]) => ({ f: (x[0] - 3) ** 2, g: [2 * (x[0] - 3)] });
    const one = adamW(fg, [0.5], {
      lower: [-10],
      upper: [10],
      lr: [1],
      weightDecay: 0.1,
      maxSteps: 1,
      keepAfterStep: true,
    });
    expect(one.x[0]).toBeCloseTo(0.5 * (1 - 0.1) + 1, 7);
    const boxed = adamW(fg, [0], { lower: [-1], upper: [1], lr: [0.5], weightDecay: 0, maxSteps: 50 });
    expect(boxed.x[0]).toBe(1);
    expect(boxed.reason).toBe('patience');
    // steps 0, 1, 2 move 0 -> 0.5 -> 0.9956 -> 1 (the bound); steps 4..23 do not improve on f(1)
    expect(boxed.steps).toBe(23);
    // the evaluated parameters of the lowest objective, or those one update later
    const at = adamW(fg, [0], { lower: [-9], upper: [9], lr: [0.1], weightDecay: 0, maxSteps: 5 });
    expect(fg(at.x).f).toBe(at.bestF);
    const after = adamW(fg, [0], {
      lower: [-9],
      upper: [9],
      lr: [0.1],
      weightDecay: 0,
      maxSteps: 5,
      keepAfterStep: true,
    });
    expect(fg(after.x).f).toBeLessThan(after.bestF);
  });
});

/** A deterministic normal-ish noise (sum of uniforms from a fixed LCG). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return () => (u() + u() + u() + u() - 2) * Math.sqrt(3);
}

describe('fitting recovers the parameters of synthetic curves', () => {
  const T = 3000;
  const schedules = {
    cosine: cosLr(T, 100, 3e-3, 3e-4),
    constant: wsdLr(T, 100, T, 3e-3, 3e-3),
    wsd: wsdLr(T, 100, 2000, 3e-3, 3e-5),
  };
  const at = Int32Array.from({ length: 60 }, (_, i) => 100 + i * 48);

  function synth(law: typeof mpl, th: number[], sigma: number) {
    const rand = noise(7);
    return Object.entries(schedules).map(([id, lr]) => {
      const pred = law.evaluate(th, law.prepare({ lr, at }), false).pred;
      return { id, lr, at, loss: pred.map((v) => v * (1 + sigma * rand())) };
    });
  }

  it('mpl', () => {
    const truth = [2.4, 0.5, 0.45, 300, 2.0, 0.6, 0.6];
    const runs = synth(mpl, truth, 2e-4);
    const res = fitLaw('mpl', runs, { protocol: 'converge' });
    expect(res.converged).toBe(true);
    // the curves are what a fit must reproduce; L0, A, alpha, B are well determined by these runs
    for (const r of res.runs) expect(r.mean_rel_err).toBeLessThan(5e-4);
    expect(res.params.L0 as number).toBeCloseTo(2.4, 1);
    expect(Math.abs((res.params.alpha as number) - 0.45)).toBeLessThan(0.05);
    expect(Math.abs((res.params.B as number) - 300) / 300).toBeLessThan(0.1);
  });

  it('tissue', () => {
    const truth = [2.4, 0.5, 0.45, 0.5, 0.995];
    const runs = synth(tissue, truth, 2e-4);
    const res = fitLaw('tissue', runs);
    expect(res.converged).toBe(true);
    for (const r of res.runs) expect(r.mean_rel_err).toBeLessThan(5e-4);
    expect(res.params.L0 as number).toBeCloseTo(2.4, 1);
    expect(Math.abs((res.params.alpha as number) - 0.45)).toBeLessThan(0.05);
    expect(Math.abs((res.params.lambda as number) - 0.995)).toBeLessThan(0.003);
  });

  it('curveMetrics: zero error on an exact fit, r2 1', () => {
    const m = curveMetrics([1, 2, 3], [1, 2, 3]);
    expect(m).toEqual({ mean_rel_err: 0, worst_rel_err: 0, r2: 1 });
  });
});
