/** `schedgpu kinds` and the README's kinds table, generated from the registry. */
import { KINDS } from '../kinds/registry.js';

export function kindsMarkdown(): string {
  const lines = ['| kind | short name | value | plan primitives |', '|---|---|---|---|'];
  for (const k of KINDS)
    lines.push(`| \`${k.kind}\` | \`${k.shortName}\` | ${k.summary} | ${k.primitives.join(', ')} |`);
  return lines.join('\n');
}

export function kindsText(): string {
  const width = Math.max(...KINDS.map((k) => k.kind.length));
  return KINDS.map((k) => `${k.kind.padEnd(width)}  ${k.summary.replace(/`/g, '')}`).join('\n');
}
