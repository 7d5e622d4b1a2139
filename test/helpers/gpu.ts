/**
 * One WebGPU device for a test file. Without an adapter the GPU suites skip with the reason printed,
 * unless SCHEDGPU_REQUIRE_GPU=1 (as in CI), where they fail.
 */
import { requestGpu, type GpuHandle } from '../../src/backends/webgpu/device.js';

export const REQUIRE_GPU = process.env.SCHEDGPU_REQUIRE_GPU === '1';

export async function gpuForTests(): Promise<GpuHandle | null> {
  const gpu = await requestGpu();
  if ('reason' in gpu) {
    if (REQUIRE_GPU) throw new Error(`SCHEDGPU_REQUIRE_GPU=1 but no WebGPU adapter: ${gpu.reason}`);
    console.warn(`skipping GPU tests: ${gpu.reason}`);
    return null;
  }
  return gpu;
}

/**
 * Run a one-off compute kernel: `inputs` become read-only storage bindings 0..n-1, binding n is a
 * read_write output of `outputBytes`, read back and returned (uniform bindings instead with
 * `uniformInputs`). Entry point `main`; a validation error is thrown.
 */
export async function runKernel(
  device: GPUDevice,
  code: string,
  inputs: ArrayBuffer[],
  outputBytes: number,
  workgroups: [number, number?],
  options: { uniformInputs?: boolean } = {},
): Promise<ArrayBuffer> {
  const usage = options.uniformInputs ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE;
  const storage = inputs.map((data) => {
    const b = device.createBuffer({ size: data.byteLength, usage, mappedAtCreation: true });
    new Uint8Array(b.getMappedRange()).set(new Uint8Array(data));
    b.unmap();
    return b;
  });
  const out = device.createBuffer({ size: outputBytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: outputBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [...storage, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
    }),
  );
  pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1);
  pass.end();
  encoder.copyBufferToBuffer(out, 0, read, 0, outputBytes);
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(`kernel: ${error.message}`);
  await read.mapAsync(GPUMapMode.READ);
  const result = read.getMappedRange().slice(0);
  read.unmap();
  for (const b of [...storage, out, read]) b.destroy();
  return result;
}
