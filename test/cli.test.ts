/**
 * The CLI as users run it (dist/cli.js): outputs in every format, the exit-code contract, one-line
 * errors with no stack trace and no partial output file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.js';
import { KINDS } from '../src/frameworks/registry.js';
import { parseNpyHeader } from '../src/sinks/npy.js';
import { readSpecFile } from '../src/spec/parse.js';
import { validateSpecs } from '../src/spec/validate.js';
import { runValueAt } from '../src/oracle/index.js';
import { numpyPython, runCli } from './helpers/cli.js';
import { REQUIRE_GPU } from './helpers/gpu.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-cli-'));
const EXAMPLE = 'examples/warmup-cosine.yaml';
const ONE_LINE = /^\S[^\n]*: [^\n]+, got [^\n]+$/;

function readNpy(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const header = parseNpyHeader(bytes);
  const data = bytes.slice(header.dataOffset).buffer;
  return { ...header, values: header.dtype === 'float64' ? new Float64Array(data) : new Float32Array(data) };
}

function expectBadInput(args: string[], outFile?: string) {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.errLines, r.stderr).toHaveLength(1);
  expect(r.errLines[0]).toMatch(ONE_LINE);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  if (outFile) expect(existsSync(outFile)).toBe(false);
  return r.errLines[0];
}

describe('schedgpu eval', () => {
  it('writes a float64 .npy from the cpu backend equal to the library', async () => {
    const out = join(dir, 'cpu.npy');
    const r = runCli(['eval', EXAMPLE, '--steps', '5000', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.at(-1)).toMatch(/wrote .*cpu\.npy \(4 schedules x 5000 steps, float64/);
    const npy = readNpy(out);
    expect(npy.dtype).toBe('float64');
    expect(npy.shape).toEqual([4, 5000]);
    const table = await evaluate(readSpecFile(EXAMPLE), 5000, { backend: 'cpu' });
    expect(Array.from(npy.values)).toEqual(Array.from(table.values));
  });

  it('writes .npy files that numpy.load reads, memory-mapped', (ctx) => {
    const python = numpyPython();
    if (!python) {
      console.warn('skipping the numpy check: python3 with numpy is not installed');
      return ctx.skip();
    }
    const out = join(dir, 'np.npy');
    expect(runCli(['eval', EXAMPLE, '--steps', '777', '--backend', 'cpu', '--out', out]).code).toBe(0);
    const script = `import json, numpy as np; a = np.load(${JSON.stringify(out)}, mmap_mode="r"); print(json.dumps([str(a.dtype), list(a.shape), float(a[1, 0]), float(a[3, 776])]))`;
    const py = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const npy = readNpy(out);
    expect(JSON.parse(py.stdout)).toEqual(['float64', [4, 777], npy.values[777], npy.values[3 * 777 + 776]]);
  });

  it('writes step-major CSV and JSON with the spec ids', async () => {
    const csv = join(dir, 't.csv');
    const json = join(dir, 't.json');
    expect(runCli(['eval', EXAMPLE, '--steps', '300', '--backend', 'cpu', '--out', csv]).code).toBe(0);
    expect(runCli(['eval', EXAMPLE, '--steps', '300', '--backend', 'cpu', '--out', json]).code).toBe(0);
    const table = await evaluate(readSpecFile(EXAMPLE), 300, { backend: 'cpu' });
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,lwcd-5pct,lwcd-500steps,warmup-then-steps,poly-epochs');
    expect(lines).toHaveLength(301);
    const row123 = lines[124].split(',').map(Number);
    expect(row123).toEqual([123, ...[0, 1, 2, 3].map((r) => table.values[r * 300 + 123])]);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.steps).toBe(300);
    expect(parsed.schedules.map((s: { id: string }) => s.id)).toEqual(table.ids);
    expect(parsed.schedules[2].values).toEqual(Array.from(table.values.subarray(600, 900)));
  });

  it('prints a per-schedule summary without --out', () => {
    const r = runCli(['eval', EXAMPLE, '--steps', '10000', '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+kind\s+first\s+min\s+max\s+last$/);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^warmup-then-steps\s+SequentialStepSchedule\s+1e-6\s+1e-6\s+0\.001\s+1\.25e-4$/);
  });

  it('splits large tables across worker threads with identical values', () => {
    const spec = join(dir, 'big.yaml');
    writeFileSync(
      spec,
      '- {kind: CosineDecreasingSchedule, max_value: 1.0}\n- {kind: StepIntervalSchedule, factor: 0.5, update_interval: 0.1}\n',
    );
    const one = join(dir, 'one.npy');
    const many = join(dir, 'many.npy');
    expect(runCli(['eval', spec, '--steps', '3000000', '--backend', 'cpu', '--workers', '1', '--out', one]).code).toBe(
      0,
    );
    const r = runCli(['eval', spec, '--steps', '3000000', '--backend', 'cpu', '--workers', '3', '--out', many]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.at(-1)).toMatch(/cpu \(f64, 3 threads\)/);
    expect(Buffer.compare(readFileSync(one), readFileSync(many))).toBe(0);
  });

  it('--exact evaluates the direct formulas: the oracle bit for bit, the default within a few ulps', () => {
    const spec = join(dir, 'exact.yaml');
    const specs = [
      { kind: 'CosineDecreasingSchedule', max_value: 1.0 },
      { kind: 'PolynomialDecreasingSchedule', max_value: 1.0, end_value: 0.0, power: 3 },
    ];
    writeFileSync(spec, JSON.stringify(specs));
    const fast = join(dir, 'fast.npy');
    const exact = join(dir, 'exact.npy');
    expect(runCli(['eval', spec, '--steps', '5000', '--backend', 'cpu', '--out', fast]).code).toBe(0);
    const r = runCli(['eval', spec, '--steps', '5000', '--backend', 'cpu', '--exact', '--out', exact]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines.at(-1)).toMatch(/cpu \(f64, exact, /);
    const a = readNpy(fast).values;
    const b = readNpy(exact).values;
    const runs = validateSpecs(specs).runs;
    let differ = 0;
    runs.forEach((run, row) =>
      Array.from({ length: 5000 }, (_, t) => {
        const ref = runValueAt(run, t, 5000);
        expect(Object.is(b[row * 5000 + t], ref), `--exact row ${row} step ${t}`).toBe(true);
        expect(Math.abs(a[row * 5000 + t] - ref)).toBeLessThanOrEqual(1e-15);
        if (a[row * 5000 + t] !== ref) differ++;
      }),
    );
    // the default's tables really are in use: some values differ in the last bits
    expect(differ).toBeGreaterThan(0);
  });

  it('runs the webgpu backend and writes float32', (ctx) => {
    const out = join(dir, 'gpu.npy');
    const r = runCli(['eval', EXAMPLE, '--steps', '20000', '--backend', 'webgpu', '--out', out]);
    if (r.code === 1 && !REQUIRE_GPU && /no WebGPU adapter|did not load/.test(r.stderr)) {
      console.warn(`skipping: ${r.errLines.at(-1)}`);
      return ctx.skip();
    }
    expect(r.code, r.stderr).toBe(0);
    const gpu = readNpy(out);
    expect(gpu.dtype).toBe('float32');
    const cpuOut = join(dir, 'cpu20k.npy');
    expect(runCli(['eval', EXAMPLE, '--steps', '20000', '--backend', 'cpu', '--out', cpuOut]).code).toBe(0);
    const cpu = readNpy(cpuOut);
    for (let row = 0; row < 4; row++) {
      const ref = cpu.values.subarray(row * 20000, (row + 1) * 20000);
      const max = Math.max(...Array.from(ref, Math.abs));
      for (let t = 0; t < 20000; t++)
        if (!(Math.abs(gpu.values[row * 20000 + t] - ref[t]) <= 1e-6 * max + 1e-30))
          expect.fail(`row ${row} step ${t}`);
    }
  });
});

describe('bad input: exit 2, one line, nothing written', () => {
  const out = join(dir, 'never.npy');
  const spec = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names the field path, the rule and the value', () => {
    const line = expectBadInput(
      [
        'eval',
        spec(
          'wp.yaml',
          '- {kind: ConstantSchedule, value: 1}\n- {kind: LinearWarmupCosineDecaySchedule, max_value: 1.0e-3, warmup_percent: 1.5}\n',
        ),
        '--steps',
        '100',
        '--out',
        out,
      ],
      out,
    );
    expect(line).toBe('[1].warmup_percent: must be in [0, 1], got 1.5');
  });

  it.each([
    [['eval', EXAMPLE], '--steps: is required, got nothing'],
    [['eval', EXAMPLE, '--steps', 'abc'], '--steps: must be an integer in [1, 2147483648], got "abc"'],
    [['eval', EXAMPLE, '--steps', '0'], '--steps: must be an integer in [1, 2147483648], got 0'],
    [['eval', EXAMPLE, '--steps', '10', '--backend', 'tpu'], '--backend: must be one of auto, cpu, webgpu, got "tpu"'],
    [['eval', EXAMPLE, '--steps', '10', '--out', 'x.txt'], '--out: must end in .npy, .csv or .json, got "x.txt"'],
    [
      ['eval', EXAMPLE, '--steps', '10', '--out', '/nonexistent/dir/x.npy'],
      '--out: is in a directory that does not exist, got "/nonexistent/dir/x.npy"',
    ],
    [['eval', 'missing.yaml', '--steps', '10'], 'missing.yaml: does not exist, got missing.yaml'],
    [
      ['eval', EXAMPLE, '--steps', '10', '--bogus'],
      '--bogus: is not an option of this command (see --help), got --bogus',
    ],
    [['eval'], '<spec-file>: is required, got nothing'],
    [
      ['frobnicate'],
      'command: must be one of eval, validate, sweep, merge, triggers, stats, rank, fit, predict, optimize, plot, schema, kinds, got "frobnicate"',
    ],
    [
      [],
      'command: is required (one of eval, validate, sweep, merge, triggers, stats, rank, fit, predict, optimize, plot, schema, kinds; see --help), got nothing',
    ],
  ])('%j', (args, expected) => {
    expect(expectBadInput(args as string[])).toBe(expected);
  });

  it('refuses invalid YAML and unknown kinds', () => {
    expect(expectBadInput(['eval', spec('bad.yaml', 'kind: [unclosed\n'), '--steps', '10'])).toMatch(
      /^.*bad\.yaml: is not valid YAML \(.* at line \d+, column \d+\), got /,
    );
    expect(expectBadInput(['eval', spec('kind.yaml', 'kind: NoSuchSchedulerAtAll\n'), '--steps', '10'])).toBe(
      'kind: is not a known kind (`schedgpu kinds` lists them), got "NoSuchSchedulerAtAll"',
    );
  });

  it('refuses a config noether refuses only at some step, before writing anything', () => {
    const line = expectBadInput(
      ['eval', spec('custom.yaml', 'kind: CustomSchedule\nvalues: [1.0, 0.5, 0.25]\n'), '--steps', '5', '--out', out],
      out,
    );
    expect(line).toBe('values: the framework refuses step 3 (IndexError: list index out of range), got 3 values');
  });

  it('leaves an existing output file as it was', () => {
    const existing = spec('existing.npy', 'old contents');
    expectBadInput([
      'eval',
      spec('custom2.yaml', 'kind: CustomSchedule\nvalues: [1.0]\n'),
      '--steps',
      '5',
      '--out',
      existing,
    ]);
    expect(readFileSync(existing, 'utf8')).toBe('old contents');
  });
});

describe('schedgpu triggers', () => {
  it("prints each trigger's firing updates compactly, from the same plan as eval", () => {
    const spec = join(dir, 'triggers.yaml');
    writeFileSync(
      spec,
      [
        '- {id: log, kind: StepIntervalScheduler, interval: 3}',
        '- {id: eval, kind: PeriodicCallback, every_n_samples: 20, batch_size: 8, updates_per_epoch: 5}',
        '- {id: never, kind: PeriodicCallback, every_n_epochs: 9, batch_size: 8, updates_per_epoch: 5}',
      ].join('\n'),
    );
    const r = runCli(['triggers', spec, '--steps', '20']);
    expect(r.code, r.stderr).toBe(0);
    // every_n_samples=20 at batch 8: samples 24, 40, 64, 80, ... cross a multiple of 20 at updates 3, 5, 8, 10, ...
    expect(r.stdout.split('\n')).toEqual([
      'log: fires 6 times, at updates 3, 6, ... 18 (6 times)',
      'eval: fires 8 times, at updates 3, 5, 8, 10, 13, 15, 18, 20',
      'never: never fires in 20 updates',
      '',
    ]);
    const csv = join(dir, 'triggers.csv');
    expect(runCli(['eval', spec, '--steps', '20', '--backend', 'cpu', '--out', csv, '--quiet']).code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
    expect(rows.filter((line) => line.split(',')[1] === '1').map((line) => Number(line.split(',')[0]) + 1)).toEqual([
      3, 6, 9, 12, 15, 18,
    ]);
  });

  it('refuses a spec that is not a trigger', () => {
    expect(expectBadInput(['triggers', EXAMPLE, '--steps', '100'])).toMatch(/is not a trigger/);
  });
});

describe('schedgpu validate and kinds', () => {
  it('validates without evaluating, and with --steps refuses step-time failures', () => {
    const ok = runCli(['validate', EXAMPLE]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(
      `${EXAMPLE}: 4 valid specs (LinearWarmupCosineDecaySchedule, SequentialStepSchedule, PolynomialDecreasingSchedule)`,
    );
    const path = join(dir, 'short.yaml');
    writeFileSync(path, 'kind: CustomSchedule\nvalues: [1.0, 0.5]\n');
    expect(runCli(['validate', path]).code).toBe(0);
    expect(expectBadInput(['validate', path, '--steps', '3'])).toMatch(/refuses step 2/);
  });

  it('warns about keys the framework would ignore', () => {
    const path = join(dir, 'typo.yaml');
    writeFileSync(path, 'kind: CosineDecreasingSchedule\nmax_value: 1.0\nend_valeu: 0.1\n');
    const r = runCli(['validate', path]);
    expect(r.code).toBe(0);
    expect(r.errLines).toEqual([
      'schedgpu: warning: end_valeu: unknown field of CosineDecreasingSchedule (did you mean end_value?), ignored (noether ignores unknown keys)',
    ]);
  });

  it('lists every kind, as text, markdown and JSON', () => {
    const text = runCli(['kinds']).stdout;
    for (const k of KINDS) expect(text).toContain(k.kind);
    expect(
      runCli(['kinds', '--markdown'])
        .stdout.split('\n')
        .filter((l) => l.includes('| `')),
    ).toHaveLength(KINDS.length);
    expect(JSON.parse(runCli(['kinds', '--json']).stdout)).toHaveLength(KINDS.length);
  });

  it('answers --help and --version with exit 0', () => {
    expect(runCli(['--help']).code).toBe(0);
    expect(runCli(['eval', '--help']).stdout).toMatch(/--steps <n>/);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('commands share their options and writers', () => {
  it('every command answers --help, and --backend reads the same in each', () => {
    const commands = [...runCli(['--help']).stdout.matchAll(/^ {2}(\w+) /gm)]
      .map((m) => m[1])
      .filter((c) => c !== 'help');
    expect(commands).toEqual([
      'eval',
      'validate',
      'sweep',
      'merge',
      'triggers',
      'stats',
      'rank',
      'fit',
      'predict',
      'optimize',
      'plot',
      'schema',
      'kinds',
    ]);
    const backendHelp = new Set<string>();
    for (const command of commands) {
      const r = runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`^Usage: schedgpu ${command}`));
      // the option's help, wrapped as commander wraps it, flattened to one line
      const at = r.stdout.indexOf('--backend <name>');
      if (at >= 0)
        backendHelp.add(
          r.stdout
            .slice(at)
            .split(/\n {2}-/)[0]
            .replace(/\s+/g, ' '),
        );
    }
    expect(backendHelp.size).toBe(1);
  });

  it('quotes ids with a carriage return in CSV (RFC 4180)', () => {
    const spec = join(dir, 'cr.yaml');
    writeFileSync(
      spec,
      '- {id: "a\\rb", kind: ConstantSchedule, value: 1}\n- {id: "c,d", kind: ConstantSchedule, value: 2}\n',
    );
    const csv = join(dir, 'cr.csv');
    expect(runCli(['eval', spec, '--steps', '2', '--backend', 'cpu', '--out', csv]).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe('step,"a\rb","c,d"\n0,1,2\n1,1,2\n');
    const stats = runCli(['stats', spec, '--steps', '2', '--backend', 'cpu']);
    expect(
      stats.stdout
        .split('\n')
        .slice(1, 3)
        .map((l) => l.split(',')[0]),
    ).toEqual(['"a\rb"', '"c']);
  });
});

describe('output read by a reader that stops early', () => {
  it('ends quietly with exit 0 when stdout is closed (schema | head -1)', () => {
    const cli = new URL('../dist/cli.js', import.meta.url).pathname;
    for (const command of ['schema', 'kinds'])
      for (let i = 0; i < 3; i++) {
        const r = spawnSync('bash', ['-o', 'pipefail', '-c', `node ${cli} ${command} | head -1 > /dev/null`], {
          encoding: 'utf8',
        });
        expect(r.stderr, command).not.toMatch(/EPIPE|Error/);
        expect(r.status, command).toBe(0);
      }
  });
});
