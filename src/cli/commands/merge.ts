/** `schedgpu merge OUT DIR...`: the shard directories of one sweep joined into one. */
import type { Command } from 'commander';
import { mergeShards } from '../../sweep/merge.js';
import type { CommandContext } from '../io.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('merge')
    .description('join the shard directories of one sweep into OUT')
    .argument('<out>', 'output directory')
    .argument('<dir...>', 'shard directories (all shards of one sweep)')
    .addHelpText(
      'after',
      examples([
        'schedgpu sweep examples/quick-sweep.yaml --out part0 --shard 0/2 --backend cpu --quiet',
        'schedgpu sweep examples/quick-sweep.yaml --out part1 --shard 1/2 --backend cpu --quiet',
        'schedgpu merge merged part0 part1',
      ]),
    )
    .action((outDir: string, dirs: string[]) => {
      const m = mergeShards(outDir, dirs, io.err);
      io.err(
        `schedgpu: merged ${dirs.length} shards into ${outDir}/table.npy (${m.table.rows} schedules x ${m.table.steps} steps, ${m.table.dtype})`,
      );
    });
}
