/** `schedgpu kinds` and the kinds table of docs/kinds.md, generated from the registry. */
import { KINDS } from '../frameworks/registry.js';
import type { KindEntry } from '../frameworks/types.js';

/** The quantities of a kind that schedules several, for its `output` key. */
const outputsNote = (k: KindEntry) => (k.outputs ? ` [output: ${k.outputs.join(' | ')}]` : '');

/** Whether a spec may leave base_lr out (the kind's values never read the optimizer's lr). */
export function baseLrOptional(k: KindEntry): boolean {
  const shape = (k.schema as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> })
    .shape;
  return shape?.base_lr !== undefined && shape.base_lr.safeParse(undefined).success;
}

/** The summary, saying so where base_lr may be left out (unless the summary already does). */
const summaryOf = (k: KindEntry) =>
  baseLrOptional(k) && !k.summary.includes('`base_lr` optional')
    ? `${k.summary}; \`base_lr\` optional (not read)`
    : k.summary;

export function kindsMarkdown(): string {
  const lines = [
    '| framework | kind | value | plan primitives | divergence from the framework |',
    '|---|---|---|---|---|',
  ];
  // a | inside a cell (|noise|) would split the Markdown table
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  for (const k of KINDS)
    lines.push(
      `| ${k.framework} | \`${k.kind}\` | ${cell(summaryOf(k) + outputsNote(k))} | ${k.primitives.join(', ')} | ${cell(k.divergence ?? 'none')} |`,
    );
  return lines.join('\n');
}

export function kindsText(): string {
  const width = Math.max(...KINDS.map((k) => k.kind.length));
  return KINDS.map((k) => `${k.kind.padEnd(width)}  ${summaryOf(k).replace(/`/g, '')}${outputsNote(k)}`).join('\n');
}
