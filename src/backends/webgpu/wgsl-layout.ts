/**
 * Structs and bindings shared by TypeScript and WGSL, declared once: a struct is a list of named,
 * typed fields from which both the WGSL `struct` text (spliced into shader sources) and the packer
 * (named values -> bytes) are generated, with WGSL's alignment and size rules; a binding table names
 * each binding of a shader, for its `var` declarations and for bind group entries alike.
 * Members are scalars and vectors, whose alignment and size are the same in the uniform and storage
 * address spaces; the uniform-only rules (16-byte array strides, 16-aligned nested structs) concern
 * arrays and structs as members, which are not accepted here.
 */

/** The member types a shared struct may hold: scalars and vectors (no nested structs or arrays). */
export type WgslType =
  'u32' | 'i32' | 'f32' | 'vec2<u32>' | 'vec2<f32>' | 'vec3<u32>' | 'vec3<f32>' | 'vec4<u32>' | 'vec4<f32>';

type Scalar = 'u32' | 'i32' | 'f32';

/** WGSL's AlignOf and SizeOf (the same in the uniform and storage address spaces for these types). */
const TYPES: Record<WgslType, { scalar: Scalar; components: number; align: number; size: number }> = {
  u32: { scalar: 'u32', components: 1, align: 4, size: 4 },
  i32: { scalar: 'i32', components: 1, align: 4, size: 4 },
  f32: { scalar: 'f32', components: 1, align: 4, size: 4 },
  'vec2<u32>': { scalar: 'u32', components: 2, align: 8, size: 8 },
  'vec2<f32>': { scalar: 'f32', components: 2, align: 8, size: 8 },
  'vec3<u32>': { scalar: 'u32', components: 3, align: 16, size: 12 },
  'vec3<f32>': { scalar: 'f32', components: 3, align: 16, size: 12 },
  'vec4<u32>': { scalar: 'u32', components: 4, align: 16, size: 16 },
  'vec4<f32>': { scalar: 'f32', components: 4, align: 16, size: 16 },
};

export interface FieldSpec {
  readonly name: string;
  readonly type: WgslType;
  /** The WGSL comment after the member. */
  readonly doc: string;
  /** 'double': a vec2<f32> filled from one f64 as (hi, lo), the double-float split of the value. */
  readonly from?: 'double';
  /** Written when the packer's input leaves the field out. */
  readonly default?: number;
}

type FieldValue<F extends FieldSpec> = F extends { from: 'double' }
  ? number
  : F['type'] extends Scalar
    ? number
    : readonly number[];

/** The packer's input: every field by name (those with a default may be left out). */
export type StructValues<Fs extends readonly FieldSpec[]> = {
  [F in Fs[number] as F extends { default: number } ? never : F['name']]: FieldValue<F>;
} & {
  [F in Fs[number] as F extends { default: number } ? F['name'] : never]?: FieldValue<F>;
};

export type AddressSpace = 'uniform' | 'storage';

export interface StructLayout<Fs extends readonly FieldSpec[]> {
  readonly name: string;
  readonly space: AddressSpace;
  /** The fields in declaration order, each with its byte offset. */
  readonly fields: readonly (Fs[number] & { offset: number })[];
  /** AlignOf(S): the largest member alignment. */
  readonly align: number;
  /** SizeOf(S): past the last member, rounded up to the alignment (also an array's element stride). */
  readonly size: number;
  /** Bytes of a buffer holding one: the size, rounded up to 16 for a uniform. */
  readonly bufferSize: number;
  /** The WGSL declaration. */
  wgsl(): string;
  offsetOf(name: Fs[number]['name']): number;
  /** One struct as bytes (bufferSize of them). */
  pack(values: StructValues<Fs>): ArrayBuffer;
  /** A writer of element `index` of an array of these structs held in `buffer`. */
  writer(buffer: ArrayBuffer): (index: number, values: StructValues<Fs>) => void;
  /**
   * An array of `count` structs (at least one, zeroed, when count is 0) from one column per field
   * (see Column). Scalar and 'double' fields only.
   */
  packArray(count: number, columns: StructColumns<Fs>): ArrayBuffer;
  /** A reader of element `index` of an array of these structs held in `buffer` (a 'double' as hi + lo). */
  reader(buffer: ArrayBuffer): (index: number) => StructRead<Fs>;
}

/** What a reader returns: every field by name. */
export type StructRead<Fs extends readonly FieldSpec[]> = { [F in Fs[number] as F['name']]: FieldValue<F> };

/** Element i's value: values[i], values[i * stride + at] (one of several interleaved columns), fn(i) or a constant. */
type Column =
  ArrayLike<number> | { values: ArrayLike<number>; stride: number; at: number } | ((i: number) => number) | number;

/** packArray's input: a column for each field (those with a default may be left out). */
export type StructColumns<Fs extends readonly FieldSpec[]> = {
  [F in Fs[number] as F extends { default: number } ? never : F['name']]: Column;
} & {
  [F in Fs[number] as F extends { default: number } ? F['name'] : never]?: Column;
};

/** f64 -> (hi, lo) with hi = fround(v) and lo = fround(v - hi): hi + lo carries ~48 bits. */
export function splitDouble(v: number, out: Float32Array, at: number): void {
  const hi = Math.fround(v);
  out[at] = hi;
  out[at + 1] = Number.isFinite(hi) ? Math.fround(v - hi) : 0;
}

const roundUp = (k: number, n: number) => Math.ceil(n / k) * k;

export function defineStruct<const Fs extends readonly FieldSpec[]>(
  name: string,
  space: AddressSpace,
  fieldSpecs: Fs,
): StructLayout<Fs> {
  let end = 0;
  let align = 1;
  const names = new Set<string>();
  const fields = fieldSpecs.map((f) => {
    const type = TYPES[f.type];
    if (!type) throw new Error(`internal: ${name}.${f.name} has unsupported type ${f.type}`);
    if (names.has(f.name)) throw new Error(`internal: ${name}.${f.name} declared twice`);
    if (f.from === 'double' && f.type !== 'vec2<f32>')
      throw new Error(`internal: ${name}.${f.name}: 'double' needs vec2<f32>`);
    names.add(f.name);
    const offset = roundUp(type.align, end);
    end = offset + type.size;
    align = Math.max(align, type.align);
    return { ...f, offset };
  });
  const size = roundUp(align, end);
  const bufferSize = space === 'uniform' ? roundUp(16, size) : size;
  const stride = size / 4;
  const writer = (buffer: ArrayBuffer) => {
    const views = { u32: new Uint32Array(buffer), i32: new Int32Array(buffer), f32: new Float32Array(buffer) };
    const parts = fields.map((f) => ({
      key: f.name,
      view: views[TYPES[f.type].scalar],
      word: f.offset / 4,
      components: TYPES[f.type].components,
      double: f.from === 'double',
      fallback: f.default,
    }));
    return (index: number, values: StructValues<Fs>) => {
      const named = values as Record<string, number | readonly number[] | undefined>;
      const base = index * stride;
      for (const { key, view, word, components, double, fallback } of parts) {
        const v = named[key] ?? fallback;
        if (v === undefined) throw new Error(`internal: ${name}.${key} not given`);
        const w = base + word;
        if (double) splitDouble(v as number, view as Float32Array, w);
        else if (components === 1) view[w] = v as number;
        else {
          const given = v as readonly number[];
          if (given.length !== components) throw new Error(`internal: ${name}.${key} needs ${components} values`);
          view.set(given, w);
        }
      }
    };
  };

  return {
    name,
    space,
    fields,
    align,
    size,
    bufferSize,
    wgsl: () =>
      `struct ${name} {\n${fields.map((f) => `  ${f.name}: ${f.type},${f.doc ? ` // ${f.doc}` : ''}`).join('\n')}\n}`,
    offsetOf(field) {
      const f = fields.find((x) => x.name === field);
      if (!f) throw new Error(`internal: ${name} has no field ${field}`);
      return f.offset;
    },
    pack(values) {
      const buffer = new ArrayBuffer(bufferSize);
      writer(buffer)(0, values);
      return buffer;
    },
    writer,
    reader(buffer) {
      const views = { u32: new Uint32Array(buffer), i32: new Int32Array(buffer), f32: new Float32Array(buffer) };
      const parts = fields.map((f) => ({
        key: f.name,
        view: views[TYPES[f.type].scalar],
        word: f.offset / 4,
        components: TYPES[f.type].components,
        double: f.from === 'double',
      }));
      return (index) => {
        const base = index * stride;
        const out: Record<string, number | number[]> = {};
        for (const { key, view, word, components, double } of parts) {
          const w = base + word;
          if (double) out[key] = view[w] + view[w + 1];
          else if (components === 1) out[key] = view[w];
          else out[key] = Array.from(view.subarray(w, w + components));
        }
        return out as StructRead<Fs>;
      };
    },
    packArray(count, columns) {
      const buffer = new ArrayBuffer(Math.max(1, count) * size);
      const views = { u32: new Uint32Array(buffer), i32: new Int32Array(buffer), f32: new Float32Array(buffer) };
      // field by field, each a tight loop over the elements
      for (const f of fields) {
        const column = (columns as Record<string, Column | undefined>)[f.name] ?? f.default;
        if (column === undefined) throw new Error(`internal: ${name}.${f.name} not given`);
        const { scalar, components } = TYPES[f.type];
        if (components !== 1 && f.from !== 'double') throw new Error(`internal: ${name}.${f.name} is not a scalar`);
        const first = f.offset / 4;
        // a plain loop per kind of field and column: no per-element calls through closures
        const n = count;
        if (f.from === 'double') {
          const f32 = views.f32;
          if (typeof column === 'number')
            for (let i = 0, w = first; i < n; i++, w += stride) splitDouble(column, f32, w);
          else if (typeof column === 'function')
            for (let i = 0, w = first; i < n; i++, w += stride) splitDouble(column(i), f32, w);
          else if ('stride' in column) {
            const { values, stride: step, at } = column;
            for (let i = 0, w = first; i < n; i++, w += stride) splitDouble(values[i * step + at], f32, w);
          } else for (let i = 0, w = first; i < n; i++, w += stride) splitDouble(column[i], f32, w);
          continue;
        }
        const view = views[scalar];
        if (typeof column === 'number') for (let i = 0, w = first; i < n; i++, w += stride) view[w] = column;
        else if (typeof column === 'function') for (let i = 0, w = first; i < n; i++, w += stride) view[w] = column(i);
        else if ('stride' in column) {
          const { values, stride: step, at } = column;
          for (let i = 0, w = first; i < n; i++, w += stride) view[w] = values[i * step + at];
        } else for (let i = 0, w = first; i < n; i++, w += stride) view[w] = column[i];
      }
      return buffer;
    },
  };
}

export interface BindingSpec {
  readonly name: string;
  /** WGSL's address space and access mode, as written in `var<...>`. */
  readonly space: 'uniform' | 'storage, read' | 'storage, read_write';
  /** The variable's WGSL type, e.g. 'array<u32>' or a struct's name. */
  readonly type: string;
  readonly doc?: string;
}

export interface BindingTable<Bs extends readonly BindingSpec[]> {
  /** Binding number of each name (its position in the table), group 0. */
  readonly number: Readonly<Record<Bs[number]['name'], number>>;
  /** The `@group(0) @binding(n) var<...>` declarations. */
  wgsl(): string;
  /** Bind group entries for the named buffers (a pipeline's layout holds only what its entry point uses). */
  entries(buffers: Partial<Record<Bs[number]['name'], GPUBuffer>>): GPUBindGroupEntry[];
  /**
   * A pipeline layout of the named bindings (all by default; compute stage): for kernels whose code
   * may not read all of them (an evaluate kernel built for a plan without staircases never reads
   * `levels`), where layout 'auto' would drop those the caller still binds.
   */
  pipelineLayout(device: GPUDevice, names?: readonly Bs[number]['name'][]): GPUPipelineLayout;
}

const BUFFER_TYPES: Record<BindingSpec['space'], GPUBufferBindingType> = {
  uniform: 'uniform',
  'storage, read': 'read-only-storage',
  'storage, read_write': 'storage',
};

/** A shader's bindings in group 0, numbered in the order given. */
export function defineBindings<const Bs extends readonly BindingSpec[]>(bindings: Bs): BindingTable<Bs> {
  const number = Object.fromEntries(bindings.map((b, i) => [b.name, i])) as Record<Bs[number]['name'], number>;
  if (Object.keys(number).length !== bindings.length) throw new Error('internal: a binding name is used twice');
  return {
    number,
    wgsl: () =>
      bindings
        .map((b, i) => `@group(0) @binding(${i}) var<${b.space}> ${b.name}: ${b.type};${b.doc ? ` // ${b.doc}` : ''}`)
        .join('\n'),
    entries(buffers) {
      return Object.entries(buffers as Record<string, GPUBuffer | undefined>).flatMap(([name, buffer]) => {
        const binding = (number as Record<string, number>)[name];
        if (binding === undefined) throw new Error(`internal: no binding named ${name}`);
        return buffer ? [{ binding, resource: { buffer } }] : [];
      });
    },
    pipelineLayout(device, names = bindings.map((b) => b.name)) {
      const entries = names.map((name) => {
        const binding = (number as Record<string, number>)[name];
        return { binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: BUFFER_TYPES[bindings[binding].space] } };
      });
      return device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ entries })] });
    },
  };
}
