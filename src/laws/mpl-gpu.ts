/**
 * The multi-power law's loss at checkpoints of every schedule of a plan, on WebGPU
 * (shaders/mpl.wgsl): the evaluate kernel writes a tile of whole rows into a device buffer, `prepare`
 * forms each row's prefix sums (double-float), lr^(-gamma) and lr changes beside it, and `reduce`
 * sums the law's terms per (row, checkpoint). Only S1 and the annealing sum LD come back (32 bytes
 * per row and checkpoint), never the table; the host adds L0 + A S1^(-alpha) + B LD in f64.
 *
 * The lr values are the f32 table webgpu computes; the sums are double-float and each term is
 * formed in f32 from our math library, so the result matches the f64 law evaluated on the same
 * f32-rounded lrs to ~1e-8 relative (test/laws-gpu.test.ts holds it to 1e-6).
 */
import dfWgsl from '../../shaders/df.wgsl';
import mathWgsl from '../../shaders/math.wgsl';
import mplWgsl from '../../shaders/mpl.wgsl';
import { checkFitsFloat32, type WebGpuBackend } from '../backends/webgpu/backend.js';
import { EVALUATE_BINDINGS, TILE } from '../backends/webgpu/shader.js';
import { defineBindings, defineStruct } from '../backends/webgpu/wgsl-layout.js';
import { CapacityError, RuntimeFailure, SpecError } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { tileRect } from '../tiles.js';

/** What both kernels read: the tile's place and the law's parameters that enter the sum. */
export const MPL_PARAMS_LAYOUT = defineStruct('MplParams', 'uniform', [
  { name: 'negGamma', type: 'vec2<f32>', from: 'double', doc: '-gamma, double-float (hi, lo)' },
  { name: 'steps', type: 'u32', doc: 'steps per row (the row stride of lr and prepared)' },
  { name: 'row0', type: 'u32', doc: 'first row of this tile in the plan' },
  { name: 'checkpointCount', type: 'u32', doc: 'checkpoints per row' },
  { name: 'zeroBits', type: 'u32', default: 0, doc: "0, for double-float's optimization barrier (df.wgsl)" },
  { name: 'C', type: 'f32', doc: 'C of G(x) = 1 - (C x + 1)^(-beta)' },
  { name: 'beta', type: 'f32', doc: 'beta of G' },
]);

/** One row at one checkpoint, as `reduce` writes it. */
export const MPL_AT = defineStruct('MplAt', 'storage', [
  { name: 'ldHi', type: 'f32', doc: 'LD, the sum over lr changes, double-float (hi, lo)' },
  { name: 'ldLo', type: 'f32', doc: '' },
  { name: 's1Hi', type: 'f32', doc: 'S1 = lr[0] + ... + lr[t], double-float (hi, lo)' },
  { name: 's1Lo', type: 'f32', doc: '' },
  { name: 'bad', type: 'u32', doc: 'steps in [1, t] whose lr is <= 0 (the law needs lr > 0)' },
  { name: 'pad0', type: 'u32', default: 0, doc: 'padding' },
  { name: 'pad1', type: 'u32', default: 0, doc: 'padding' },
  { name: 'pad2', type: 'u32', default: 0, doc: 'padding' },
]);

export const MPL_BINDINGS = defineBindings([
  { name: 'mpl', space: 'uniform', type: 'MplParams' },
  { name: 'lr', space: 'storage, read', type: 'array<f32>', doc: "the evaluated tile's lr, whole rows" },
  {
    name: 'prepared',
    space: 'storage, read_write',
    type: 'array<vec4<f32>>',
    doc: 'per step: prefix sum (hi, lo), lr^(-gamma), lr change',
  },
  { name: 'checkpoints', space: 'storage, read', type: 'array<u32>', doc: 'steps t at which the loss is asked for' },
  { name: 'out', space: 'storage, read_write', type: 'array<MplAt>', doc: 'per (row, checkpoint)' },
]);

let source: string | null = null;

export function mplShaderSource(): string {
  source ??= `${mathWgsl}\n${dfWgsl}\n${mplWgsl
    .replace('//!PARAMS_STRUCT', () => MPL_PARAMS_LAYOUT.wgsl())
    .replace('//!OUT_STRUCT', () => MPL_AT.wgsl())
    .replace('//!BINDINGS', () => MPL_BINDINGS.wgsl())}`;
  return source;
}

/** S1 and LD of every (row, checkpoint), index row * checkpoints + c; `bad` counts lr <= 0 steps. */
export interface MplSums {
  s1: Float64Array;
  ld: Float64Array;
  bad: Uint32Array;
}

const PREPARED_BYTES = 16;

/** Rows [row0, row0 + rows) of a plan. */
export interface RowRange {
  row0: number;
  rows: number;
}

/**
 * S1 and LD at `checkpoints` (steps in [0, plan.steps - 1]) of every row of `plan` (or of `only`
 * those rows; index (row - only.row0) * checkpoints + c), on the device.
 * Rows are whole in every tile: a row of T steps needs 20 T bytes there (the lr and its prepared
 * sums), so runs beyond the storage binding / 16 steps raise CapacityError.
 */
export async function mplSumsOnGpu(
  plan: Plan,
  theta: ArrayLike<number>,
  checkpoints: ArrayLike<number>,
  backend: WebGpuBackend,
  only: RowRange = { row0: 0, rows: plan.rows },
): Promise<MplSums> {
  const [, , , , C, beta, gamma] = Array.from(theta);
  const steps = plan.steps;
  const P = checkpoints.length;
  for (let c = 0; c < P; c++)
    if (!Number.isInteger(checkpoints[c]) || checkpoints[c] < 0 || checkpoints[c] >= steps)
      throw new SpecError('checkpoints', `must be steps in [0, ${steps - 1}]`, checkpoints[c]);
  checkFitsFloat32(plan);
  const device = backend.device;
  const limits = device.limits;
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const maxDim = limits.maxComputeWorkgroupsPerDimension;
  const s1 = new Float64Array(only.rows * P);
  const ld = new Float64Array(only.rows * P);
  const bad = new Uint32Array(only.rows * P);
  if (only.rows === 0 || P === 0) return { s1, ld, bad };
  if (steps * PREPARED_BYTES > limit)
    throw new CapacityError(
      `webgpu mpl: a row of ${steps} steps needs ${steps * PREPARED_BYTES} bytes on the device, over this device's ${limit}-byte binding limit`,
      Math.floor(limit / PREPARED_BYTES),
      steps,
    );
  if (P > maxDim)
    throw new CapacityError(`webgpu mpl: ${P} checkpoints are more than one dispatch holds (${maxDim})`, maxDim, P);
  // the output for every row is bound at once; read back in row blocks if it does not fit
  const outRows = Math.max(1, Math.min(only.rows, Math.floor(limit / (P * MPL_AT.size))));
  const tileRows = Math.max(1, Math.min(outRows, Math.floor(limit / (steps * PREPARED_BYTES)), maxDim));
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const module = device.createShaderModule({ code: mplShaderSource() });
  const prepareP = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'prepare' } });
  const reduceP = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'reduce' } });
  const evaluateP = backend.getPipeline(plan);
  const planBuffers = backend.uploadPlan(plan);
  const lr = device.createBuffer({ size: tileRows * steps * 4, usage: GPUBufferUsage.STORAGE });
  const prepared = device.createBuffer({ size: tileRows * steps * PREPARED_BYTES, usage: GPUBufferUsage.STORAGE });
  const checkpointBuffer = backend.storage(Uint32Array.from(checkpoints));
  const outBytes = outRows * P * MPL_AT.size;
  const out = device.createBuffer({ size: outBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: outBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const tileUniform = device.createBuffer({
    size: TILE.bufferSize,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const mplUniform = device.createBuffer({
    size: MPL_PARAMS_LAYOUT.bufferSize,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const group = (pipeline: GPUComputePipeline, entries: GPUBindGroupEntry[]) =>
    device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const evaluateGroup = group(evaluateP, EVALUATE_BINDINGS.entries({ ...planBuffers, tile: tileUniform, out: lr }));
  const prepareGroup = group(prepareP, MPL_BINDINGS.entries({ mpl: mplUniform, lr, prepared }));
  const reduceGroup = group(
    reduceP,
    MPL_BINDINGS.entries({ mpl: mplUniform, prepared, checkpoints: checkpointBuffer, out }),
  );
  try {
    for (const block of tileRect({ ...only, step0: 0, steps }, { rows: outRows, steps })) {
      for (const tile of tileRect(block, { rows: tileRows, steps })) {
        device.queue.writeBuffer(
          tileUniform,
          0,
          TILE.pack({
            row0: tile.row0,
            rows: tile.rows,
            step0: 0,
            steps,
            perInvocation: backend.perInvocation,
          }),
        );
        device.queue.writeBuffer(
          mplUniform,
          0,
          MPL_PARAMS_LAYOUT.pack({
            negGamma: -gamma,
            steps,
            row0: tile.row0 - block.row0,
            checkpointCount: P,
            C,
            beta,
          }),
        );
        // one submit per tile: the uniforms above are rewritten for the next one
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(evaluateP);
        pass.setBindGroup(0, evaluateGroup);
        pass.dispatchWorkgroups(backend.workgroupsPerRow(steps), tile.rows);
        pass.setPipeline(prepareP);
        pass.setBindGroup(0, prepareGroup);
        pass.dispatchWorkgroups(tile.rows);
        pass.setPipeline(reduceP);
        pass.setBindGroup(0, reduceGroup);
        pass.dispatchWorkgroups(P, tile.rows);
        pass.end();
        device.queue.submit([encoder.finish()]);
      }
      const bytes = block.rows * P * MPL_AT.size;
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(out, 0, read, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await read.mapAsync(GPUMapMode.READ, 0, bytes);
      const at = MPL_AT.reader(read.getMappedRange(0, bytes).slice(0));
      for (let i = 0; i < block.rows * P; i++) {
        const v = at(i);
        const j = (block.row0 - only.row0) * P + i;
        // hi + lo in f64: the pair's ~48 bits
        ld[j] = v.ldHi + v.ldLo;
        s1[j] = v.s1Hi + v.s1Lo;
        bad[j] = v.bad;
      }
      read.unmap();
    }
    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const error = oom ?? validation;
    if (error) throw new RuntimeFailure(`webgpu mpl: ${error.message}`);
    return { s1, ld, bad };
  } finally {
    for (const b of [...Object.values(planBuffers), lr, prepared, checkpointBuffer, out, read, tileUniform, mplUniform])
      b.destroy();
  }
}

/** The law's loss from S1 and LD (f64), NaN where a step's lr was <= 0. */
export function mplLossFromSums(theta: ArrayLike<number>, sums: MplSums): Float64Array {
  const [L0, A, alpha, B] = Array.from(theta);
  return sums.s1.map((s1, i) => (sums.bad[i] > 0 ? NaN : L0 + A * Math.pow(s1, -alpha) + B * sums.ld[i]));
}
