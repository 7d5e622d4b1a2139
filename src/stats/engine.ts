/**
 * Per-(range, row) Partials of a plan, without holding its table: the CPU backend evaluates tiles
 * (with a halo of 2 steps before and 1 after, for the step-change test) that are folded in f64 and
 * dropped; on WebGPU no table exists at all: one kernel evaluates each block of steps and folds
 * every value in registers as it is evaluated, and only the accumulators (rows x ranges x 48 bytes)
 * are read back, once.
 */
import type { Backend, FoldingBackend } from '../backends/types.js';
import { tileRect, wholeTable, type TileRect } from '../tiles.js';
import { WebGpuBackend } from '../backends/webgpu/backend.js';
import { PLAN_BINDINGS, planPrimitives } from '../backends/webgpu/shader.js';
import { CapacityError, RuntimeFailure, SpecError } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { annealWeights, combine, emptyPartial, type Partial, type RangeSet } from './define.js';
import { foldTile, unpackPartial, type PartialsFold } from './fold.js';
import { PARTIAL, STATS_BINDINGS, STATS_PARAMS, statsShaderSource } from './layout.js';

const HALO_BEFORE = 2;
const HALO_AFTER = 1;

export interface PartialsOptions {
  /** lambda of the annealing momentum (Tissue et al. 2024 use 0.999); null (default) skips the annealing area. */
  lambda?: number | null;
  /** Steps per tile along a row (default 2^16 on cpu, the device's tile width on webgpu). */
  tileSteps?: number;
}

export function checkLambda(lambda: unknown): number {
  if (typeof lambda !== 'number' || !(lambda > 0 && lambda < 1))
    throw new SpecError('lambda', 'must be in (0, 1)', lambda, 'lambda-out-of-range');
  return lambda;
}

/** Core rectangles of at most rows x steps and the halo-extended rectangle each is evaluated on. */
function haloTiles(plan: Plan, rows: number, steps: number): { core: TileRect; evaluated: TileRect }[] {
  return tileRect(wholeTable(plan.rows, plan.steps), { rows, steps }).map((core) => {
    const first = Math.max(0, core.step0 - HALO_BEFORE);
    const end = Math.min(plan.steps, core.step0 + core.steps + HALO_AFTER);
    return { core, evaluated: { row0: core.row0, rows: core.rows, step0: first, steps: end - first } };
  });
}

/** Accumulated partials, index range * plan.rows + row. */
export async function computePartials(
  plan: Plan,
  set: RangeSet,
  backend: Backend,
  options: PartialsOptions = {},
): Promise<Partial[]> {
  const lambda = options.lambda == null ? null : checkLambda(options.lambda);
  if (backend instanceof WebGpuBackend && backend.precision === 'standard')
    return gpuPartials(plan, set, backend, lambda, options.tileSteps);
  return hostPartials(plan, set, backend, lambda, options.tileSteps);
}

/** The cpu backend with worker threads folds tiles where it evaluates them (not imported here: browsers have no workers). */
function isFolding(backend: Backend): backend is FoldingBackend {
  return typeof (backend as { fold?: unknown }).fold === 'function';
}

async function hostPartials(
  plan: Plan,
  set: RangeSet,
  backend: Backend,
  lambda: number | null,
  tileSteps = 1 << 16,
): Promise<Partial[]> {
  const tileRows = Math.max(1, Math.floor((1 << 21) / tileSteps));
  const tiles = haloTiles(plan, tileRows, tileSteps);
  // the annealing weights depend on the range's end only: once per long range, not once per value
  const fold: PartialsFold = {
    ranges: set.ranges,
    lambda,
    totalSteps: plan.steps,
    weights: set.ranges.map((range) =>
      lambda !== null && range[1] - range[0] > 1 ? annealWeights(range[1], lambda) : null,
    ),
  };
  const folded: Float64Array[] = new Array(tiles.length);
  if (isFolding(backend))
    // evaluated and folded in the worker threads: only the partials come back
    await backend.fold(plan, tiles, fold, (k, packed) => void (folded[k] = packed));
  else {
    const index = new Map(tiles.map((t, k) => [`${t.evaluated.row0}:${t.evaluated.step0}`, k]));
    await backend.run(
      plan,
      (tile) => {
        const k = index.get(`${tile.row0}:${tile.step0}`)!;
        folded[k] = foldTile(fold, tile.data, tiles[k].evaluated, tiles[k].core);
      },
      { tiles: tiles.map((t) => t.evaluated) },
    );
  }
  // combined in tile order, whatever order the tiles finished in: the same sums on every run
  const acc = Array.from({ length: set.ranges.length * plan.rows }, emptyPartial);
  tiles.forEach(({ core }, k) => {
    for (let r = 0; r < core.rows; r++)
      for (let j = 0; j < set.ranges.length; j++) {
        const at = j * plan.rows + core.row0 + r;
        acc[at] = combine(acc[at], unpackPartial(folded[k], set.ranges.length, r, j));
      }
  });
  return acc;
}

const PARTIAL_BYTES = PARTIAL.size;
const WORKGROUP = 64;
/** Block partials per tile at most (48 bytes each): tiles stay within a modest buffer. */
const MAX_TILE_PARTIALS = 1 << 20;

/**
 * Consecutive steps each `reduce` invocation evaluates and folds (RUN_STEPS in shaders/stats.wgsl):
 * long enough that the 3 halo steps it also evaluates cost little, short enough that a row of
 * 1e5 steps still spreads over several workgroups.
 */
const RUN_STEPS = 256;

interface StatsPipelines {
  reduce: GPUComputePipeline;
  merge: GPUComputePipeline;
}

// the fused kernel holds the evaluate library for the plan's primitives: compiling it costs a CPU
// adapter a few tenths of a second, so once per device and variant (the primitives; with the
// annealing area for rank, without for stats)
const pipelines = new WeakMap<GPUDevice, Map<string, StatsPipelines>>();

const REDUCE_NAMES = [...PLAN_BINDINGS.map((b) => b.name), 'ranges', 'params', 'partials'] as const;

function statsPipelines(device: GPUDevice, withAnneal: boolean, primitives: readonly number[]): StatsPipelines {
  let variants = pipelines.get(device);
  if (!variants) pipelines.set(device, (variants = new Map()));
  const key = `${withAnneal}:${primitives.join(',')}`;
  let p = variants.get(key);
  if (!p) {
    const module = device.createShaderModule({ code: statsShaderSource(primitives) });
    p = {
      reduce: device.createComputePipeline({
        // the plan's bindings whether or not its primitives read them, as the bind group gives them
        layout: STATS_BINDINGS.pipelineLayout(device, REDUCE_NAMES),
        compute: {
          module,
          entryPoint: 'reduce',
          constants: { RUN_STEPS, WITH_ANNEAL: withAnneal ? 1 : 0 },
        },
      }),
      merge: device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'merge' } }),
    };
    variants.set(key, p);
  }
  return p;
}

/**
 * The fused pass: each `reduce` workgroup evaluates one block of a row, each invocation a run of
 * it folded in registers, so no table is stored on the device, let alone read back; `merge` folds the block partials
 * into the accumulators. Tiles are whole rows where the dispatch allows, as many rows as the
 * partials buffer holds.
 */
async function gpuPartials(
  plan: Plan,
  set: RangeSet,
  backend: WebGpuBackend,
  lambda: number | null,
  tileStepsOption?: number,
): Promise<Partial[]> {
  const device = backend.device;
  const limits = device.limits;
  const rangeCount = set.ranges.length;
  if (rangeCount > limits.maxComputeWorkgroupsPerDimension)
    throw new CapacityError(
      `webgpu stats: ${rangeCount} ranges (3 + at steps + windows) are more than one dispatch on this device ` +
        `holds (${limits.maxComputeWorkgroupsPerDimension}); the cpu backend computes them`,
      limits.maxComputeWorkgroupsPerDimension,
      rangeCount,
    );
  const accBytes = rangeCount * plan.rows * PARTIAL_BYTES;
  if (accBytes > limits.maxStorageBufferBindingSize)
    throw new CapacityError(
      `webgpu stats: ${plan.rows} rows x ${rangeCount} ranges need a ${accBytes}-byte accumulator, over this ` +
        `device's ${limits.maxStorageBufferBindingSize}-byte storage binding limit; the cpu backend computes them`,
      limits.maxStorageBufferBindingSize,
      accBytes,
    );
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const { reduce: reducePipeline, merge: mergePipeline } = statsPipelines(
    device,
    lambda !== null,
    planPrimitives(plan),
  );
  const blockSteps = WORKGROUP * RUN_STEPS;
  const planBuffers = backend.uploadPlan(plan);

  const maxBlocks = limits.maxComputeWorkgroupsPerDimension;
  const tileSteps = Math.max(blockSteps, Math.min(tileStepsOption ?? plan.steps, maxBlocks * blockSteps));
  const blocks = Math.ceil(Math.min(tileSteps, plan.steps) / blockSteps);
  const partialLimit = Math.min(MAX_TILE_PARTIALS, Math.floor(limits.maxStorageBufferBindingSize / PARTIAL_BYTES));
  const tileRows = Math.max(
    1,
    Math.min(plan.rows, Math.floor(partialLimit / (blocks * rangeCount)), limits.maxComputeWorkgroupsPerDimension),
  );
  const rangeBuffer = backend.storage(new Uint32Array(set.ranges.flat()));
  const partials = device.createBuffer({
    size: Math.max(PARTIAL_BYTES, tileRows * rangeCount * blocks * PARTIAL_BYTES),
    usage: GPUBufferUsage.STORAGE,
  });
  const acc = backend.storage(new Uint8Array(Math.max(PARTIAL_BYTES, accBytes)), GPUBufferUsage.COPY_SRC); // zeros: empty partials
  const read = device.createBuffer({
    size: Math.max(PARTIAL_BYTES, accBytes),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  // one uniform buffer per tile: every tile's dispatches go in one submit
  const tiles = tileRect(wholeTable(plan.rows, plan.steps), { rows: tileRows, steps: tileSteps });
  const uniforms = tiles.map(() =>
    device.createBuffer({ size: STATS_PARAMS.bufferSize, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
  );
  try {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    tiles.forEach((tile, i) => {
      const tileBlocks = Math.ceil(tile.steps / blockSteps);
      device.queue.writeBuffer(
        uniforms[i],
        0,
        STATS_PARAMS.pack({
          rows: tile.rows,
          row0: tile.row0,
          totalRows: plan.rows,
          step0: tile.step0,
          step1: tile.step0 + tile.steps,
          totalSteps: plan.steps,
          blocks: tileBlocks,
          rangeCount,
          // 0 and 0 when the annealing area is not asked for
          lnLambda: lambda === null ? 0 : Math.log(lambda),
          invOneMinusLambda: lambda === null ? 0 : 1 / (1 - lambda),
        }),
      );
      pass.setPipeline(reducePipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: reducePipeline.getBindGroupLayout(0),
          entries: STATS_BINDINGS.entries({ ...planBuffers, ranges: rangeBuffer, params: uniforms[i], partials }),
        }),
      );
      pass.dispatchWorkgroups(tileBlocks, tile.rows);
      pass.setPipeline(mergePipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: mergePipeline.getBindGroupLayout(0),
          entries: STATS_BINDINGS.entries({ params: uniforms[i], partials, acc }),
        }),
      );
      pass.dispatchWorkgroups(Math.ceil((tile.rows * rangeCount) / WORKGROUP));
    });
    pass.end();
    encoder.copyBufferToBuffer(acc, 0, read, 0, read.size);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const bytes = read.getMappedRange().slice(0);
    read.unmap();
    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const error = oom ?? validation;
    if (error) throw new RuntimeFailure(`webgpu stats: ${error.message}`);
    return decodePartials(bytes, rangeCount * plan.rows);
  } finally {
    for (const b of [...Object.values(planBuffers), rangeBuffer, partials, acc, read, ...uniforms]) b.destroy();
  }
}

function decodePartials(bytes: ArrayBuffer, count: number): Partial[] {
  const read = PARTIAL.reader(bytes);
  return Array.from({ length: count }, (_, i) => {
    const p = read(i);
    return {
      sum: p.sumHi,
      sumC: p.sumLo,
      min: p.minV,
      argmin: p.minI,
      max: p.maxV,
      argmax: p.maxI,
      jumps: p.jumps,
      count: p.count,
      anneal: p.annealHi,
      annealC: p.annealLo,
    };
  });
}
