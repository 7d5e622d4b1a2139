/**
 * Curves of very different scales (issue 21, item 5): `plot --normalize`, the suggestion on stderr
 * when the peaks span over 100x, and `--facet kind` small multiples.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.js';
import { chartSpec, facetGroups, facetSpec } from '../src/plot/chart.js';
import { ColumnReducer } from '../src/plot/downsample.js';
import { normalizeRows, peakSpan, SPAN_LIMIT } from '../src/plot/scales.js';
import { readSpecFile } from '../src/spec/parse.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-newcomer-plot-'));
const EXAMPLE = 'examples/warmup-cosine.yaml';
const STEPS = 5000;

async function reduced(columns = 400) {
  const table = await evaluate(readSpecFile(EXAMPLE), STEPS, { backend: 'cpu' });
  const r = new ColumnReducer(table.rows, table.steps, columns);
  r.add({ row0: 0, rows: table.rows, step0: 0, steps: table.steps, data: table.values });
  return { table, r };
}

/** Each row's max |value| straight from the table. */
function tablePeaks(table: Awaited<ReturnType<typeof evaluate>>): number[] {
  return Array.from({ length: table.rows }, (_, row) =>
    Math.max(...Array.from(table.values.subarray(row * table.steps, (row + 1) * table.steps), Math.abs)),
  );
}

describe('plot scales', () => {
  it('measures the span of the peaks and normalizes each curve by its own', async () => {
    const { table, r } = await reduced();
    const peaks = tablePeaks(table);
    expect(peakSpan(r)).toBeCloseTo(Math.max(...peaks) / Math.min(...peaks), 10);
    expect(peakSpan(r)).toBeGreaterThan(SPAN_LIMIT); // a 0.1 curve beside 3e-4 and 1e-3 ones
    normalizeRows(r);
    for (let row = 0; row < r.rows; row++) {
      expect(r.peak(row)).toBeCloseTo(1, 14);
      for (let c = 0; c < r.columns; c += 37) {
        const k = row * r.columns + c;
        const from = Array.from(table.values).slice(
          row * table.steps + c * r.stepsPerColumn,
          row * table.steps + (c + 1) * r.stepsPerColumn,
        );
        expect(r.max[k]).toBeCloseTo(Math.max(...from) / peaks[row], 14);
        expect(r.mean(row, c)).toBeCloseTo(
          from.reduce((a: number, b: number) => a + b, 0) / from.length / peaks[row],
          12,
        );
      }
    }
    expect(peakSpan(r)).toBeCloseTo(1, 12);
  });

  it('groups rows by kind into one panel each, selected ids kept in their panel', async () => {
    const { table, r } = await reduced();
    const groups = facetGroups(table.kinds);
    const kinds = [...new Set(table.kinds.map((k) => k.slice(k.lastIndexOf('.') + 1)))];
    expect(groups.map((g) => g.name)).toEqual(kinds);
    expect(groups.flatMap((g) => g.rows).sort()).toEqual(table.ids.map((_, i) => i));
    const spec = facetSpec(r, groups, { ids: table.ids, field: 'lr', title: 't', select: [1] }) as {
      concat: { title: { text: string }; layer: { data: { values: { curve: string }[] } }[] }[];
    };
    expect(spec.concat.map((p) => p.title.text)).toEqual(kinds);
    const drawn = spec.concat.map((p) => [...new Set(p.layer.flatMap((l) => l.data.values.map((v) => v.curve)))]);
    const withSelected = groups.findIndex((g) => g.rows.includes(1));
    drawn.forEach((curves, i) => expect(curves).toEqual(i === withSelected ? [table.ids[1]] : []));
    const single = chartSpec(r, { ids: table.ids, field: 'lr', title: 't' });
    expect(single.layer).toBeDefined();
  });
});

describe('schedgpu plot --normalize / --facet', () => {
  const plot = (...extra: string[]) =>
    runCli(['plot', EXAMPLE, '--steps', String(STEPS), '--backend', 'cpu', ...extra]);

  it('suggests --normalize on stderr when the peaks span over 100x, and not once normalized', () => {
    const svg = join(dir, 'plain.svg');
    const r = plot('--out', svg);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.some((l) => l.includes('--normalize divides each curve by its own max'))).toBe(true);
    const n = plot('--out', join(dir, 'norm.svg'), '--normalize');
    expect(n.code, n.stderr).toBe(0);
    expect(n.errLines.some((l) => l.includes('--normalize'))).toBe(false);
    expect(readFileSync(join(dir, 'norm.svg'), 'utf8')).toContain('lr / its max');
  });

  it('draws one panel per kind, and says nothing when each panel spans little', () => {
    const svg = join(dir, 'facet.svg');
    const r = plot('--out', svg, '--facet', 'kind');
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.some((l) => l.includes('--normalize'))).toBe(false);
    const text = readFileSync(svg, 'utf8');
    for (const kind of ['LinearWarmupCosineDecaySchedule', 'SequentialStepSchedule', 'PolynomialDecreasingSchedule'])
      expect(text).toContain(kind);
  });

  it('refuses another facet in one line', () => {
    const r = plot('--out', join(dir, 'x.svg'), '--facet', 'id');
    expect(r.code).toBe(2);
    expect(r.errLines).toEqual(['--facet: must be kind (one chart per kind), got "id"']);
  });
});
