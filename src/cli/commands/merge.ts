/** `schedgpu merge OUT DIR...`: the shard directories of one sweep joined into one. */
import type { Command } from 'commander';
import { mergeShards } from '../../sweep/merge.js';
import type { CommandContext } from '../io.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('merge')
    .description('join the shard directories of one sweep into OUT')
    .argument('<out>', 'output directory')
    .argument('<dir...>', 'shard directories (all shards of one sweep)')
    .action((outDir: string, dirs: string[]) => {
      const m = mergeShards(outDir, dirs, io.err);
      io.err(
        `schedgpu: merged ${dirs.length} shards into ${outDir}/table.npy (${m.table.rows} schedules x ${m.table.steps} steps, ${m.table.dtype})`,
      );
    });
}
