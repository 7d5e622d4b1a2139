/**
 * fit, predict, rank --params and optimize from the command line: synthetic curves of known
 * parameters are recovered through a runs file, bad input exits 2 with one line and writes nothing,
 * a fit that cannot converge in its iterations exits 1.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mpl } from '../src/laws/mpl.js';
import { parseNpyHeader } from '../src/sinks/npy-header.js';
import { runCli } from './helpers/cli.js';

const TRUTH = { law: 'mpl', L0: 2.4, A: 0.5, alpha: 0.45, B: 300, C: 2, beta: 0.6, gamma: 0.6 };
const T = 3000;

function lrOf(kind: string): Float64Array {
  const lr = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    if (t < 100) lr[t] = (3e-3 * t) / 99;
    else if (kind === 'cosine') lr[t] = 3e-4 + 0.5 * 2.7e-3 * (1 + Math.cos((Math.PI * (t - 100)) / (T - 100)));
    else if (kind === 'wsd') lr[t] = t < 2000 ? 3e-3 : 3e-3 + ((3e-5 - 3e-3) * (t - 2000)) / (T - 2001);
    else lr[t] = 3e-3;
  }
  return lr;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'schedgpu-laws-'));
  const theta = mpl.params.map((p) => (TRUTH as Record<string, number | string>)[p] as number);
  const at = Int32Array.from({ length: 60 }, (_, i) => 100 + i * 48);
  let seed = 11;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 2;
  const runs: string[] = [];
  for (const kind of ['cosine', 'constant', 'wsd']) {
    const lr = lrOf(kind);
    writeFileSync(join(dir, `${kind}.csv`), 'lr\n' + [...lr].join('\n') + '\n');
    const pred = mpl.evaluate(theta, mpl.prepare({ lr, at }), false).pred;
    writeFileSync(
      join(dir, `${kind}-loss.csv`),
      'step,loss\n' + [...at].map((s, i) => `${s},${pred[i] * (1 + 3e-4 * rand())}`).join('\n') + '\n',
    );
    runs.push(`  - {id: ${kind}, loss: ${kind}-loss.csv, lr: ${kind}.csv}`);
  }
  writeFileSync(join(dir, 'runs.yaml'), 'runs:\n' + runs.join('\n') + '\n');
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(TRUTH));
});

describe('fit and predict', () => {
  it('fit recovers the curves and the well-determined parameters, predict reports the error', () => {
    const out = join(dir, 'params.json');
    const plot = join(dir, 'fit.svg');
    // these curves are the law itself at another scale than the paper's: converge recovers them
    const r = runCli([
      'fit',
      join(dir, 'runs.yaml'),
      '--law',
      'mpl',
      '--protocol',
      'converge',
      '--out',
      out,
      '--plot',
      plot,
    ]);
    expect(r.errLines.join('\n')).toMatch(/fitted mpl/);
    expect(r.code).toBe(0);
    const p = JSON.parse(readFileSync(out, 'utf8'));
    expect(p.law).toBe('mpl');
    expect(p.fit.protocol).toBe('converge');
    expect(Math.abs(p.L0 - 2.4)).toBeLessThan(0.05);
    expect(Math.abs(p.alpha - 0.45)).toBeLessThan(0.05);
    expect(p.fit.runs).toHaveLength(3);
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toMatch(/^<svg/);
    for (const id of ['cosine', 'constant', 'wsd']) expect(svg).toContain(`>${id}<`);
    for (const run of p.fit.runs) expect(run.mean_rel_err).toBeLessThan(5e-4);
    const pred = join(dir, 'pred.json');
    const q = runCli(['predict', join(dir, 'runs.yaml'), '--params', out, '--out', pred]);
    expect(q.code).toBe(0);
    const doc = JSON.parse(readFileSync(pred, 'utf8'));
    expect(doc.runs.map((x: { id: string }) => x.id)).toEqual(['cosine', 'constant', 'wsd']);
    for (const run of doc.runs) {
      expect(run.mean_rel_err).toBeLessThan(5e-4);
      expect(run.steps).toHaveLength(60);
    }
  }, 120_000);

  it("fit --law mpl defaults to the paper's protocol and reports its AdamW steps", () => {
    const out = join(dir, 'paper.json');
    const r = runCli(['fit', 'examples/laws/runs.yaml', '--law', 'mpl', '--max-iterations', '40', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.errLines.join('\n')).toMatch(/fitted mpl .* in 40 AdamW steps/);
    const p = JSON.parse(readFileSync(out, 'utf8'));
    expect(p.fit.protocol).toBe('paper');
    expect(p.fit.iterations).toBe(40);
    // the wiring only (test/laws-public.test.ts checks the full fit): 40 steps follow the curves to 1%
    for (const run of p.fit.runs) expect(run.mean_rel_err).toBeLessThan(1e-2);
  }, 120_000);

  it('predict with the true parameters at chosen steps matches the law', () => {
    const out = join(dir, 'at.csv');
    const r = runCli([
      'predict',
      join(dir, 'runs.yaml'),
      '--params',
      join(dir, 'truth.json'),
      '--at',
      '500,2999',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,step,lr,predicted_loss,observed_loss');
    const theta = mpl.params.map((p) => (TRUTH as Record<string, number | string>)[p] as number);
    const want = mpl.evaluate(theta, mpl.prepare({ lr: lrOf('wsd'), at: Int32Array.of(500, 2999) }), false).pred;
    const wsd = lines.filter((l) => l.startsWith('wsd,')).map((l) => Number(l.split(',')[3]));
    expect(wsd[0]).toBeCloseTo(want[0], 12);
    expect(wsd[1]).toBeCloseTo(want[1], 12);
  });

  it('predict --out .npy holds runs x steps, and needs the same steps for every run', () => {
    const out = join(dir, 'pred.npy');
    const r = runCli([
      'predict',
      join(dir, 'runs.yaml'),
      '--params',
      join(dir, 'truth.json'),
      '--at',
      '500,2999',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const bytes = readFileSync(out);
    const h = parseNpyHeader(bytes);
    expect(h.shape).toEqual([3, 2]);
    const v = new Float64Array(
      bytes.buffer.slice(bytes.byteOffset + h.dataOffset, bytes.byteOffset + h.dataOffset + 48),
    );
    const theta = mpl.params.map((p) => (TRUTH as Record<string, number | string>)[p] as number);
    const want = mpl.evaluate(theta, mpl.prepare({ lr: lrOf('constant'), at: Int32Array.of(500, 2999) }), false).pred;
    expect(v[2]).toBeCloseTo(want[0], 12);
    expect(v[3]).toBeCloseTo(want[1], 12);
    writeFileSync(join(dir, 'short.csv'), 'step,loss\n200,3\n');
    writeFileSync(
      join(dir, 'ragged.yaml'),
      '- {id: a, loss: short.csv, lr: wsd.csv}\n- {id: b, loss: wsd-loss.csv, lr: wsd.csv}\n',
    );
    const bad = join(dir, 'ragged.npy');
    const q = runCli(['predict', join(dir, 'ragged.yaml'), '--params', join(dir, 'truth.json'), '--out', bad]);
    expect(q.code).toBe(2);
    expect(q.errLines[0]).toMatch(/^--out: \.npy needs the same steps for every schedule/);
    expect(existsSync(bad)).toBe(false);
  });

  it('a run given by a schedule spec predicts as the same spec in a spec file', () => {
    const spec = '{kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-5, warmup_steps: 100}';
    writeFileSync(join(dir, 'by-spec.yaml'), `- {id: s, schedule: ${spec}, steps: 3000}\n`);
    writeFileSync(join(dir, 'spec-only.yaml'), `- {id: s, ${spec.slice(1)}\n`);
    const a = join(dir, 'by-spec.csv');
    const b = join(dir, 'spec-only.csv');
    const params = join(dir, 'truth.json');
    expect(
      runCli(['predict', join(dir, 'by-spec.yaml'), '--params', params, '--at', '500,2999', '--out', a]).code,
    ).toBe(0);
    const r = runCli([
      'predict',
      join(dir, 'spec-only.yaml'),
      '--steps',
      '3000',
      '--params',
      params,
      '--at',
      '500,2999',
      '--out',
      b,
    ]);
    expect(r.code).toBe(0);
    const rows = readFileSync(a, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    writeFileSync(join(dir, 'no-steps.yaml'), `- {id: s, schedule: ${spec}}\n`);
    const q = runCli(['predict', join(dir, 'no-steps.yaml'), '--params', params]);
    expect(q.code).toBe(2);
    expect(q.errLines).toEqual(['runs[0].steps: is required with `schedule`, got nothing']);
  });

  it('rank --params orders a spec file by the fitted law', () => {
    const specs = join(dir, 'specs.yaml');
    writeFileSync(
      specs,
      [
        '- {id: cos, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-5, warmup_steps: 100}',
        '- {id: const, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-3, warmup_steps: 100}',
      ].join('\n') + '\n',
    );
    const r = runCli(['rank', specs, '--steps', '3000', '--params', join(dir, 'truth.json'), '--backend', 'cpu']);
    expect(r.errLines.join('\n')).toMatch(/ranked 2 schedules by the fitted mpl law/);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[1]);
    expect(rows).toEqual(['cos', 'const']);
    const badTop = runCli(['rank', specs, '--steps', '3000', '--params', join(dir, 'truth.json'), '--top', '1e1']);
    expect(badTop.code).toBe(2);
    expect(badTop.errLines).toEqual(['--top: must be a positive integer, got "1e1"']);
  });

  it('rank --params with a momentum-law fit ranks as rank with the same coefficients', () => {
    const specs = join(dir, 'specs-tissue.yaml');
    writeFileSync(
      specs,
      [
        '- {id: cos, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-5, warmup_steps: 100}',
        '- {id: const, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-3, warmup_steps: 100}',
      ].join('\n') + '\n',
    );
    const tissue = join(dir, 'tissue-rank.json');
    writeFileSync(tissue, JSON.stringify({ law: 'tissue', L0: 2, A: 0.5, alpha: 0.5, C: 30, lambda: 0.99 }));
    const a = runCli(['rank', specs, '--steps', '3000', '--params', tissue, '--backend', 'cpu']);
    const b = runCli([
      'rank',
      specs,
      '--steps',
      '3000',
      '--L0',
      '2',
      '--A',
      '0.5',
      '--alpha',
      '0.5',
      '--C',
      '30',
      '--lambda',
      '0.99',
      '--backend',
      'cpu',
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const cols = (out: string) =>
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(cols(a.stdout)).toEqual(cols(b.stdout));
    const c = runCli(['rank', specs, '--steps', '3000', '--params', tissue, '--C', '1']);
    expect(c.code).toBe(2);
    expect(c.errLines).toEqual(['--C: cannot be given with --params, got "1"']);
  });
});

describe('bad input and failures', () => {
  function expectBad(args: string[], pattern: RegExp, code = 2): void {
    const out = join(dir, 'never.json');
    const r = runCli([...args, '--out', out]);
    expect(r.code).toBe(code);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  }

  it('missing columns, non-positive losses, steps beyond the schedule, non-positive lrs, an unknown law', () => {
    writeFileSync(join(dir, 'nocol.csv'), 'step,value\n200,3\n');
    writeFileSync(join(dir, 'neg.csv'), 'step,loss\n200,3\n300,-1\n');
    writeFileSync(join(dir, 'far.csv'), 'step,loss\n200,3\n3000,2.9\n');
    writeFileSync(join(dir, 'zero-lr.csv'), 'lr\n0\n0.1\n0\n0.1\n');
    const file = (name: string, body: string): string => {
      writeFileSync(join(dir, name), body);
      return join(dir, name);
    };
    expectBad(
      ['fit', file('a.yaml', '- {id: a, loss: nocol.csv, lr: wsd.csv}\n')],
      /^runs\[0\]\.loss: must have columns `step` and `loss`/,
    );
    expectBad(
      ['fit', file('b.yaml', '- {id: a, loss: neg.csv, lr: wsd.csv}\n')],
      /^runs\[0\]\.loss: row 2: loss must be > 0, got -1/,
    );
    expectBad(
      ['fit', file('c.yaml', '- {id: a, loss: far.csv, lr: wsd.csv}\n')],
      /^runs\[0\]\.loss: row 2: step must be an integer in \[1, 2999\]/,
    );
    expectBad(
      ['fit', file('d.yaml', '- {id: a, loss: neg.csv, lr: zero-lr.csv}\n')],
      /^runs\[0\]\.lr: must be > 0 at every step \(step 2\), got 0/,
    );
    expectBad(
      ['fit', join(dir, 'runs.yaml'), '--law', 'chinchilla'],
      /^--law: must be one of mpl, tissue, got "chinchilla"/,
    );
    expectBad(
      ['fit', join(dir, 'runs.yaml'), '--protocol', 'adam'],
      /^--protocol: must be one of paper, converge, got "adam"/,
    );
    expectBad(
      ['fit', join(dir, 'runs.yaml'), '--law', 'tissue', '--protocol', 'paper'],
      /^--protocol: paper is the multi-power law paper's protocol; use converge with --law tissue, got "paper"/,
    );
  });

  it('a fit that does not converge exits 1 and writes nothing', () => {
    expectBad(
      ['fit', join(dir, 'runs.yaml'), '--protocol', 'converge', '--max-iterations', '2'],
      /^schedgpu: fit: the mpl law did not converge \(max-iterations after 2 iterations/,
      1,
    );
  });

  it('optimize writes a non-increasing schedule with the warmup, and refuses a tissue fit', () => {
    const out = join(dir, 'best.csv');
    const family = join(dir, 'family.yaml');
    writeFileSync(
      family,
      [
        '- {id: cos, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-5, warmup_steps: 50}',
        '- {id: flat, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 3.0e-3, warmup_steps: 50}',
        '- {id: to-zero, kind: LinearWarmupCosineDecaySchedule, max_value: 3.0e-3, end_value: 0, warmup_steps: 50}',
      ].join('\n') + '\n',
    );
    const r = runCli([
      'optimize',
      '--family',
      family,
      '--params',
      join(dir, 'truth.json'),
      '--steps',
      '600',
      '--peak',
      '3e-3',
      '--warmup',
      '50',
      '--max-iterations',
      '100',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^predicted final loss \d/);
    expect(r.stdout).toMatch(/\nbest of 3 in .*family\.yaml: cos, predicted \d/);
    expect(r.errLines).toContain('schedgpu: 1 schedules of the family skipped: their lr is not > 0 after step 0');
    expect(r.stdout).toMatch(/\nbest standard schedule: (cosine|wsd-\w+-cooldown-\d+%), predicted \d/);
    const lr = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    expect(lr).toHaveLength(600);
    expect(lr[49]).toBe(3e-3);
    for (let t = 51; t < 600; t++) expect(lr[t]).toBeLessThanOrEqual(lr[t - 1]);
    writeFileSync(
      join(dir, 'tissue.json'),
      JSON.stringify({ law: 'tissue', L0: 2, A: 0.5, alpha: 0.5, C: 1, lambda: 0.999 }),
    );
    expectBad(
      ['optimize', '--params', join(dir, 'tissue.json'), '--steps', '600', '--peak', '3e-3'],
      /^--params: must hold an mpl fit/,
    );
  });
});

describe('optimize --family and the spec it writes', () => {
  const familyArgs = (out: string, extra: string[] = []) => [
    'optimize',
    '--params',
    join(dir, 'truth.json'),
    '--steps',
    '600',
    '--peak',
    '3e-3',
    '--warmup',
    '50',
    '--max-iterations',
    '60',
    '--backend',
    'cpu',
    '--out',
    out,
    ...extra,
  ];

  it("searches the sweep, refines the best member within the sweep's ranges, and both specs reproduce what was reported", () => {
    const sweep = join(dir, 'wsd.yaml');
    writeFileSync(
      sweep,
      [
        'steps: 600',
        'base:',
        '  kind: SequentialStepSchedule',
        '  schedule_configs:',
        '    - {schedule: {kind: LinearIncreasingSchedule, start_value: 0.0, max_value: 3.0e-3}, end_step: 50}',
        '    - {schedule: {kind: ConstantSchedule, value: 3.0e-3}, end_step: 400}',
        '    - {schedule: {kind: CosineDecreasingSchedule, max_value: 3.0e-3, end_value: 3.0e-5}}',
        'grid:',
        '  schedule_configs.2.schedule.kind: [CosineDecreasingSchedule, LinearDecreasingSchedule]',
        '  schedule_configs.2.schedule.end_value: [3.0e-5, 3.0e-4]',
        '  schedule_configs.1.end_step: [100, 300, 500]',
      ].join('\n') + '\n',
    );
    const out = join(dir, 'opt.npy');
    const r = runCli(familyArgs(out, ['--family', sweep]));
    expect(r.errLines.join('\n')).toMatch(/family: 12 schedules and \d+ refinement candidates/);
    expect(r.code).toBe(0);
    const listed = r.stdout.match(/\nbest of 12 in .*wsd\.yaml: (v\d+), predicted ([\d.]+)/);
    const refined = r.stdout.match(
      /\nbest in the family's ranges of schedule_configs\.2\.schedule\.end_value, schedule_configs\.1\.end_step: (\S+) \(\S+=\S+ \S+=(\d+)\), predicted ([\d.]+)/,
    );
    expect(listed).not.toBeNull();
    expect(refined).not.toBeNull();
    expect(Number(refined![3])).toBeLessThanOrEqual(Number(listed![2]));
    // the refined end_step is an integer in the sweep's range
    expect(Number(refined![2])).toBeGreaterThanOrEqual(100);
    expect(Number(refined![2])).toBeLessThanOrEqual(500);
    const optimum = Number(r.stdout.match(/^predicted final loss ([\d.]+)/)![1]);

    // best.yaml beside best.npy: the optimum as a CustomSchedule and the refined member's spec
    const spec = join(dir, 'opt.yaml');
    const table = join(dir, 'opt-eval.npy');
    expect(runCli(['eval', spec, '--steps', '600', '--backend', 'cpu', '--out', table]).code).toBe(0);
    const npy = (path: string) => {
      const bytes = readFileSync(path);
      const { dataOffset: offset } = parseNpyHeader(bytes);
      return new Float64Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length));
    };
    const written = npy(out);
    const evaluated = npy(table);
    expect(evaluated).toHaveLength(1200);
    // exact: the CustomSchedule lists every value with all its digits
    expect(Array.from(evaluated.subarray(0, 600))).toEqual(Array.from(written));
    const pred = join(dir, 'opt-pred.csv');
    expect(
      runCli(['predict', spec, '--steps', '600', '--params', join(dir, 'truth.json'), '--at', '599', '--out', pred])
        .code,
    ).toBe(0);
    const [, a, b] = readFileSync(pred, 'utf8').trim().split('\n');
    expect(a.split(',')[0]).toBe('optimum');
    expect(b.split(',')[0]).toBe(refined![1]);
    expect(Math.abs(Number(a.split(',')[3]) - optimum)).toBeLessThanOrEqual(1e-12 * optimum);
    expect(Math.abs(Number(b.split(',')[3]) - Number(refined![3]))).toBeLessThanOrEqual(1e-12 * optimum);
  }, 120_000);

  it('--spec-out: .yaml, .yml or .json; bad input writes nothing', () => {
    const out = join(dir, 'never.npy');
    for (const [extra, pattern] of [
      [['--spec-out', join(dir, 'never.txt')], /^--spec-out: must end in \.yaml, \.yml or \.json, got /],
      [['--family', join(dir, 'missing.yaml')], /missing\.yaml: does not exist/],
    ] as const) {
      const r = runCli(familyArgs(out, [...extra]));
      expect(r.code).toBe(2);
      expect(r.errLines).toHaveLength(1);
      expect(r.errLines[0]).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
    }
    const json = join(dir, 'spec.json');
    expect(runCli(familyArgs(join(dir, 'j.csv'), ['--spec-out', json])).code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))[0].kind).toBe('CustomSchedule');
  }, 120_000);
});
