/** What a backend produces: tiles of a schedules x steps table, in any order. */
import type { Plan } from '../plan/compile.js';

export type Dtype = 'float64' | 'float32';

/** A rectangle of the table, row-major: data[(r - row0) * steps + (t - step0)]. */
export interface Tile {
  row0: number;
  rows: number;
  step0: number;
  steps: number;
  data: Float64Array | Float32Array;
}

export type TileHandler = (tile: Tile) => void | Promise<void>;

export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  readonly dtype: Dtype;
  /** Adapter or thread description, for logs and manifests. */
  describe(): string;
  /** Evaluate every row and step of the plan, handing each finished tile to `onTile`. */
  run(plan: Plan, onTile: TileHandler): Promise<void>;
  /** Release workers / GPU resources the backend created (never a device it was given). */
  dispose(): Promise<void>;
}
