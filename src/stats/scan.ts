/**
 * Prefix scans on the GPU (shaders/scan.wgsl): x_i = a * x_(i-1) + b_i for a constant a, in
 * double-float pairs, by a blocked scan with one level per factor of 256. A building block: the
 * running sum (a = 1) gives S1 of the LR-annealing law at every step, the momentum recurrence
 * (a = lambda) and its running sum give S2, so a whole predicted loss curve stays on the device.
 */
import type { WebGpuBackend } from '../backends/webgpu/backend.js';
import { EVALUATE_BINDINGS, TILE } from '../backends/webgpu/shader.js';
import { CapacityError, RuntimeFailure } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { checkLaw, predictLoss, type LossLaw } from './index.js';
import { SCAN_BINDINGS, SCAN_PARAMS, scanShaderSource } from './layout.js';

const BLOCK = 256;

export type ScanInput = 'values' | 'decreases';

export class GpuScan {
  private readonly prepareP: GPUComputePipeline;
  private readonly scanP: GPUComputePipeline;
  private readonly carryP: GPUComputePipeline;
  private readonly scratch: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {
    const module = device.createShaderModule({ code: scanShaderSource() });
    const make = (entryPoint: string) =>
      device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint } });
    this.prepareP = make('prepare');
    this.scanP = make('scanBlocks');
    this.carryP = make('addCarry');
  }

  private buffer(bytes: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, bytes), usage });
    this.scratch.push(b);
    return b;
  }

  private dispatch(
    encoder: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    n: number,
    lnA: number,
    mode: number,
    data: GPUBuffer,
    extra: { totals?: GPUBuffer; source?: GPUBuffer },
  ): void {
    const groups = Math.ceil(n / BLOCK);
    const groupsX = Math.min(groups, this.device.limits.maxComputeWorkgroupsPerDimension);
    const uniform = this.buffer(SCAN_PARAMS.bufferSize, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(uniform, 0, SCAN_PARAMS.pack({ n, groupsX, mode, lnA }));
    const entries = SCAN_BINDINGS.entries({ scan: uniform, data, totals: extra.totals, source: extra.source });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(groupsX, Math.ceil(groups / groupsX));
    pass.end();
  }

  /** b_i as double-float pairs from n f32 values: the values, or their decreases v_(i-1) - v_i (b_0 = 0). */
  prepare(encoder: GPUCommandEncoder, source: GPUBuffer, n: number, input: ScanInput): GPUBuffer {
    const data = this.buffer(n * 8, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    this.dispatch(encoder, this.prepareP, n, 0, input === 'values' ? 0 : 1, data, { source });
    return data;
  }

  /** Scan n double-float pairs in `data` in place: x_i = a * x_(i-1) + b_i. */
  scan(encoder: GPUCommandEncoder, data: GPUBuffer, n: number, a: number): void {
    const levels: { data: GPUBuffer; n: number; lnA: number }[] = [{ data, n, lnA: Math.log(a) }];
    while (levels[levels.length - 1].n > BLOCK) {
      const below = levels[levels.length - 1];
      const count = Math.ceil(below.n / BLOCK);
      levels.push({ data: this.buffer(count * 8, GPUBufferUsage.STORAGE), n: count, lnA: below.lnA * BLOCK });
    }
    const unused = this.buffer(16, GPUBufferUsage.STORAGE);
    levels.forEach((level, k) =>
      this.dispatch(encoder, this.scanP, level.n, level.lnA, 0, level.data, { totals: levels[k + 1]?.data ?? unused }),
    );
    for (let k = levels.length - 2; k >= 0; k--)
      this.dispatch(encoder, this.carryP, levels[k].n, levels[k].lnA, 0, levels[k].data, {
        totals: levels[k + 1].data,
      });
  }

  /** Copy n double-float pairs back to the host as f64 (hi + lo). */
  async read(data: GPUBuffer, n: number): Promise<Float64Array> {
    const read = this.buffer(n * 8, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(data, 0, read, 0, n * 8);
    this.device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const pairs = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = pairs[2 * i] + pairs[2 * i + 1];
    return out;
  }

  destroy(): void {
    for (const b of this.scratch.splice(0)) b.destroy();
  }
}

/** Scan f32 values on the device and read the result back: the building block, for tests and one-offs. */
export async function scanOnGpu(
  device: GPUDevice,
  values: Float32Array,
  a: number,
  input: ScanInput = 'values',
): Promise<Float64Array> {
  const scan = new GpuScan(device);
  device.pushErrorScope('validation');
  try {
    const source = device.createBuffer({
      size: Math.max(16, values.byteLength),
      usage: GPUBufferUsage.STORAGE,
      mappedAtCreation: true,
    });
    new Float32Array(source.getMappedRange()).set(values);
    source.unmap();
    const encoder = device.createCommandEncoder();
    const data = scan.prepare(encoder, source, values.length, input);
    scan.scan(encoder, data, values.length, a);
    device.queue.submit([encoder.finish()]);
    const out = await scan.read(data, values.length);
    source.destroy();
    return out;
  } finally {
    const error = await device.popErrorScope();
    scan.destroy();
    if (error) throw new RuntimeFailure(`webgpu scan: ${error.message}`);
  }
}

/**
 * The predicted loss after each of the first `steps` updates of one row, with the lr evaluated,
 * scanned (S1, the momentum and S2) on the device; only S1 and S2 come back.
 */
export async function predictedLossCurveOnGpu(
  plan: Plan,
  row: number,
  steps: number,
  lawIn: LossLaw,
  backend: WebGpuBackend,
): Promise<Float64Array> {
  const law = checkLaw(lawIn);
  const device = backend.device;
  const most = Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / 8);
  if (steps > most)
    throw new CapacityError(
      `webgpu loss curve: ${steps} steps are more than this device's buffers hold (${most}); the cpu backend computes it`,
      most,
      steps,
    );
  const scan = new GpuScan(device);
  const planBuffers = backend.uploadPlan(plan);
  device.pushErrorScope('validation');
  try {
    const lr = device.createBuffer({ size: Math.max(16, steps * 4), usage: GPUBufferUsage.STORAGE });
    const tile = device.createBuffer({
      size: TILE.bufferSize,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(
      tile,
      0,
      TILE.pack({ row0: row, rows: 1, step0: 0, steps, perInvocation: backend.perInvocation }),
    );
    const pipeline = backend.getPipeline(plan);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: EVALUATE_BINDINGS.entries({ ...planBuffers, tile, out: lr }),
      }),
    );
    pass.dispatchWorkgroups(backend.workgroupsPerRow(steps), 1);
    pass.end();
    const s1 = scan.prepare(encoder, lr, steps, 'values');
    scan.scan(encoder, s1, steps, 1);
    const s2 = scan.prepare(encoder, lr, steps, 'decreases');
    scan.scan(encoder, s2, steps, law.lambda); // the momentum m_i
    scan.scan(encoder, s2, steps, 1); // its running sum
    device.queue.submit([encoder.finish()]);
    const [S1, S2] = [await scan.read(s1, steps), await scan.read(s2, steps)];
    lr.destroy();
    tile.destroy();
    return S1.map((x, i) => predictLoss(law, x, S2[i]));
  } finally {
    const error = await device.popErrorScope();
    scan.destroy();
    for (const b of Object.values(planBuffers)) b.destroy();
    if (error) throw new RuntimeFailure(`webgpu loss curve: ${error.message}`);
  }
}
