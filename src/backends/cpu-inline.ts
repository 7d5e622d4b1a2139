/**
 * The CPU backend without worker threads or Node modules: f64 tiles evaluated in the calling
 * thread. For browsers (the playground) and other hosts without worker_threads.
 */
import type { Plan } from '../plan/compile.js';
import { cpuTiles, evaluateTile, lend } from './cpu-kernel.js';
import type { Backend, RunOptions, TileHandler } from './types.js';

export class InlineCpuBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly dtype = 'float64' as const;

  constructor(private readonly tileValues = 2 ** 20) {}

  describe(): string {
    return 'cpu (f64, this thread)';
  }

  async run(plan: Plan, onTile: TileHandler, options: RunOptions = {}): Promise<void> {
    // the tile's buffer is lent to onTile and reused for the next tile
    let spare: ArrayBuffer | null = null;
    for (const tile of options.tiles ?? cpuTiles(plan.rows, plan.steps, this.tileValues)) {
      const data = lend(spare, tile.rows * tile.steps);
      evaluateTile(plan, tile.row0, tile.rows, tile.step0, tile.steps, data);
      await onTile({ ...tile, data });
      spare = data.buffer as ArrayBuffer;
    }
  }

  async dispose(): Promise<void> {}
}
