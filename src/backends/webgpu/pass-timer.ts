/**
 * Timing one compute pass on a device, for benchmarks: the pass's timestamps where the device has
 * timestamp-query (the kernel alone), else the wait from submit to completion. The bench's roofline
 * (bench/roofline.mjs) and WebGpuBackend.kernelMilliseconds time their kernels by this same clock.
 */
export async function timePass(
  device: GPUDevice,
  encode: (pass: GPUComputePassEncoder) => void,
  repeats = 1,
): Promise<number> {
  const clock = device.features.has('timestamp-query');
  const queries = clock ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
  const resolved = clock
    ? device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC })
    : null;
  const read = clock
    ? device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
    : null;
  let best = Infinity;
  try {
    for (let i = 0; i < repeats; i++) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass(
        queries ? { timestampWrites: { querySet: queries, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {},
      );
      encode(pass);
      pass.end();
      if (queries && resolved && read) {
        encoder.resolveQuerySet(queries, 0, 2, resolved, 0);
        encoder.copyBufferToBuffer(resolved, 0, read, 0, 16);
      }
      const started = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      let ms = performance.now() - started;
      if (read) {
        await read.mapAsync(GPUMapMode.READ);
        const [begin, end] = new BigInt64Array(read.getMappedRange().slice(0));
        read.unmap();
        if (end > begin) ms = Number(end - begin) / 1e6;
      }
      best = Math.min(best, ms);
    }
  } finally {
    queries?.destroy();
    resolved?.destroy();
    read?.destroy();
  }
  return best;
}
