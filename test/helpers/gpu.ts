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
