/** `schedgpu kinds` and the kinds table of docs/kinds.md, generated from the registry. */
import { KINDS } from '../frameworks/registry.js';
import type { KindEntry } from '../frameworks/types.js';

/** The quantities of a kind that schedules several, for its `output` key. */
const outputsNote = (k: KindEntry) => (k.outputs ? ` [output: ${k.outputs.join(' | ')}]` : '');

export function kindsMarkdown(): string {
  const lines = [
    '| framework | kind | value | plan primitives | divergence from the framework |',
    '|---|---|---|---|---|',
  ];
  // a | inside a cell (|noise|) would split the Markdown table
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const k of KINDS)
    lines.push(
      `| ${k.framework} | \`${k.kind}\` | ${cell(k.summary + outputsNote(k))} | ${k.primitives.join(', ')} | ${cell(k.divergence ?? 'none')} |`,
    );
  return lines.join('\n');
}

export function kindsText(): string {
  const width = Math.max(...KINDS.map((k) => k.kind.length));
  return KINDS.map((k) => `${k.kind.padEnd(width)}  ${k.summary.replace(/`/g, '')}${outputsNote(k)}`).join('\n');
}
