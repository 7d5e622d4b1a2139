/**
 * Readable sweep ids (issue 21, item 4): `{name}` prints the shortest round-trip form, `{name:spec}`
 * a Python format spec, checked against Python's own format() where python3 is installed.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.js';
import { readSpecFile } from '../src/spec/parse.js';
import { expandSweep } from '../src/sweep/expand.js';
import { fillIdTemplate, formatNumber } from '../src/sweep/id-format.js';

const VALUES = [0.7233333333333333, 0.1, 1e-5, 0.000123456, 123456.789, 2, 0, -0.05, 1 / 3, 1e21, 0.30000000000000004];
const SPECS = ['.3g', 'g', '.1g', '.2f', 'f', '.1e', 'e', '.0%', '.1%', 'd', '.10g'];

function pythonFormats(): string[][] | null {
  const script = `import json,sys\nv,s=json.load(sys.stdin)\nprint(json.dumps([[format(round(x) if t=='d' else x,t) for t in s] for x in v]))`;
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify([VALUES, SPECS]), encoding: 'utf8' });
  return r.status === 0 ? (JSON.parse(r.stdout) as string[][]) : null;
}

describe('id formats', () => {
  const python = pythonFormats();
  it.skipIf(python === null)('print as Python format() prints them', () => {
    VALUES.forEach((v, i) => SPECS.forEach((s, j) => expect(formatNumber(v, s), `${v}:${s}`).toBe(python![i][j])));
  });

  it('print the shortest round-trip form by default, and fill only the names they know', () => {
    const params: Record<string, unknown> = { a: 0.1 + 0.2, b: 'CosineAnnealingLR', c: 0.7233333333333333 };
    const id = fillIdTemplate('{b}-{a}-{c:.3g}-{missing}', (n) => params[n]);
    expect(id).toBe('CosineAnnealingLR-0.30000000000000004-0.723-{missing}');
    for (const v of VALUES) expect(Number(fillIdTemplate('{x}', () => v))).toBe(v);
  });

  it('refuse an unknown format, at the id field', () => {
    const sweep = { steps: 10, base: { kind: 'ConstantSchedule', value: 1 }, grid: { value: [1, 2] } };
    expect(() => expandSweep({ ...sweep, id: 'v{value:.3q}' })).toThrow(SpecError);
    expect(() => expandSweep({ ...sweep, id: 'v{value:.3q}' })).toThrow(/^id: \{value:\.3q\} has an unknown format/);
    expect(expandSweep({ ...sweep, id: 'v{value:.2f}' }).variants.map((v) => v.id)).toEqual(['v1.00', 'v2.00']);
  });

  it('make examples/rank.yaml ids short (rank, stats and plot print these ids)', () => {
    const { variants } = expandSweep(readSpecFile('examples/rank.yaml'));
    expect(variants).toHaveLength(1000);
    for (const v of variants) {
      expect(v.id.length, v.id).toBeLessThanOrEqual(45);
      expect(v.id).toMatch(/^(Cosine|Linear)DecreasingSchedule-w[0-9.]+-d[0-9.]{1,5}-e(0|1e-05)$/);
    }
    expect(new Set(variants.map((v) => v.id)).size).toBe(1000);
  });
});
