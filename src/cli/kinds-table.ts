/** `schedgpu kinds` and the README's kinds table, generated from the registry. */
import { KINDS } from '../kinds/registry.js';

export function kindsMarkdown(): string {
  const lines = [
    '| framework | kind | value | plan primitives | divergence from the framework |',
    '|---|---|---|---|---|',
  ];
  for (const k of KINDS)
    lines.push(
      `| ${k.framework} | \`${k.kind}\` | ${k.summary} | ${k.primitives.join(', ')} | ${k.divergence ?? 'none'} |`,
    );
  return lines.join('\n');
}

export function kindsText(): string {
  const width = Math.max(...KINDS.map((k) => k.kind.length));
  return KINDS.map((k) => `${k.kind.padEnd(width)}  ${k.summary.replace(/`/g, '')}`).join('\n');
}
