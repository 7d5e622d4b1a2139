/**
 * The `output` spec key (issue 16.4): a kind that schedules several quantities lists them in
 * `schedgpu kinds`, picks one by `output` (Megatron's lr or weight_decay), a sweep can vary it, and
 * `plot` titles its value axis from it; other kinds refuse the key with exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-output-'));
const megatron = {
  kind: 'OptimizerParamScheduler',
  init_lr: 0,
  max_lr: 1e-3,
  min_lr: 1e-4,
  lr_warmup_steps: 10,
  lr_decay_steps: 100,
  lr_decay_style: 'cosine',
  start_wd: 0,
  end_wd: 0.1,
  wd_incr_steps: 100,
  wd_incr_style: 'linear',
};

describe('output', () => {
  it('schedgpu kinds lists the outputs of a kind that has several', () => {
    const text = runCli(['kinds']);
    expect(text.stdout).toMatch(/OptimizerParamScheduler .*\[output: lr \| weight_decay\]/);
    const json = JSON.parse(runCli(['kinds', '--json']).stdout) as { kind: string; outputs?: string[] }[];
    expect(json.find((k) => k.kind.endsWith('.OptimizerParamScheduler'))?.outputs).toEqual(['lr', 'weight_decay']);
    expect(json.find((k) => k.kind.endsWith('.LRSchedulersContainer'))?.outputs).toBeUndefined();
  });

  it('a sweep varies it: one row per quantity', () => {
    const sweep = join(dir, 'sweep.json');
    writeFileSync(sweep, JSON.stringify({ steps: 101, base: megatron, grid: { output: ['lr', 'weight_decay'] } }));
    const out = join(dir, 'sweep');
    const r = runCli(['sweep', sweep, '--backend', 'cpu', '--dtype', 'f64', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'params.csv'), 'utf8')).toMatch(/lr[\s\S]*weight_decay/);
    // table.npy: a v1 header, then 2 rows x 101 f64 values
    const bytes = readFileSync(join(out, 'table.npy'));
    const start = 10 + bytes.readUInt16LE(8);
    const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
    expect(values.length).toBe(202);
    expect(values[10]).toBeCloseTo(1e-3, 15); // lr at the end of the inclusive warmup
    expect(values[101 + 50]).toBeCloseTo(0.05, 15); // weight decay halfway through wd_incr_steps
  });

  it('plot titles the value axis from it, --field overrides', () => {
    const spec = join(dir, 'wd.json');
    writeFileSync(spec, JSON.stringify({ ...megatron, output: 'weight_decay' }));
    const svg = join(dir, 'wd.svg');
    expect(runCli(['plot', spec, '--steps', '100', '--backend', 'cpu', '--out', svg]).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toContain('weight_decay');
    expect(runCli(['plot', spec, '--steps', '100', '--backend', 'cpu', '--field', 'wd', '--out', svg]).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).not.toContain('weight_decay');
  });

  it('a kind with one quantity refuses it: exit 2, one line', () => {
    const spec = join(dir, 'one.json');
    writeFileSync(spec, JSON.stringify({ kind: 'LRSchedulersContainer', base_lr: 1, output: 'weight_decay' }));
    const r = runCli(['eval', spec, '--steps', '10', '--backend', 'cpu', '--out', join(dir, 'never.npy')]);
    expect(r.code).toBe(2);
    expect(r.errLines).toEqual([
      'output: is not a choice of LRSchedulersContainer (it schedules one value), got "weight_decay"',
    ]);
  });
});
