/** The README's generated parts and its Quick start contract. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindsMarkdown } from '../src/cli/kinds-table.js';
import { parseSpecText } from '../src/spec/parse.js';
import { expandSweep } from '../src/sweep/expand.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents a sweep file that expands', () => {
    const yaml = /## Sweeps[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const expanded = expandSweep(parseSpecText(yaml));
    expect(expanded.variants).toHaveLength(3 * 11 * 3 * 100);
    expect(expanded.paramNames).toEqual(['max_value', 'warmup_percent', 'end_value', 'start_value', 'steps']);
    expect(expanded.warnings).toEqual([]);
  });

  it('has the kinds table generated from the registry', () => {
    const block = /<!-- kinds:start -->\n([\s\S]*?)\n<!-- kinds:end -->/.exec(readme)?.[1];
    expect(block).toBe(kindsMarkdown());
  });

  it('has a Quick start with exactly two fenced shell blocks, on files that exist', () => {
    const section = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual(['sh', 'sh']);
    for (const file of blocks[0][2].match(/examples\/\S+/g) ?? []) expect(() => readFileSync(file)).not.toThrow();
    expect(blocks[1][2].trim()).toBe('npm test');
  });
});
