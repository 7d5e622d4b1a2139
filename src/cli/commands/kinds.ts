/** `schedgpu kinds`: the supported schedule kinds, as text, markdown or JSON. */
import type { Command } from 'commander';
import { KINDS } from '../../frameworks/registry.js';
import type { CommandContext, Io } from '../io.js';
import { kindsMarkdown, kindsText } from '../kinds-table.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('kinds')
    .description('list the supported schedule kinds')
    .option('--markdown', 'as a markdown table')
    .option('--json', 'as JSON')
    .addHelpText(
      'after',
      examples(['schedgpu kinds', 'schedgpu kinds --markdown', 'schedgpu kinds --json > kinds.json']),
    )
    .action((opts: { markdown?: boolean; json?: boolean }) => kindsCommand(opts, io));
}

function kindsCommand(opts: { markdown?: boolean; json?: boolean }, io: Io): void {
  if (opts.json)
    io.out(
      JSON.stringify(
        KINDS.map((k) => ({
          kind: k.kind,
          shortName: k.shortName,
          framework: k.framework,
          summary: k.summary,
          primitives: k.primitives,
          ...(k.outputs ? { outputs: k.outputs } : {}),
        })),
        null,
        2,
      ),
    );
  else io.out(opts.markdown ? kindsMarkdown() : kindsText());
}
