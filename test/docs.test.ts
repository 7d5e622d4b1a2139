/**
 * The documentation (README.md, CONTRIBUTING.md, docs/**) against the code: every TypeScript example
 * runs against dist/ and prints what it promises, every YAML block is a valid spec or sweep, every
 * command line names real schedgpu commands, options, npm scripts and files, every relative link
 * resolves, and the generated parts (kinds table, performance tables) match their generators. A
 * block that cannot run here carries `<!-- doc-test: skip (reason) -->` on the line above it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindsMarkdown } from '../src/cli/kinds-table.js';
import { parseSpecText } from '../src/spec/parse.js';
import { validateSpecs } from '../src/spec/validate.js';
import { expandSweep } from '../src/sweep/expand.js';
import { Scheduler } from '../src/runtime/scheduler.js';
import {
  brokenLink,
  codeBlocks,
  commandProblems,
  commands,
  docFiles,
  promisedOutputs,
  readDoc,
  relativeLinks,
  ROOT,
  runExample,
} from './helpers/markdown.js';

const isSweep = (raw: unknown) => typeof raw === 'object' && raw !== null && ('base' in raw || 'bases' in raw);

describe.each(docFiles())('%s', (file) => {
  const text = readDoc(file);
  const blocks = codeBlocks(text).filter((b) => b.skip === null);

  it('links only to files and headings that exist', () => {
    const broken = relativeLinks(text).flatMap((target) => brokenLink(file, target) ?? []);
    expect(broken).toEqual([]);
  });

  it('names only real commands, options, scripts and files in its code blocks', () => {
    const problems = blocks.flatMap((b) =>
      commands(b).flatMap((c) => commandProblems(c).map((p) => `line ${b.line}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  const yamlBlocks = blocks.filter((b) => b.lang === 'yaml');
  if (yamlBlocks.length > 0)
    it('has YAML blocks that are valid specs or sweeps, without warnings', () => {
      for (const block of yamlBlocks) {
        const raw = parseSpecText(block.code, `${file}:${block.line}`, 'yaml');
        const warnings = isSweep(raw) ? expandSweep(raw).warnings : validateSpecs(raw).warnings;
        expect(warnings, `${file}:${block.line}`).toEqual([]);
      }
    });

  const tsBlocks = blocks.filter((b) => b.lang === 'ts');
  if (tsBlocks.length > 0)
    it('has TypeScript examples that run against the built package and print what they promise', () => {
      for (const block of tsBlocks) {
        const r = runExample(block.code);
        expect(r.status, `${file}:${block.line}\n${r.stderr}`).toBe(0);
        const printed = r.stdout.split('\n').map((l) => l.trim());
        for (const promised of promisedOutputs(block.code))
          expect(printed, `${file}:${block.line}`).toContain(promised);
      }
    });
});

describe('the documentation', () => {
  it('marks skipped blocks with a reason, and only blocks', () => {
    for (const file of docFiles()) {
      const marks = readDoc(file).match(/^<!-- doc-test:.*-->$/gm) ?? [];
      const skipped = codeBlocks(readDoc(file)).filter((b) => b.skip !== null);
      expect(marks.length, file).toBe(skipped.length);
    }
  });

  it('has the kinds table generated from the registry (docs/kinds.md)', () => {
    const block = /<!-- kinds:start -->\n([\s\S]*?)\n<!-- kinds:end -->/.exec(readDoc('docs/kinds.md'))?.[1];
    expect(block).toBe(kindsMarkdown());
    // every row has the header's five cells (a | inside a cell is escaped)
    for (const row of block!.split('\n')) expect(row.split(/(?<!\\)\|/).length, row).toBe(7);
  });

  it('has the performance tables rendered from the results file they name (docs/performance.md)', async () => {
    const block =
      /<!-- bench:start -->\n([\s\S]*?)\n<!-- bench:end -->/.exec(readDoc('docs/performance.md'))?.[1] ?? '';
    const results = /Raw results: `(bench\/results\/[^`]+\.json)`/.exec(block)?.[1];
    expect(results).toBeDefined();
    // @ts-expect-error: a plain .mjs module of the bench, without types
    const { renderPerformance } = await import('../bench/performance-page.mjs');
    expect(block).toBe(renderPerformance(JSON.parse(readFileSync(join(ROOT, results!), 'utf8')), results));
  });

  it('documents a sweep file that expands as it says (docs/sweeps.md)', () => {
    const yaml = /## The sweep file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readDoc('docs/sweeps.md'))?.[1] ?? '';
    const expanded = expandSweep(parseSpecText(yaml));
    expect(expanded.variants).toHaveLength(3 * 11 * 3 * 100);
    expect(expanded.paramNames).toEqual(['max_value', 'warmup_percent', 'end_value', 'start_value', 'steps']);
  });

  it('runs the training-loop example with the values and state it describes (docs/library.md)', () => {
    const code = /## Training loops[\s\S]*?```ts\n([\s\S]*?)```/.exec(readDoc('docs/library.md'))?.[1] ?? '';
    const r = runExample(code + '\nconsole.log(saved);\n');
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
