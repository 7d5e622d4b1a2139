/**
 * The WebGPU backend: uploads the plan once, then evaluates the table in tiles sized from the
 * device's limits, each tile read back while the next one computes. Values are f32.
 */
import { timePass } from './pass-timer.js';
import { RuntimeFailure, SpecError } from '../../errors.js';
import { F32_MAX, planMagnitude } from '../../plan/bounds.js';
import type { Plan } from '../../plan/compile.js';
import { packLevels, packSegments, SEGMENT_BYTES } from '../../plan/layout.js';
import type { Backend, RunOptions, TileHandler, TileRect } from '../types.js';
import { tileRect, wholeTable } from '../../tiles.js';
import { DeviceLost, watchLoss } from './lost.js';
import { EVALUATE_BINDINGS, evaluateShaderSource, planPrimitives, TILE, type Precision } from './shader.js';

export interface WebGpuOptions {
  /** Steps each invocation computes, 64 apart (a workgroup covers 64 x this many consecutive steps). */
  valuesPerInvocation?: number;
  /** Cap on values per tile (also bounded by the device's storage binding and buffer limits). */
  maxTileValues?: number;
  /** Description of the adapter, for describe(). */
  adapter?: string;
  /** 'high': double-float arithmetic (pairs of f32, ~48 bits) and float64 output. Default 'standard' (f32). */
  precision?: Precision;
}

const WORKGROUP = 64;

/** The plan as the evaluate kernel binds it. */
export type PlanBuffers = Record<'segments' | 'rowTracks' | 'trackSegments' | 'breaks' | 'levels', GPUBuffer>;

interface Frame {
  out: GPUBuffer;
  staging: GPUBuffer;
  uniform: GPUBuffer;
  bindGroup: GPUBindGroup | null;
  /** Kernel start/end timestamps, when timings are asked for and the device has timestamp-query. */
  clock: { queries: GPUQuerySet; resolved: GPUBuffer; read: GPUBuffer } | null;
}

export interface TileShape {
  tileRows: number;
  tileSteps: number;
}

/** Tile shape from the device limits: whole rows where they fit, every dimension within dispatch limits. */
export function gpuTileShape(
  rows: number,
  steps: number,
  limits: GPUSupportedLimits,
  perInvocation: number,
  cap: number,
  bytesPerValue = 4,
): TileShape {
  const maxValues = Math.floor(
    Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize, cap * bytesPerValue) / bytesPerValue,
  );
  const maxDim = limits.maxComputeWorkgroupsPerDimension;
  const tileSteps = Math.min(steps, maxValues, maxDim * WORKGROUP * perInvocation);
  const tileRows = Math.max(1, Math.min(rows, Math.floor(maxValues / tileSteps), maxDim));
  return { tileRows, tileSteps };
}

/**
 * Why the plan cannot be bound on this device (each plan array is one storage binding), or null.
 * Only per-step tables grow that large: a few kinds list long curves step by step.
 */
export function planTooLarge(plan: Plan, limits: GPUSupportedLimits): string | null {
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const largest = Math.max(
    plan.segStart.length * SEGMENT_BYTES,
    plan.levels.length * 8,
    plan.breaks.length * 4,
    plan.trackSegments.byteLength,
  );
  if (largest <= limit) return null;
  const mb = (n: number) => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`);
  return `the plan needs a ${mb(largest)} buffer, over this adapter's ${mb(limit)} storage binding limit (per-step tables of long runs; fewer schedules per run, e.g. --shard, fit)`;
}

/** A plan the f32 kernels can evaluate: values within float32's range, else a SpecError naming --backend. */
export function checkFitsFloat32(plan: Plan): void {
  const magnitude = planMagnitude(plan);
  if (!(magnitude <= F32_MAX))
    throw new SpecError(
      'backend',
      'webgpu computes in float32 and these schedules reach values beyond +-3.4e38 (use --backend cpu)',
      magnitude,
      'beyond-float32',
    );
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly dtype: 'float32' | 'float64';
  readonly precision: Precision;
  readonly perInvocation: number;
  private readonly maxTileValues: number;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly loss: ReturnType<typeof watchLoss>;

  constructor(
    readonly device: GPUDevice,
    private readonly options: WebGpuOptions = {},
  ) {
    this.precision = options.precision ?? 'standard';
    if (this.precision !== 'standard' && this.precision !== 'high')
      throw new SpecError('precision', 'must be standard or high', this.precision, 'unknown-precision');
    this.dtype = this.precision === 'high' ? 'float64' : 'float32';
    this.perInvocation = Math.max(1, Math.floor(options.valuesPerInvocation ?? 256));
    this.maxTileValues = Math.max(1, Math.floor(options.maxTileValues ?? 2 ** 24));
    this.loss = watchLoss(device);
  }

  describe(): string {
    const arithmetic = this.precision === 'high' ? 'double-float' : 'f32';
    return `webgpu (${arithmetic}, ${this.options.adapter ?? 'device given by the caller'})`;
  }

  /** Workgroups the evaluate kernel needs along a row of `steps` steps (each covers 64 x perInvocation). */
  workgroupsPerRow(steps: number): number {
    return Math.ceil(steps / (WORKGROUP * this.perInvocation));
  }

  private get bytesPerValue(): number {
    return this.precision === 'high' ? 8 : 4;
  }

  /** A mapped range as host values (a copy): f32, or f64 = hi + lo of each double-float pair. */
  private decode(bytes: ArrayBuffer): Float32Array | Float64Array {
    if (this.precision === 'standard') return new Float32Array(bytes.slice(0));
    const pairs = new Float32Array(bytes);
    const values = new Float64Array(pairs.length / 2);
    for (let i = 0; i < values.length; i++) values[i] = pairs[2 * i] + pairs[2 * i + 1];
    return values;
  }

  /**
   * The plan's buffers on the device, by their binding names in the evaluate kernel (the caller
   * destroys them). Also for kernels that consume evaluated values on the GPU, such as the stats
   * reductions.
   */
  uploadPlan(plan: Plan): PlanBuffers {
    const tooLarge = planTooLarge(plan, this.device.limits);
    if (tooLarge) throw new RuntimeFailure(`webgpu: ${tooLarge}; --backend cpu evaluates it`, { code: 'capacity' });
    return {
      segments: this.storage(packSegments(plan)),
      rowTracks: this.storage(plan.rowTracks),
      trackSegments: this.storage(plan.trackSegments),
      breaks: this.storage(plan.breaks.length ? plan.breaks : new Uint32Array(1)),
      levels: this.storage(packLevels(plan.levels)),
    };
  }

  /**
   * The evaluate kernel for `plan`'s primitives (one per set of them, kept): the plan's buffers, the
   * `tile` uniform and the `out` values (EVALUATE_BINDINGS).
   */
  getPipeline(plan: Plan): GPUComputePipeline {
    const primitives = planPrimitives(plan);
    const key = primitives.join(',');
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = this.device.createComputePipeline({
        // every binding, read or not by this plan's cases
        layout: EVALUATE_BINDINGS.pipelineLayout(this.device),
        compute: {
          module: this.device.createShaderModule({ code: evaluateShaderSource(this.precision, primitives) }),
          entryPoint: 'main',
        },
      });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** A storage buffer holding `data` (plus `extraUsage`, e.g. COPY_SRC for results read back). */
  storage(data: ArrayBufferView | ArrayBuffer, extraUsage = 0): GPUBuffer {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const size = Math.max(16, Math.ceil(bytes.byteLength / 4) * 4);
    const buffer = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extraUsage,
      mappedAtCreation: true,
    });
    new Uint8Array(buffer.getMappedRange()).set(bytes);
    buffer.unmap();
    return buffer;
  }

  /** The evaluate kernel's tile for this plan on this device. */
  private tileShape(plan: Plan): { tileRows: number; tileSteps: number } {
    return gpuTileShape(
      plan.rows,
      plan.steps,
      this.device.limits,
      this.perInvocation,
      this.maxTileValues,
      this.bytesPerValue,
    );
  }

  async run(plan: Plan, onTile: TileHandler, options: RunOptions = {}): Promise<void> {
    checkFitsFloat32(plan);
    const device = this.device;
    const gone = this.loss.now();
    if (gone) throw gone;
    const timings = options.timings;
    const uploadStarted = performance.now();
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    const pipeline = this.getPipeline(plan);
    const inputs = this.uploadPlan(plan);
    const { tileRows, tileSteps } = this.tileShape(plan);
    // the requested rectangles, each cut into dispatch units that fit the device
    const rects: readonly TileRect[] =
      options.tiles ?? tileRect(wholeTable(plan.rows, plan.steps), { rows: tileRows, steps: tileSteps });
    const units = rects.flatMap((rect, parent) =>
      tileRect(rect, { rows: tileRows, steps: tileSteps }).map((u) => ({ ...u, parent })),
    );
    const valueBytes = this.bytesPerValue;
    const tileBytes = Math.max(8, ...units.map((u) => u.rows * u.steps * valueBytes));
    const frames: Frame[] = [0, 1].map(() => ({
      out: device.createBuffer({ size: tileBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }),
      staging: device.createBuffer({ size: tileBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
      uniform: device.createBuffer({ size: TILE.bufferSize, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
      bindGroup: null,
      clock:
        timings && device.features.has('timestamp-query')
          ? {
              queries: device.createQuerySet({ type: 'timestamp', count: 2 }),
              resolved: device.createBuffer({
                size: 16,
                usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
              }),
              read: device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
            }
          : null,
    }));
    for (const f of frames)
      f.bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: EVALUATE_BINDINGS.entries({ ...inputs, tile: f.uniform, out: f.out }),
      });
    if (timings) timings.upload += performance.now() - uploadStarted;
    const errors = async () => {
      const oom = await device.popErrorScope();
      const validation = await device.popErrorScope();
      const e = oom ?? validation;
      if (e) throw new RuntimeFailure(`webgpu: ${e.message}`);
    };

    const submit = (i: number) => {
      const t = units[i];
      const f = frames[i % 2];
      device.queue.writeBuffer(
        f.uniform,
        0,
        TILE.pack({
          row0: t.row0,
          rows: t.rows,
          step0: t.step0,
          steps: t.steps,
          perInvocation: this.perInvocation,
        }),
      );
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass(
        f.clock
          ? { timestampWrites: { querySet: f.clock.queries, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } }
          : {},
      );
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, f.bindGroup);
      pass.dispatchWorkgroups(this.workgroupsPerRow(t.steps), t.rows);
      pass.end();
      encoder.copyBufferToBuffer(f.out, 0, f.staging, 0, t.rows * t.steps * valueBytes);
      if (f.clock) {
        encoder.resolveQuerySet(f.clock.queries, 0, 2, f.clock.resolved, 0);
        encoder.copyBufferToBuffer(f.clock.resolved, 0, f.clock.read, 0, 16);
      }
      device.queue.submit([encoder.finish()]);
      const mapped = f.staging.mapAsync(GPUMapMode.READ, 0, t.rows * t.steps * valueBytes);
      return f.clock ? Promise.all([mapped, f.clock.read.mapAsync(GPUMapMode.READ)]).then(() => {}) : mapped;
    };

    let failure: unknown = null;
    try {
      // two frames: tile i + 1 computes while tile i is read back and handed on
      const mapped: Promise<void>[] = [];
      // a read still in flight when the device goes fails too: it must not be an unhandled rejection
      const read = (i: number) => {
        const p = submit(i);
        p.catch(() => {});
        return p;
      };
      if (units.length) mapped[0] = read(0);
      let assembling: Float32Array | Float64Array | null = null;
      for (let i = 0; i < units.length; i++) {
        if (i + 1 < units.length) mapped[i + 1] = read(i + 1);
        const waitStarted = performance.now();
        const f = frames[i % 2];
        const u = units[i];
        const rect = rects[u.parent];
        let part: Float32Array | Float64Array;
        try {
          await mapped[i];
          // a device lost after the map resolved unmaps the buffer: this read fails then
          part = this.decode(f.staging.getMappedRange(0, u.rows * u.steps * valueBytes));
        } catch (e) {
          throw (await this.loss.check(1000)) ?? e;
        }
        const whole = u.rows === rect.rows && u.steps === rect.steps;
        if (whole) assembling = part;
        else {
          assembling ??=
            this.precision === 'high'
              ? new Float64Array(rect.rows * rect.steps)
              : new Float32Array(rect.rows * rect.steps);
          for (let r = 0; r < u.rows; r++)
            assembling.set(
              part.subarray(r * u.steps, (r + 1) * u.steps),
              (u.row0 - rect.row0 + r) * rect.steps + (u.step0 - rect.step0),
            );
        }
        f.staging.unmap();
        if (timings) {
          const waited = performance.now() - waitStarted;
          let kernel = 0;
          if (f.clock) {
            const [begin, end] = new BigInt64Array(f.clock.read.getMappedRange().slice(0));
            f.clock.read.unmap();
            kernel = Number(end - begin) / 1e6;
          }
          timings.compute += kernel || waited;
          timings.readback += kernel ? Math.max(0, waited - kernel) : 0;
        }
        if (i + 1 === units.length || units[i + 1].parent !== u.parent) {
          await onTile({ ...rect, data: assembling! });
          assembling = null;
        }
      }
    } catch (e) {
      // the device's own exceptions (an unmap, a timestamp read) are the loss when there was one
      failure = (e instanceof DOMException && this.loss.now()) || e;
    }
    try {
      // a lost device has no error scopes left to pop
      if (!(failure instanceof DeviceLost)) await errors();
    } finally {
      for (const f of frames) f.clock?.queries.destroy();
      for (const b of [
        ...Object.values(inputs),
        ...frames.flatMap((f) => [f.out, f.staging, f.uniform, ...(f.clock ? [f.clock.resolved, f.clock.read] : [])]),
      ])
        b.destroy();
    }
    if (failure) throw failure;
  }

  /**
   * Milliseconds the evaluate kernel takes over the whole plan with nothing read back: the sum of
   * the compute passes' timestamp intervals where the device has timestamp-query, else of the
   * waits from submit to completion. For benchmarks (bench/roofline.mjs sets it beside a
   * store-only kernel timed the same way); on a CPU adapter run()'s readback competes with the
   * kernel for the cores.
   */
  async kernelMilliseconds(plan: Plan): Promise<number> {
    const device = this.device;
    const pipeline = this.getPipeline(plan);
    const inputs = this.uploadPlan(plan);
    const shape = this.tileShape(plan);
    const units = tileRect(wholeTable(plan.rows, plan.steps), { rows: shape.tileRows, steps: shape.tileSteps });
    const out = device.createBuffer({
      size: Math.max(16, shape.tileRows * shape.tileSteps * this.bytesPerValue),
      usage: GPUBufferUsage.STORAGE,
    });
    const uniform = device.createBuffer({
      size: TILE.bufferSize,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: EVALUATE_BINDINGS.entries({ ...inputs, tile: uniform, out }),
    });
    let total = 0;
    try {
      for (const t of units) {
        device.queue.writeBuffer(uniform, 0, TILE.pack({ ...t, perInvocation: this.perInvocation }));
        const ms = await timePass(device, (pass) => {
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(this.workgroupsPerRow(t.steps), t.rows);
        });
        total += ms;
      }
    } finally {
      for (const b of [...Object.values(inputs), out, uniform]) b.destroy();
    }
    return total;
  }

  async dispose(): Promise<void> {
    this.pipelines.clear();
  }
}
