/**
 * Seeing curves: the per-column reduction keeps every column's extremes, `schedgpu plot` renders
 * readable SVG and PNG through Vega-Lite, and the JSON Schema accepts every example file and
 * refuses wrong ones.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ColumnReducer } from '../src/plot/downsample.js';
import { parseSpecText } from '../src/spec/parse.js';
import { specJsonSchema } from '../src/spec/json-schema.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-plot-'));

describe('ColumnReducer', () => {
  it('keeps each pixel column min and max (spikes and staircase edges survive), fed in any tile order', () => {
    const steps = 1000;
    const row = Float64Array.from({ length: steps }, (_, t) => (t === 517 ? 9 : t < 300 ? 1 : 0.5));
    const reduced = new ColumnReducer(1, steps, 64);
    // tiles out of order, with a cut inside a column
    for (const [a, b] of [
      [600, 1000],
      [0, 250],
      [250, 600],
    ])
      reduced.add({ row0: 0, rows: 1, step0: a, steps: b - a, data: row.slice(a, b) });
    for (let c = 0; c < reduced.columns; c++) {
      const part = Array.from(row.slice(reduced.columnStep(c), reduced.columnStep(c + 1)));
      expect([reduced.min[c], reduced.max[c]]).toEqual([Math.min(...part), Math.max(...part)]);
    }
    expect(Math.max(...reduced.max)).toBe(9);
  });
});

describe('schedgpu plot', () => {
  it('draws a few curves as lines with labelled axes and a legend of ids, as SVG and PNG', () => {
    const svg = join(dir, 'few.svg');
    const r = runCli([
      'plot',
      'examples/warmup-cosine.yaml',
      '--steps',
      '20000',
      '--out',
      svg,
      '--backend',
      'cpu',
      '--stats',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    for (const label of ['step', 'lr', 'lwcd-5pct', 'poly-epochs', '4 curves']) expect(text).toContain(label);
    const png = join(dir, 'few.png');
    expect(
      runCli(['plot', 'examples/warmup-cosine.yaml', '--steps', '20000', '--out', png, '--backend', 'cpu']).code,
    ).toBe(0);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(1600); // IHDR width: twice the 800-pixel chart
  });

  it('draws many curves as percentile bands with the selected ids on top, log axis', () => {
    const svg = join(dir, 'many.svg');
    const args = ['plot', 'examples/sweep-random.yaml', '--out', svg, '--backend', 'cpu', '--log-y'];
    const r = runCli([...args, '--select', 'v0,v1']);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('median, 25-75% and 5-95%');
    expect(text).toContain('>v1<');
    const bad = runCli([...args, '--select', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.errLines[0]).toMatch(/^--select\[0\]: is not an id of the file .*, got "nope"$/);
  });

  it('refuses a wrong --out with one line, exit 2, nothing written', () => {
    const r = runCli(['plot', 'examples/warmup-cosine.yaml', '--steps', '100', '--out', join(dir, 'x.jpg')]);
    expect(r.code).toBe(2);
    expect(r.errLines).toEqual([expect.stringMatching(/^--out: must end in .svg or .png, got /)]);
    expect(readdirSync(dir).some((f) => f.startsWith('x.jpg'))).toBe(false);
  });
});

describe('JSON Schema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(specJsonSchema());

  it('is what `schedgpu schema` prints', () => {
    expect(JSON.parse(runCli(['schema']).stdout)).toEqual(specJsonSchema());
  });

  it('accepts every example file', () => {
    const files = readdirSync('examples').filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(validate(parseSpecText(readFileSync(join('examples', f), 'utf8'))), f).toBe(true);
  });

  it('refuses wrong files: unknown kind, wrong field type, a list entry without kind, a bad sweep key', () => {
    for (const wrong of [
      { kind: 'CosineDecreasingSchedul', max_value: 1 },
      { kind: 'CosineDecreasingSchedule', max_value: [1] },
      [{ kind: 'ConstantSchedule', value: 1 }, { value: 2 }],
      { kind: 'SequentialStepSchedule', schedule_configs: [{ schedule: { kind: 'Nope' } }] },
      { steps: 100, base: { kind: 'ConstantSchedule', value: 1 }, gird: { value: [1, 2] } },
    ])
      expect(validate(wrong), JSON.stringify(wrong)).toBe(false);
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify(specJsonSchema()));
    expect(JSON.parse(readFileSync(file, 'utf8')).$defs.spec.anyOf.length).toBeGreaterThan(10);
  });
});
