/**
 * The numerics harness: our WGSL elementary functions (shaders/math.wgsl) evaluated on the GPU over
 * dense grids of their whole input range, against f64. The worst error in f32 ulps is printed next
 * to the WGSL builtin's on the same adapter, and ours is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dfWgsl from '../shaders/df.wgsl';
import mathWgsl from '../shaders/math.wgsl';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { gpuForTests, runKernel } from './helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

/** Size of one f32 ulp at |r| (subnormals: the smallest ulp). */
export function ulp32(r: number): number {
  const a = Math.abs(r);
  if (a === 0) return 2 ** -149;
  return 2 ** (Math.max(Math.floor(Math.log2(a)), -126) - 23);
}

/** Evaluate `expr` (WGSL over x and a) for every (x, a) on the GPU. */
async function evalOnGpu(expr: string, x: Float32Array, a: Float32Array): Promise<Float32Array> {
  const code = `${mathWgsl}
@group(0) @binding(0) var<storage, read> xs: array<f32>;
@group(0) @binding(1) var<storage, read> as_: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x + g.y * 65535u * 64u;
  if (i >= arrayLength(&xs)) { return; }
  let x = xs[i];
  let a = as_[i];
  out[i] = ${expr};
}`;
  const groups = Math.ceil(x.length / 64);
  const out = await runKernel(gpu!.device, code, [x.slice().buffer, a.slice().buffer], x.byteLength, [
    Math.min(groups, 65535),
    Math.ceil(groups / 65535),
  ]);
  return new Float32Array(out);
}

interface Case {
  name: string;
  ours: string;
  builtin: string;
  /** Input grid (x, a) as f32, and the f64 reference at those exact f32 inputs. */
  grid(): { x: Float32Array; a: Float32Array };
  ref(x: number, a: number): number;
  /** Our asserted worst error, in ulps of the result. */
  maxUlps: number;
}

const N = 1 << 20;
const linspace = (lo: number, hi: number, n = N) =>
  Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const logspace = (lo: number, hi: number, n = N) =>
  Float32Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));

const CASES: Case[] = [
  {
    name: 'sin(pi/2 p), p in [0, 1]',
    ours: 'sinHalfPi(x, a)',
    builtin: 'sin(1.5707963267948966 * x)',
    // a = 1 - p, exact as the plan forms it from integers
    grid: () => {
      const x = linspace(0, 1);
      return { x, a: x.map((p) => Math.fround(1 - p)) };
    },
    ref: (p) => Math.sin((Math.PI / 2) * p),
    maxUlps: 3,
  },
  {
    name: 'log(x), x in [1e-38, 1e38]',
    ours: 'logOwn(x)',
    builtin: 'log(x)',
    grid: () => ({ x: logspace(-38, 38), a: new Float32Array(N) }),
    ref: (x) => Math.log(x),
    maxUlps: 4,
  },
  {
    name: 'log(x), x in [0.5, 2]',
    ours: 'logOwn(x)',
    builtin: 'log(x)',
    grid: () => ({ x: linspace(0.5, 2), a: new Float32Array(N) }),
    ref: (x) => Math.log(x),
    maxUlps: 4,
  },
  {
    name: 'log1p(-p), p in [0, 1)',
    ours: 'log1pOwn(-x, a)',
    builtin: 'log(a)',
    grid: () => {
      const x = Float32Array.from({ length: N }, (_, i) =>
        i < N / 2 ? 10 ** (-12 + (11 * i) / (N / 2)) : (i - N / 2) / (N / 2),
      );
      return { x, a: x.map((p) => Math.fround(1 - p)) };
    },
    ref: (p) => Math.log1p(-p),
    maxUlps: 4,
  },
  {
    name: 'exp(y), y in [-87, 88]',
    ours: 'expOwn(x)',
    builtin: 'exp(x)',
    grid: () => ({ x: linspace(-87, 88), a: new Float32Array(N) }),
    ref: (y) => Math.exp(y),
    maxUlps: 3,
  },
  {
    name: 'expm1(y), y in [-20, 20]',
    ours: 'expm1Own(x)',
    builtin: 'exp(x) - 1.0',
    grid: () => {
      const x = Float32Array.from({ length: N }, (_, i) => {
        const u = (2 * i) / (N - 1) - 1; // [-1, 1], dense near 0 after cubing
        return 20 * u * u * u;
      });
      return { x, a: new Float32Array(N) };
    },
    ref: (y) => Math.expm1(y),
    maxUlps: 4,
  },
];

function worstUlps(
  values: Float32Array,
  x: Float32Array,
  a: Float32Array,
  ref: Case['ref'],
): { ulps: number; at: number } {
  let worst = 0;
  let at = NaN;
  for (let i = 0; i < values.length; i++) {
    const r = ref(x[i], a[i]);
    const e = Math.abs(values[i] - r) / ulp32(r);
    if (!(e <= worst)) {
      worst = e;
      at = x[i];
    }
  }
  return { ulps: worst, at };
}

describe('own WGSL math vs f64', () => {
  const rows: string[] = [];
  afterAll(() => {
    if (rows.length) console.log(['function | ours (ulps) | WGSL builtin on this adapter (ulps)', ...rows].join('\n'));
  });

  for (const c of CASES) {
    it(c.name, async (ctx) => {
      if (!gpu) return ctx.skip();
      const { x, a } = c.grid();
      const ours = worstUlps(await evalOnGpu(c.ours, x, a), x, a, c.ref);
      const builtin = worstUlps(await evalOnGpu(c.builtin, x, a), x, a, c.ref);
      rows.push(`${c.name} | ${ours.ulps.toFixed(2)} | ${builtin.ulps.toExponential(2)}`);
      if (!(ours.ulps <= c.maxUlps)) expect.fail(`${c.ours}: ${ours.ulps.toFixed(2)} ulps at ${ours.at}`);
    });
  }
});

/** f64 values as (hi, lo) f32 pairs, and back. */
function toDf(values: Float64Array): Float32Array {
  const out = new Float32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const hi = Math.fround(values[i]);
    out[2 * i] = hi;
    out[2 * i + 1] = Number.isFinite(hi) ? Math.fround(values[i] - hi) : 0;
  }
  return out;
}

async function evalDfOnGpu(expr: string, x: Float64Array, a: Float64Array): Promise<Float64Array> {
  const code = `${mathWgsl}
${dfWgsl}
@group(0) @binding(0) var<storage, read> xs: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> as_: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> zeros: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec2<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  dfZeroBits = zeros[0];
  let i = g.x + g.y * 65535u * 64u;
  if (i >= arrayLength(&xs)) { return; }
  let x = xs[i];
  let a = as_[i];
  out[i] = ${expr};
}`;
  const groups = Math.ceil(x.length / 64);
  const raw = new Float32Array(
    await runKernel(
      gpu!.device,
      code,
      [toDf(x).buffer as ArrayBuffer, toDf(a).buffer as ArrayBuffer, new Uint32Array([0]).buffer],
      x.length * 8,
      [Math.min(groups, 65535), Math.ceil(groups / 65535)],
    ),
  );
  return Float64Array.from({ length: x.length }, (_, i) => raw[2 * i] + raw[2 * i + 1]);
}

/** The inputs the GPU really sees: each f64 rounded to a (hi, lo) pair. */
const asDf = (v: Float64Array) => {
  const pairs = toDf(v);
  return Float64Array.from({ length: v.length }, (_, i) => pairs[2 * i] + pairs[2 * i + 1]);
};

interface DfCase {
  name: string;
  expr: string;
  grid(): { x: Float64Array; a: Float64Array };
  ref(x: number, a: number): number;
  /** Asserted worst relative error. */
  maxRelative: number;
}

const M = 1 << 18;
const dfSpace = (lo: number, hi: number, log = false) =>
  Float64Array.from({ length: M }, (_, i) =>
    log ? 10 ** (lo + ((hi - lo) * i) / (M - 1)) : lo + ((hi - lo) * i) / (M - 1),
  );

const DF_CASES: DfCase[] = [
  {
    name: 'df sin(pi/2 p), p in [0, 1]',
    expr: 'dfSinHalfPi(x, a)',
    grid: () => {
      const x = asDf(dfSpace(0, 1));
      return { x, a: x.map((p) => 1 - p) };
    },
    ref: (p) => Math.sin((Math.PI / 2) * p),
    maxRelative: 2e-14,
  },
  {
    name: 'df log(x), x in [1e-30, 1e30]',
    expr: 'dfLog(x)',
    grid: () => ({ x: asDf(dfSpace(-30, 30, true)), a: new Float64Array(M) }),
    ref: (x) => Math.log(x),
    maxRelative: 2e-14,
  },
  {
    name: 'df log1p(-p), p in [0, 1)',
    expr: 'dfLog1pNeg(x, a)',
    grid: () => {
      const x = asDf(
        Float64Array.from({ length: M }, (_, i) =>
          i < M / 2 ? 10 ** (-12 + (11 * i) / (M / 2)) : (i - M / 2) / (M / 2),
        ),
      );
      return { x, a: x.map((p) => 1 - p) };
    },
    ref: (p) => Math.log1p(-p),
    maxRelative: 2e-14,
  },
  {
    // below e^-69 ~ 1e-30 the low half would be an f32 subnormal: values there keep f32 precision
    name: 'df exp(y), y in [-69, 88]',
    expr: 'dfExp(x)',
    grid: () => ({ x: asDf(dfSpace(-69, 88)), a: new Float64Array(M) }),
    ref: (y) => Math.exp(y),
    maxRelative: 2e-14,
  },
  {
    name: 'df expm1(y), y in [-20, 20]',
    expr: 'dfExpm1(x)',
    grid: () => ({
      x: asDf(
        Float64Array.from({ length: M }, (_, i) => {
          const u = (2 * i) / (M - 1) - 1;
          return 20 * u * u * u;
        }),
      ),
      a: new Float64Array(M),
    }),
    ref: (y) => Math.expm1(y),
    maxRelative: 2e-14,
  },
  {
    name: 'df division',
    expr: 'dfDiv(x, a)',
    grid: () => ({ x: asDf(dfSpace(-1e6, 1e6)), a: asDf(dfSpace(1e-3, 1e5, false).map((v, i) => (i % 2 ? v : -v))) }),
    ref: (x, a) => x / a,
    maxRelative: 2e-14,
  },
  {
    name: 'df power b^e, b in (0, 1]',
    expr: 'dfPowShape(x, dfSub(df(1.0), x), a)[1]',
    grid: () => ({
      x: asDf(dfSpace(-4, 0, true)),
      a: Float64Array.from({ length: M }, (_, i) => [0.5, 1.5, 2, 3.3, 0.1, 7][i % 6]),
    }),
    ref: (b, e) => b ** e,
    // exp(e log b): log's ~1e-14 relative error, times |e log b| (up to ~60 here)
    maxRelative: 2e-12,
  },
];

describe('double-float WGSL math vs f64', () => {
  for (const c of DF_CASES) {
    it(c.name, async (ctx) => {
      if (!gpu) return ctx.skip();
      const { x, a } = c.grid();
      const got = await evalDfOnGpu(c.expr, x, a);
      let worst = 0;
      let at = NaN;
      for (let i = 0; i < x.length; i++) {
        const r = c.ref(x[i], a[i]);
        const e = Math.abs(got[i] - r) / Math.max(Math.abs(r), 1e-300);
        if (!(e <= worst)) {
          worst = e;
          at = x[i];
        }
      }
      console.log(`${c.name}: worst relative error ${worst.toExponential(2)} at ${at}`);
      if (!(worst <= c.maxRelative)) expect.fail(`${c.expr}: ${worst.toExponential(2)} at x = ${at}`);
    });
  }
});
