/**
 * Layouts declared once (src/backends/webgpu/wgsl-layout.ts): WGSL's alignment and size rules, the
 * packers against the field values they were given, the shaders' structs and bindings generated
 * from the declarations, and on a GPU every shared struct read back field by field from a tiny
 * kernel that copies each member out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuHandle } from '../src/backends/webgpu/device.js';
import { EVALUATE_BINDINGS, evaluateShaderSource, planPrimitives, TILE } from '../src/backends/webgpu/shader.js';
import { PRIMITIVE_IDS, PRIMITIVES } from '../src/plan/primitives.js';
import { defineBindings, defineStruct, type FieldSpec, type StructLayout } from '../src/backends/webgpu/wgsl-layout.js';
import { compilePlan } from '../src/plan/compile.js';
import { packSegments, SEGMENT } from '../src/plan/layout.js';
import { validateSpecs } from '../src/spec/validate.js';
import {
  PARTIAL,
  SCAN_BINDINGS,
  SCAN_PARAMS,
  scanShaderSource,
  STATS_BINDINGS,
  STATS_PARAMS,
  statsShaderSource,
} from '../src/stats/layout.js';
import { MPL_AT, MPL_BINDINGS, MPL_PARAMS_LAYOUT, mplShaderSource } from '../src/laws/mpl-gpu.js';
import { gpuForTests, runKernel } from './helpers/gpu.js';

let gpu: GpuHandle | null = null;
beforeAll(async () => {
  gpu = await gpuForTests();
});
afterAll(() => gpu?.release());

type AnyLayout = StructLayout<readonly FieldSpec[]>;
const SHARED: AnyLayout[] = [
  SEGMENT,
  TILE,
  STATS_PARAMS,
  SCAN_PARAMS,
  PARTIAL,
  MPL_PARAMS_LAYOUT,
  MPL_AT,
] as unknown as AnyLayout[];

/** Distinct, recognisable values for every field: integers for u32, non-dyadic reals for floats. */
function sampleValues(layout: AnyLayout): Record<string, number | number[]> {
  return Object.fromEntries(
    layout.fields.map((f, i) => {
      const components = f.type.startsWith('vec') ? Number(f.type[3]) : 1;
      const one = (c: number) =>
        f.type.includes('f32') ? (i + 1) * 1.25 + (c + 1) / 3 : (Math.imul(0x9e3779b9, i * 4 + c + 1) >>> 0) % 2 ** 31;
      if (f.from === 'double') return [f.name, Math.PI * (i + 1) * 1e-3];
      return [f.name, components === 1 ? one(0) : Array.from({ length: components }, (_, c) => one(c))];
    }),
  );
}

/** The u32 words a kernel copying every member out in order should write, from the values alone. */
function expectedWords(layout: AnyLayout, values: Record<string, number | number[]>): number[] {
  const bits = (type: string, v: number) => (type.includes('f32') ? new Uint32Array(Float32Array.of(v).buffer)[0] : v);
  return layout.fields.flatMap((f) => {
    const v = values[f.name];
    if (f.from === 'double') {
      const hi = Math.fround(v as number);
      return [bits('f32', hi), bits('f32', (v as number) - hi)];
    }
    return (typeof v === 'number' ? [v] : v).map((x) => bits(f.type, x));
  });
}

describe('struct layout', () => {
  it("follows WGSL's alignment and size rules", () => {
    const mixed = defineStruct('Mixed', 'storage', [
      { name: 'a', type: 'u32', doc: '' },
      { name: 'b', type: 'vec2<f32>', doc: 'aligned to 8' },
      { name: 'c', type: 'f32', doc: '' },
      { name: 'd', type: 'vec3<f32>', doc: 'aligned to 16, 12 bytes' },
      { name: 'e', type: 'u32', doc: 'fills the vec3 tail' },
      { name: 'f', type: 'vec4<u32>', doc: '' },
      { name: 'g', type: 'u32', doc: '' },
    ]);
    expect(mixed.fields.map((f) => f.offset)).toEqual([0, 8, 16, 32, 44, 48, 64]);
    expect(mixed.align).toBe(16);
    expect(mixed.size).toBe(80);
    const small = (space: 'uniform' | 'storage') =>
      defineStruct('Small', space, [
        { name: 'a', type: 'u32', doc: '' },
        { name: 'b', type: 'f32', doc: '' },
        { name: 'c', type: 'u32', doc: '' },
      ]);
    expect(small('storage').size).toBe(12);
    expect(small('storage').bufferSize).toBe(12);
    // a uniform buffer holds whole 16-byte rows
    expect(small('uniform').size).toBe(12);
    expect(small('uniform').bufferSize).toBe(16);
    expect(SEGMENT.size).toBe(72);
  });

  it('reads back what it packed, by name', () => {
    const values = sampleValues(PARTIAL as unknown as AnyLayout);
    const read = PARTIAL.reader(PARTIAL.pack(values as never));
    const stored = (f: (typeof PARTIAL.fields)[number]) =>
      f.type === 'f32' ? Math.fround(values[f.name] as number) : values[f.name];
    expect(read(0)).toEqual(Object.fromEntries(PARTIAL.fields.map((f) => [f.name, stored(f)])));
  });

  it('packs named values at their offsets and refuses missing ones', () => {
    const s = defineStruct('S', 'uniform', [
      { name: 'n', type: 'u32', doc: '' },
      { name: 'x', type: 'vec2<f32>', from: 'double', doc: '' },
      { name: 'k', type: 'i32', doc: '' },
      { name: 'z', type: 'u32', default: 7, doc: '' },
    ]);
    const bytes = new DataView(s.pack({ n: 5, x: 0.1, k: -3 }));
    expect(bytes.byteLength).toBe(32);
    expect(bytes.getUint32(0, true)).toBe(5);
    const hi = bytes.getFloat32(8, true);
    expect(hi).toBe(Math.fround(0.1));
    expect(bytes.getFloat32(12, true)).toBe(Math.fround(0.1 - hi));
    expect(bytes.getInt32(16, true)).toBe(-3);
    expect(bytes.getUint32(20, true)).toBe(7);
    expect(() => s.pack({ n: 5, k: 1 } as never)).toThrow(/S\.x not given/);
  });

  it('packs an array by columns as it packs each element by name', () => {
    const { runs } = validateSpecs([
      { kind: 'PolynomialDecreasingSchedule', max_value: 0.123456789012, end_value: 1e-7, power: 1.5 },
      { kind: 'StepFixedSchedule', start_value: 3, factor: 0.5, steps: [0.25, 0.5] },
      { kind: 'CosineLRScheduler', base_lr: 0.1, t_initial: 100, cycle_mul: 1.5, cycle_limit: 5 },
    ]);
    const plan = compilePlan(runs, 1000);
    const n = plan.segStart.length;
    const byName = new ArrayBuffer(n * SEGMENT.size);
    const write = SEGMENT.writer(byName);
    const denoms = new Uint32Array(packSegments(plan)).filter((_, w) => w % (SEGMENT.size / 4) === 7);
    for (let i = 0; i < n; i++)
      write(i, {
        start: plan.segStart[i],
        prim: plan.segPrim[i],
        offset: plan.segOffset[i],
        quantum: plan.segQuantum[i],
        levelsAt: plan.segLevelsAt[i],
        breaksAt: plan.segBreaksAt[i],
        count: plan.segCount[i],
        denom: denoms[i],
        p0: plan.segParams[4 * i],
        p1: plan.segParams[4 * i + 1],
        p2: plan.segParams[4 * i + 2],
        p3: plan.segParams[4 * i + 3],
        shift: plan.segShift[i],
      });
    expect(SEGMENT.offsetOf('denom')).toBe(28);
    expect(denoms.some((d) => d !== 0)).toBe(true);
    expect(Array.from(new Uint32Array(packSegments(plan)))).toEqual(Array.from(new Uint32Array(byName)));
  });

  it('is the only place shaders declare shared structs and bindings', () => {
    const dir = new URL('../shaders/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.wgsl'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/@binding\(/);
      expect(text, file).not.toMatch(/struct (Segment|Tile|Params|ScanParams|Partial|MplParams|MplAt)\b/);
    }
    const sources = [
      [evaluateShaderSource('standard'), [SEGMENT, TILE], EVALUATE_BINDINGS],
      [evaluateShaderSource('high'), [SEGMENT, TILE], EVALUATE_BINDINGS],
      [statsShaderSource(), [STATS_PARAMS, PARTIAL], STATS_BINDINGS],
      [scanShaderSource(), [SCAN_PARAMS], SCAN_BINDINGS],
      [mplShaderSource(), [MPL_PARAMS_LAYOUT, MPL_AT], MPL_BINDINGS],
    ] as const;
    for (const [source, structs, bindings] of sources) {
      expect(source).not.toMatch(/^\/\/!/m);
      for (const s of structs) expect(source).toContain((s as unknown as AnyLayout).wgsl());
      expect(source).toContain(bindings.wgsl());
    }
  });

  it("builds a plan's kernels with its primitives' cases alone, all bindings declared", () => {
    const { runs } = validateSpecs([
      { kind: 'LinearWarmupCosineDecaySchedule', max_value: 1, end_value: 0.1, warmup_steps: 10 },
    ]);
    const plan = compilePlan(runs, 100);
    // a linear warmup, then a cosine decay
    const used = planPrimitives(plan);
    expect(used).toEqual([PRIMITIVE_IDS.linear, PRIMITIVE_IDS.cosine]);
    for (const source of [evaluateShaderSource('standard', used), statsShaderSource(used)]) {
      const cases = [...source.matchAll(/^\s*case (\d+)u: \{/gm)].map((m) => Number(m[1]));
      expect(cases).toEqual(used);
    }
    expect(evaluateShaderSource('standard', used)).toContain(EVALUATE_BINDINGS.wgsl());
    expect([...evaluateShaderSource('standard').matchAll(/^\s*case (\d+)u: \{/gm)]).toHaveLength(PRIMITIVES.length);
  });

  it('numbers bindings by name and refuses unknown names', () => {
    const table = defineBindings([
      { name: 'a', space: 'uniform', type: 'U' },
      { name: 'b', space: 'storage, read', type: 'array<u32>' },
    ]);
    expect(table.number).toEqual({ a: 0, b: 1 });
    expect(table.wgsl()).toBe(
      '@group(0) @binding(0) var<uniform> a: U;\n@group(0) @binding(1) var<storage, read> b: array<u32>;',
    );
    const buffer = {} as GPUBuffer;
    expect(table.entries({ b: buffer })).toEqual([{ binding: 1, resource: { buffer } }]);
    expect(() => table.entries({ c: buffer } as never)).toThrow(/no binding named c/);
  });
});

/** Copy every member of one struct, bound in its own address space, out as u32 words. */
async function roundTrip(device: GPUDevice, layout: AnyLayout, bytes: ArrayBuffer, words: number): Promise<number[]> {
  const copies = layout.fields.flatMap((f) => {
    const components = f.type.startsWith('vec') ? Number(f.type[3]) : 1;
    const members =
      components === 1 ? [`s.${f.name}`] : ['x', 'y', 'z', 'w'].slice(0, components).map((c) => `s.${f.name}.${c}`);
    return members.map((m) => `bitcast<u32>(${m})`);
  });
  const space = layout.space === 'uniform' ? 'uniform' : 'storage, read';
  const code = `${layout.wgsl()}
@group(0) @binding(0) var<${space}> s: ${layout.name};
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1) fn main() {
  ${copies.map((c, i) => `out[${i}] = ${c};`).join('\n  ')}
}`;
  expect(copies.length).toBe(words);
  const back = await runKernel(device, code, [bytes], words * 4, [1], { uniformInputs: layout.space === 'uniform' });
  return Array.from(new Uint32Array(back));
}

describe('shared structs on the GPU', () => {
  for (const layout of SHARED)
    it(`reads every ${layout.name} field back as packed (${layout.space})`, async (ctx) => {
      if (!gpu) return ctx.skip();
      const values = sampleValues(layout);
      const expected = expectedWords(layout, values);
      const back = await roundTrip(gpu.device, layout, layout.pack(values as never), expected.length);
      expect(back).toEqual(expected);
    });
});
