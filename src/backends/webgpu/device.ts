/**
 * Getting a GPUDevice: `navigator.gpu` in a browser, Dawn's node binding (`webgpu`) in Node.
 * The library itself only takes a device; the CLI and tests use this helper to make one.
 */

export interface GpuHandle {
  device: GPUDevice;
  /** Adapter vendor / architecture / description, for logs and manifests. */
  adapter: string;
  /** Destroy the device and let the binding go. */
  release(): void;
}

// Dawn's node binding crashes or hangs in mapAsync when the object create() returned is collected
// while a device lives: hold every one until its device is released.
const liveBindings = new Set<unknown>();

/** Request an adapter and a device with the adapter's largest buffer limits; null with the reason if none. */
export async function requestGpu(): Promise<GpuHandle | { reason: string }> {
  let gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  let binding: unknown = null;
  if (!gpu) {
    try {
      const dawn = (await import('webgpu')) as { create(flags: string[]): GPU; globals: object };
      Object.assign(globalThis, dawn.globals);
      binding = dawn.create([]);
      gpu = binding as GPU;
    } catch (e) {
      return { reason: `the webgpu module did not load (${(e as Error).message.split('\n')[0]})` };
    }
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { reason: `requestAdapter failed (${(e as Error).message})` };
  }
  if (!adapter) return { reason: 'no WebGPU adapter (no GPU driver; on Linux install Mesa lavapipe, see the README)' };
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    // kernel times for benchmarks, where the adapter can measure them
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      // the fused stats kernel holds a block of values per workgroup: larger blocks, fewer reductions
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    },
  });
  if (binding) liveBindings.add(binding);
  const info = adapter.info;
  const adapterText =
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
  let released = false;
  return {
    device,
    adapter: adapterText,
    release() {
      if (released) return;
      released = true;
      device.destroy();
      // the binding must outlive the device's last callbacks: let it go on a later turn
      if (binding) setTimeout(() => liveBindings.delete(binding), 0);
    },
  };
}
