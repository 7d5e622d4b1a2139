/** The README's generated parts and its Quick start contract. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kindsMarkdown } from '../src/cli/kinds-table.js';
import { parseSpecText } from '../src/spec/parse.js';
import { expandSweep } from '../src/sweep/expand.js';
import { Scheduler } from '../src/runtime/scheduler.js';

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
    // every row has the header's five cells (a | inside a cell is escaped)
    for (const row of block!.split('\n')) expect(row.split(/(?<!\\)\|/).length, row).toBe(7);
  });

  it('has a Quick start with exactly two fenced shell blocks, on files that exist', () => {
    const section = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual(['sh', 'sh']);
    for (const file of blocks[0][2].match(/examples\/\S+/g) ?? []) expect(() => readFileSync(file)).not.toThrow();
    expect(blocks[1][2].trim()).toBe('npm test');
  });

  it('runs the training-loop example as written, against the built package', () => {
    const code = /## Training loops[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const file = join(mkdtempSync(join(tmpdir(), 'schedgpu-readme-')), 'loop.mjs');
    writeFileSync(file, code.replace("from 'schedgpu'", `from ${JSON.stringify(dist)}`) + '\nconsole.log(saved);\n');
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const spec = { kind: 'LinearWarmupCosineDecaySchedule', max_value: 3e-4, warmup_percent: 0.05 };
    const head = Scheduler.fromSpec(spec, { totalSteps: 10_000, groups: [{ scale: 10 }] });
    const expected: string[] = [];
    for (let u = 1; u < 10_000; u++) {
      head.step();
      if (u % 1000 === 0) expected.push(`log ${u} ${head.value}`);
      if (u % (2 * 1563) === 0) expected.push(`eval ${u / 1563}`);
    }
    expect(lines.slice(0, -1)).toEqual(expected);
    expect(JSON.parse(lines[lines.length - 1]).lr.stepCount).toBe(5000);
  });
});
