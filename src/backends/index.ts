/**
 * Choosing a backend: 'cpu', 'webgpu' (a device the caller gives, or one requested here), or 'auto'
 * (webgpu when an adapter exists, else cpu, saying why).
 */
import { RuntimeFailure, SpecError } from '../errors.js';
import { F32_MAX, planMagnitude } from '../plan/bounds.js';
import type { Plan } from '../plan/compile.js';
import { CpuBackend, type CpuOptions } from './cpu.js';
import type { Backend } from './types.js';
import { planTooLarge, WebGpuBackend, type WebGpuOptions } from './webgpu/backend.js';
import { requestGpu, type GpuHandle } from './webgpu/device.js';

export type BackendChoice = 'auto' | 'cpu' | 'webgpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'webgpu'];

export interface CreateBackendOptions extends CpuOptions, WebGpuOptions {
  /** Use this device (the library never creates one unless asked to by `backend: 'webgpu' | 'auto'` without it). */
  device?: GPUDevice;
  /** Told why 'auto' fell back to cpu. */
  onNotice?: (line: string) => void;
  /** With 'auto': the plan to run, so that one whose values do not fit in float32 runs on the cpu. */
  plan?: Plan;
}

export function checkBackendChoice(value: unknown): BackendChoice {
  if (!BACKEND_CHOICES.includes(value as BackendChoice))
    throw new SpecError('backend', `must be one of ${BACKEND_CHOICES.join(', ')}`, value, 'unknown-backend');
  return value as BackendChoice;
}

/** A backend; dispose() it when done (it releases a device it requested itself). */
export async function createBackend(choice: BackendChoice, options: CreateBackendOptions = {}): Promise<Backend> {
  checkBackendChoice(choice);
  if (choice === 'cpu') return new CpuBackend(options);
  if (choice === 'auto' && options.plan && !(planMagnitude(options.plan) <= F32_MAX)) {
    options.onNotice?.('schedgpu: using the cpu backend: values beyond float32 range (+-3.4e38)');
    return new CpuBackend(options);
  }
  if (options.device) return new WebGpuBackend(options.device, options);
  const gpu = await requestGpu();
  if ('reason' in gpu) {
    if (choice === 'webgpu') throw new RuntimeFailure(`webgpu: ${gpu.reason}`, { code: 'no-adapter' });
    options.onNotice?.(`schedgpu: using the cpu backend: ${gpu.reason}`);
    return new CpuBackend(options);
  }
  const tooLarge = choice === 'auto' && options.plan ? planTooLarge(options.plan, gpu.device.limits) : null;
  if (tooLarge) {
    options.onNotice?.(`schedgpu: using the cpu backend: ${tooLarge}`);
    gpu.release();
    return new CpuBackend(options);
  }
  return ownedGpuBackend(gpu, options);
}

function ownedGpuBackend(gpu: GpuHandle, options: WebGpuOptions): Backend {
  const backend = new WebGpuBackend(gpu.device, { ...options, adapter: gpu.adapter });
  const dispose = backend.dispose.bind(backend);
  backend.dispose = async () => {
    await dispose();
    gpu.release();
  };
  return backend;
}

export type { Backend, Dtype, RunOptions, StageTimings, Tile, TileHandler, TileRect } from './types.js';
export { CpuBackend } from './cpu.js';
export { WebGpuBackend } from './webgpu/backend.js';
export { requestGpu } from './webgpu/device.js';
