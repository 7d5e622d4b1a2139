/** `schedgpu schema`: the JSON Schema of spec and sweep files, for editors. */
import type { Command } from 'commander';
import { specJsonSchema } from '../../spec/json-schema.js';
import type { CommandContext } from '../io.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('schema')
    .description('print the JSON Schema of spec and sweep files (for editors: yaml-language-server, VS Code)')
    .addHelpText('after', examples(['schedgpu schema > schedgpu.schema.json', 'schedgpu schema | grep -c kind']))
    .action(() => io.out(JSON.stringify(specJsonSchema(), null, 1)));
}
