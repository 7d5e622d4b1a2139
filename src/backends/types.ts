/** What a backend produces: tiles of a schedules x steps table, in any order. */
import type { Plan } from '../plan/compile.js';
import type { PartialsFold } from '../stats/fold.js';
import type { TileRect } from '../tiles.js';

export type Dtype = 'float64' | 'float32';

export type { TileRect } from '../tiles.js';

/** A rectangle of the table with its values, row-major: data[(r - row0) * steps + (t - step0)]. */
export interface Tile extends TileRect {
  data: Float64Array | Float32Array;
}

/** Milliseconds spent per stage, added to by a run (where stages overlap the split is approximate). */
export interface StageTimings {
  /** Plan and buffers to the device. */
  upload: number;
  /** Evaluating values (GPU kernel time from timestamp queries when the adapter has them). */
  compute: number;
  /** Waiting for and copying results back to the host, beyond the kernel time. */
  readback: number;
}

export interface RunOptions {
  /** Filled with where the time went. */
  timings?: StageTimings;
  /** Evaluate exactly these rectangles, each handed on whole (default: the backend's own tiling of the table). */
  tiles?: readonly TileRect[];
}

export type TileHandler = (tile: Tile) => void | Promise<void>;

export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  readonly dtype: Dtype;
  /** Adapter or thread description, for logs and manifests. */
  describe(): string;
  /** Evaluate the plan (every row and step, or the requested tiles), handing each finished tile to `onTile`. */
  run(plan: Plan, onTile: TileHandler, options?: RunOptions): Promise<void>;
  /** Release workers / GPU resources the backend created (never a device it was given). */
  dispose(): Promise<void>;
}

/** A tile evaluated on `evaluated` (the core with a halo) whose `core` steps are folded. */
export interface FoldJob {
  evaluated: TileRect;
  core: TileRect;
}

/** A backend that folds tiles into per-row statistics where it evaluates them (cpu worker threads). */
export interface FoldingBackend extends Backend {
  /** Evaluate and fold every job; `onFolded(k, packed)` gets foldTile's output for jobs[k]. */
  fold(
    plan: Plan,
    jobs: readonly FoldJob[],
    fold: PartialsFold,
    onFolded: (k: number, packed: Float64Array) => void,
  ): Promise<void>;
}
