/**
 * The numerics harness: our WGSL elementary functions (shaders/math.wgsl) evaluated on the GPU over
 * dense grids of their whole input range, against f64. The worst error in f32 ulps is printed next
 * to the WGSL builtin's on the same adapter, and ours is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
