/**
 * Every primitive curve on its own, over wide parameter ranges: the WGSL function against the TS
 * formula (f64), with DESIGN.md's tolerance. A new primitive must add a generator here.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/cpu.js';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { flattenPlan } from '../src/plan/compile.js';
import { planMagnitude } from '../src/plan/bounds.js';
import { PRIMITIVE_IDS, PRIMITIVES } from '../src/plan/primitives.js';
import { noiseThreshold } from '../src/frameworks/noise.js';
import { exponentialSegment, type PrimitiveName, type Segment } from '../src/plan/segments.js';
import { collectTable } from '../src/sinks/table.js';
import { worstRelativeError } from './helpers/compare.js';
import { gpuForTests } from './helpers/gpu.js';

const STEPS = 4000;
const scale = fc.constantFrom(1e-6, 3e-4, 1, 250);
const value = fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), scale).map(([a, m]) => a * m);
const positive = fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), scale).map(([a, m]) => a * m);
/** A denominator somewhere between a short run and one far longer than the table. */
const denominator = fc.oneof(fc.integer({ min: 1, max: STEPS }), fc.integer({ min: STEPS, max: 2 ** 31 }));
const offset = fc.integer({ min: 0, max: 50 });
/** Progress curves may start between two steps (timm's cycles with cycle_mul != 1): x + shift. */
const shifted = (arb: fc.Arbitrary<Segment>) =>
  fc
    .tuple(arb, fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })))
    .map(([seg, shift]): Segment => ({ ...seg, shift }));

/** Segments covering [0, STEPS) whose x stays where the primitive is defined. */
const GENERATORS: Record<PrimitiveName, fc.Arbitrary<Segment>> = {
  constant: value.map((v) => ({ start: 0, prim: 'constant', offset: 0, quantum: 1, p: [v, 0, 0, 0] })),
  linear: shifted(
    fc.tuple(value, value, denominator, offset).map(([a, b, d, o]) => ({
      start: 0,
      prim: 'linear',
      offset: o,
      quantum: 1,
      p: [a, b, d, 0],
    })),
  ),
  // d below 2e5: when the run covers only p < 1e-2 of the curve, the f64 formula's own 1 - cos
  // cancellation exceeds the high-precision tolerance (the GPU's sin^2 form is the more accurate
  // one there); likewise d below 1e6 for 1 - (1 - p)^power.
  // k != 1 (k-decay) only within one period, where the frameworks use it, and over a run that
  // reaches p >= 1/4: p^k = exp(k ln p) carries f32's error of k ln p, large for tiny p.
  cosine: fc.oneof(
    shifted(
      fc
        .tuple(value, value, fc.integer({ min: STEPS + 50, max: 200_000 }), offset)
        .map(([a, b, d, o]): Segment => ({ start: 0, prim: 'cosine', offset: o, quantum: 1, p: [a, b, d, 1] })),
    ),
    fc
      .tuple(value, value, fc.integer({ min: 1, max: 200_000 }), offset)
      .map(([a, b, d, o]): Segment => ({ start: 0, prim: 'cosine', offset: o, quantum: 1, p: [a, b, d, 1] })),
    fc
      .tuple(value, value, fc.integer({ min: STEPS + 50, max: 4 * STEPS }), offset, fc.constantFrom(0.5, 2, 1.7))
      .map(([a, b, d, o, k]): Segment => ({ start: 0, prim: 'cosine', offset: o, quantum: 1, p: [a, b, d, k] })),
  ),
  polynomial: fc
    .tuple(value, value, fc.integer({ min: STEPS + 50, max: 1_000_000 }), offset, fc.constantFrom(0.5, 1, 2, 3.3, 0.1, 3.5, 8))
    .map(([a, b, d, o, e]) => ({ start: 0, prim: 'polynomial', offset: o, quantum: 1, p: [a, b, d, e] })),
  exponential: fc
    .tuple(positive, fc.double({ min: 0.5, max: 1.05, noNaN: true }), fc.integer({ min: 1, max: 1000 }), offset)
    // exponents up to 40 either way: long decays and long growths (an lr range test)
    .filter(([, base, d]) => Math.abs(((STEPS + 50) / d) * Math.log(base)) <= 40)
    .map(([a, base, d, o]) => exponentialSegment(0, o, a, base, d)),
  levels: fc.array(value, { minLength: 1, maxLength: 60 }).map((levels) => {
    const breaks = [...new Set(Array.from({ length: levels.length - 1 }, (_, i) => ((i + 1) * 7919) % STEPS))].sort(
      (a, b) => a - b,
    );
    return {
      start: 0,
      prim: 'levels',
      offset: 0,
      quantum: 1,
      p: [0, 0, 0, 0],
      breaks: Uint32Array.from(breaks),
      levels: Float64Array.from(levels.slice(0, breaks.length + 1)),
    };
  }),
  pulses: fc
    .tuple(
      value,
      value,
      fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 50, max: 2 ** 32 - 1 })),
      offset,
      fc.array(fc.nat(), { maxLength: 8 }),
    )
    .map(([on, off, period, o, picks]): Segment => ({
      start: 0,
      prim: 'pulses',
      offset: o,
      quantum: 1,
      p: [on, off, 0, 0],
      breaks: Uint32Array.from([
        period,
        ...[...new Set(picks.map((k) => k % Math.min(period, STEPS + 60)))].sort((a, b) => a - b),
      ]),
    })),
  // kpoly within one curve (x <= d, as the compilers use it), k and power as timm and WSD set them
  kpoly: shifted(
    fc
      .tuple(
        value,
        value,
        fc.integer({ min: STEPS + 50, max: 4 * STEPS }),
        offset,
        fc.constantFrom(0.5, 1, 2, 0.3),
        fc.constantFrom(1, 0.5, 2, 3.3),
      )
      .map(([a, b, d, o, k, power]): Segment => ({
        start: 0,
        prim: 'kpoly',
        offset: o,
        quantum: 1,
        p: [a, b, d, power],
        levels: Float64Array.from([k]),
      })),
  ),
  reciprocal: fc
    .tuple(value, fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 4 * STEPS }), offset)
    .map(([a, slope, d, o]): Segment => ({ start: 0, prim: 'reciprocal', offset: o, quantum: 1, p: [a, slope, d, 0] })),
  // x stays below d, where REXScheduler uses the curve
  rex: fc
    .tuple(value, value, fc.integer({ min: STEPS + 50, max: 4 * STEPS }), offset)
    .map(([a, b, d, o]): Segment => ({ start: 0, prim: 'rex', offset: o, quantum: 1, p: [a, b, d, 0] })),
  tanh: shifted(
    fc
      .tuple(
        value,
        value,
        fc.integer({ min: STEPS + 50, max: 4 * STEPS }),
        offset,
        fc.double({ min: -10, max: 0, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
      )
      .map(([a, b, d, o, lb, width]): Segment => ({
        start: 0,
        prim: 'tanh',
        offset: o,
        quantum: 1,
        p: [a, b, d, lb],
        levels: Float64Array.from([lb + width]),
      })),
  ),
  // a ramp from a to a + b (STEPS + 50) times exp(c x), |c x| <= 40 as for 'exponential'; the ramp
  // keeps one sign, as CyclicLR's half cycles do (from 0 up to the height, or down to height / down)
  rampexp: fc
    .tuple(
      value,
      fc.oneof(fc.constant(0), positive),
      positive,
      fc.constantFrom(1, -1),
      fc.double({ min: -40, max: 40, noNaN: true }),
      offset,
    )
    .map(([start, a0, end0, sign, cx, o]): Segment => {
      const [a, end, span] = [sign * a0, sign * end0, STEPS + 50 + o];
      const slope = (end - a) / span;
      return { start: 0, prim: 'rampexp', offset: o, quantum: 1, p: [start, slope, -a / slope, cx / span] };
    }),
  // a constant plus an exponential, exponents up to 40 either way as for 'exponential'
  offsetexp: fc
    .tuple(value, value, fc.double({ min: 0.5, max: 1.05, noNaN: true }), fc.integer({ min: 1, max: 1000 }), offset)
    .filter(([, , base, d]) => Math.abs(((STEPS + 50) / d) * Math.log(base)) <= 40)
    .map(([a, b, base, d, o]): Segment => ({
      start: 0,
      prim: 'offsetexp',
      offset: o,
      quantum: 1,
      p: [a, b, d, Math.log(base)],
    })),
  // noise_pct down to 1e-3, where 64 redraws rarely pass and the fold takes over
  noise: fc
    .tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.double({ min: 0.001, max: 2, noNaN: true }), offset)
    .map(([seed, pct, o]): Segment => ({
      start: 0,
      prim: 'noise',
      offset: o,
      quantum: 1,
      p: [0, 0, 0, 0],
      breaks: Uint32Array.from([seed, noiseThreshold(pct)]),
    })),
  table: fc.array(value, { minLength: STEPS, maxLength: STEPS }).map((values) => ({
    start: 0,
    prim: 'table',
    offset: 0,
    quantum: 1,
    p: [0, 0, 0, 0],
    levels: Float64Array.from(values),
  })),
};

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

describe('primitive curves: webgpu vs cpu', () => {
  it('has a generator for every primitive', () => {
    expect(Object.keys(GENERATORS).sort()).toEqual(PRIMITIVES.map((p) => p.name).sort());
  });

  for (const precision of ['standard', 'high'] as const)
    for (const { name } of PRIMITIVES) {
      const tolerance = precision === 'high' ? 1e-11 : 1e-6;
      it(`${name} (${precision})`, async (ctx) => {
        if (!gpu) return ctx.skip();
        const segments = fc.sample(GENERATORS[name], { numRuns: 200, seed: 11 });
        const plan = flattenPlan(
          segments.map((seg, i) => ({ id: `${name}-${i}`, kind: name, tracks: [[seg]] })),
          STEPS,
        );
        const [g, c] = [
          await collectTable(plan, new WebGpuBackend(gpu.device, { precision })),
          await collectTable(plan, new CpuBackend({ workers: 1 })),
        ];
        let worst = 0;
        for (let r = 0; r < plan.rows; r++) {
          const { worst: e, at } = worstRelativeError(
            g.values.subarray(r * STEPS, (r + 1) * STEPS),
            c.values.subarray(r * STEPS, (r + 1) * STEPS),
            precision === 'high' ? 1e-19 : 1e-24,
          );
          if (!(e <= tolerance))
            expect.fail(
              `${name} ${JSON.stringify(segments[r].p)} offset ${segments[r].offset}: step ${at}: error ${e}`,
            );
          worst = Math.max(worst, e);
        }
        console.log(`${name} (${precision}): 200 random segments, largest error ${worst.toExponential(2)} x max|v|`);
      });
    }
});

describe('primitive modules', () => {
  it('are listed in id order, each with its own f32 and double-float WGSL', () => {
    PRIMITIVES.forEach((p, id) => {
      expect(PRIMITIVE_IDS[p.name]).toBe(id);
      expect(p.wgsl).toContain(`fn prim_${p.name}(s: Segment, x: u32) -> f32`);
      expect(p.wgslHigh).toContain(`fn prim_${p.name}_high(s: Segment, x: u32) -> vec2<f32>`);
      for (const other of PRIMITIVES.filter((q) => q !== p))
        expect(p.wgsl + p.wgslHigh).not.toMatch(new RegExp(`fn prim_${other.name}(_high)?\\(`));
    });
  });

  it('are named nowhere in the generic plan, backend and shader code', () => {
    // those read the list; a primitive's specifics live in its module and its two .wgsl files
    const generic = [
      'src/plan/bounds.ts',
      'src/plan/layout.ts',
      'src/plan/compile.ts',
      'src/plan/scale.ts',
      'src/plan/segment-value.ts',
      'src/backends/cpu-kernel.ts',
      'src/backends/webgpu/shader.ts',
      'shaders/evaluate.wgsl',
    ];
    for (const file of generic) {
      // comments may name examples; code may not
      const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      for (const { name } of PRIMITIVES) {
        // (the shader's pool of levels shares a name with the staircase: WGSL names only there)
        if (file.startsWith('src/plan') || file.includes('cpu')) expect(text, file).not.toContain(`'${name}'`);
        expect(text, file).not.toContain(`prim_${name}`);
      }
    }
  });

  for (const { name } of PRIMITIVES)
    it(`${name}: its magnitude bound holds over random segments`, () => {
      const segments = fc.sample(GENERATORS[name], { numRuns: 50, seed: 5 });
      const plan = flattenPlan(
        segments.map((seg, i) => ({ id: `${name}-${i}`, kind: name, tracks: [[seg]] })),
        STEPS,
      );
      const values = new Float64Array(STEPS);
      const rowBounds: number[] = [];
      for (let r = 0; r < plan.rows; r++) {
        const row = flattenPlan([{ id: plan.ids[r], kind: name, tracks: [[segments[r]]] }], STEPS);
        // NaN is not a magnitude (a ramp with no slope has no root): the bound skips it too
        const largest = Math.max(
          0,
          ...valuesOf(row, values)
            .filter((v) => !Number.isNaN(v))
            .map(Math.abs),
        );
        const bound = planMagnitude(row);
        rowBounds.push(bound);
        if (!(largest <= bound * (1 + 1e-12)))
          expect.fail(`${name} ${JSON.stringify(segments[r].p)}: |value| reaches ${largest}, bound ${bound}`);
      }
      // the plan's bound is the largest of its rows'
      expect(planMagnitude(plan)).toBe(Math.max(...rowBounds));
    });
});

/** A one-row plan's values on the CPU, one step at a time through its primitive's loop. */
function valuesOf(plan: ReturnType<typeof flattenPlan>, out: Float64Array): number[] {
  const prim = PRIMITIVES[plan.segPrim[0]];
  prim.fill(
    {
      p0: plan.segParams[0],
      p1: plan.segParams[1],
      p2: plan.segParams[2],
      p3: plan.segParams[3],
      shift: plan.segShift[0],
      levels: plan.levels,
      levelsAt: 0,
      breaks: plan.breaks,
      breaksAt: 0,
      count: plan.segCount[0],
    },
    plan.segOffset[0],
    out,
    0,
    STEPS,
  );
  return Array.from(out);
}
