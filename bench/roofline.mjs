// The adapter's roofline for the evaluate kernel: a store-only kernel that writes each value's index
// as an f32 into a tile of the same shape as ours (rows x steps, 2^24 values, one 2D dispatch of
// 64-wide workgroups), and the buffer-to-buffer copy bandwidth. The store-only kernel is the most a
// kernel that evaluates and stores f32 values can reach; run.mjs reports each webgpu cell as a
// fraction of it, and `node bench/roofline.mjs` prints it alone (with our kernel beside it).
// Kernel time is the compute pass's timestamp-query interval where the device has that feature,
// else the wall time from submit to onSubmittedWorkDone; both sides are timed the same way.

import { pathToFileURL } from 'node:url';
// the same clock as WebGpuBackend.kernelMilliseconds
import { timePass } from '../dist/index.js';

const WORKGROUP = 64;

/** A workgroup's 64 invocations side by side, `per` steps each, 64 apart (the evaluate kernel's layout now). */
const interleaved = (per) => ({
  perInvocation: per,
  body:
    `let first = (x / 64u) * ${64 * per}u + x % 64u;\n` +
    `  for (var k = 0u; k < ${per}u; k++) { let s = first + k * 64u; if (s < tile.steps) { out[base + s] = f32(base + s); } }`,
});

/** Store-only kernels, by the layout of the values each invocation writes. */
const STORE_ONLY = {
  // one value per invocation: x = step
  single: { perInvocation: 1, body: 'out[base + x] = f32(base + x);' },
  // 32 consecutive steps per invocation (the evaluate kernel's layout before issue 18)
  consecutive: {
    perInvocation: 32,
    body: 'for (var k = 0u; k < 32u; k++) { let s = x * 32u + k; if (s < tile.steps) { out[base + s] = f32(base + s); } }',
  },
  interleaved32: interleaved(32),
  // as the evaluate kernel's default (WebGpuBackend's valuesPerInvocation)
  interleaved256: interleaved(256),
};

function storeOnlySource(body) {
  return `struct Tile { rows: u32, steps: u32, chunks: u32, pad: u32 }
@group(0) @binding(0) var<uniform> tile: Tile;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let x = gid.x;
  if (x >= tile.chunks || gid.y >= tile.rows) { return; }
  let base = gid.y * tile.steps;
  ${body}
}`;
}

/** The evaluate kernel's tile for a run of `steps` steps: whole rows of up to 2^24 values (as gpuTileShape). */
export function rooflineTile(steps, maxValues = 2 ** 24) {
  const tileSteps = Math.min(steps, maxValues);
  return { rows: Math.max(1, Math.floor(maxValues / tileSteps)), steps: tileSteps };
}

/**
 * Store-only throughput (values/s) over one tile of rows x steps, for each layout, and the best.
 * `timing` tells how the kernel was timed.
 */
export async function storeOnlyThroughput(device, tile = rooflineTile(100_000), repeats = 5) {
  const values = tile.rows * tile.steps;
  const out = device.createBuffer({ size: values * 4, usage: GPUBufferUsage.STORAGE });
  const uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const layouts = {};
  for (const [name, kernel] of Object.entries(STORE_ONLY)) {
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code: storeOnlySource(kernel.body) }), entryPoint: 'main' },
    });
    // the interleaved layouts cover whole blocks of 64 x perInvocation steps
    const groups = Math.ceil(Math.ceil(tile.steps / kernel.perInvocation) / WORKGROUP);
    device.queue.writeBuffer(uniform, 0, new Uint32Array([tile.rows, tile.steps, groups * WORKGROUP, 0]));
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniform } },
        { binding: 1, resource: { buffer: out } },
      ],
    });
    const ms = await timePass(
      device,
      (pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(groups, tile.rows);
      },
      repeats,
    );
    layouts[name] = values / (ms / 1000);
  }
  out.destroy();
  uniform.destroy();
  const best = Math.max(...Object.values(layouts));
  return {
    valuesPerSecond: best,
    layouts,
    tile,
    timing: device.features.has('timestamp-query') ? 'timestamp-query' : 'submit to onSubmittedWorkDone',
  };
}

/** The adapter's buffer-to-buffer copy bandwidth (bytes copied per second), best of 5. */
export async function bufferCopyBandwidth(device) {
  const size = 128 * 2 ** 20;
  const src = device.createBuffer({ size, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE });
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, dst, 0, size);
    const t = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    best = Math.min(best, performance.now() - t);
  }
  src.destroy();
  dst.destroy();
  return size / (best / 1000);
}

/**
 * Our evaluate kernel over a whole workload, values/s of kernel time with nothing read back
 * (WebGpuBackend.kernelMilliseconds: timed as the store-only kernel is), best of `repeats`.
 */
export async function evaluateKernelThroughput(lib, device, specs, steps, precision, repeats = 2) {
  const backend = new lib.WebGpuBackend(device, { precision });
  const plan = lib.compile(specs, steps);
  let best = Infinity;
  for (let i = 0; i < repeats; i++) best = Math.min(best, await backend.kernelMilliseconds(plan));
  return (plan.rows * steps) / (best / 1000);
}

// `node bench/roofline.mjs [rows steps]`: the roofline and our kernel on workloads b and c
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lib = await import('../dist/index.js');
  const { WORKLOADS } = await import('./workloads.mjs');
  const rows = Number(process.argv[2] ?? 1000);
  const steps = Number(process.argv[3] ?? 100_000);
  const gpu = await lib.requestGpu();
  if ('reason' in gpu) {
    console.error(`no adapter: ${gpu.reason}`);
    process.exit(1);
  }
  const store = await storeOnlyThroughput(gpu.device, rooflineTile(steps));
  const copy = await bufferCopyBandwidth(gpu.device);
  const e = (x) => x.toExponential(2);
  console.log(`adapter: ${gpu.adapter}; kernels timed by ${store.timing}`);
  console.log(
    `store-only: ${e(store.valuesPerSecond)} values/s (${Object.entries(store.layouts)
      .map(([k, v]) => `${k} ${e(v)}`)
      .join(', ')}); buffer copy: ${e(copy)} bytes/s`,
  );
  for (const workload of ['b', 'c'])
    for (const precision of ['standard', 'high']) {
      const v = await evaluateKernelThroughput(
        lib,
        gpu.device,
        WORKLOADS[workload].specs(rows, steps),
        steps,
        precision,
      );
      console.log(
        `workload ${workload} ${rows}x${steps} ${precision === 'high' ? 'high' : 'f32 '}: ${e(v)} values/s, ` +
          `${((100 * v) / store.valuesPerSecond).toFixed(0)}% of store-only`,
      );
    }
  gpu.release();
}
