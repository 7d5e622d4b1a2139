/** An evaluated table held in memory, and the helper that collects one from a backend. */
import type { Backend, Dtype, Tile } from '../backends/types.js';
import type { Plan } from '../plan/compile.js';

export interface Table {
  ids: string[];
  kinds: string[];
  rows: number;
  steps: number;
  dtype: Dtype;
  /** Row-major: values[r * steps + t]. */
  values: Float64Array | Float32Array;
  /** Which backend produced it (Backend.describe()). */
  backend: string;
}

/** Copy a tile into a row-major rows x steps array. */
export function placeTile(tile: Tile, steps: number, into: Float64Array | Float32Array): void {
  for (let r = 0; r < tile.rows; r++)
    into.set(tile.data.subarray(r * tile.steps, (r + 1) * tile.steps), (tile.row0 + r) * steps + tile.step0);
}

/** Evaluate a whole plan into memory (`onTile` also sees each tile, e.g. for progress). */
export async function collectTable(plan: Plan, backend: Backend, onTile?: (tile: Tile) => void): Promise<Table> {
  const n = plan.rows * plan.steps;
  const values = backend.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  await backend.run(plan, (tile) => {
    placeTile(tile, plan.steps, values);
    onTile?.(tile);
  });
  return {
    ids: plan.ids,
    kinds: plan.kinds,
    rows: plan.rows,
    steps: plan.steps,
    dtype: backend.dtype,
    values,
    backend: backend.describe(),
  };
}
