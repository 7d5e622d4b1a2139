/**
 * Reading a runs file (YAML or JSON): a list of runs, or a mapping with `runs`, each
 *   { id, loss: <csv with columns step,loss>, lr: <.npy or .csv of the lr at steps 0..T-1> | schedule: <spec>, steps: T }
 * Paths are relative to the runs file. Every problem is bad input, reported as `runs[i].field: ...`.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { SpecError, Shown, type PathPart } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { readSpecFile } from '../spec/parse.js';
import { parseNpyHeader } from '../sinks/npy-header.js';

export interface RunEntry {
  id: string;
  /** lr at every step 0..T-1. */
  lr: Float64Array;
  /** Observed loss, when the run names a loss file: checkpoint steps and values. */
  observed: { at: Int32Array; loss: Float64Array } | null;
}

function readText(file: string, path: PathPart[]): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecError(path, `cannot be read (${(e as NodeJS.ErrnoException).code})`, new Shown(file));
  }
}

/** A csv's columns by header name (numbers), or one unnamed column. */
function readCsvColumns(file: string, path: PathPart[]): { header: string[]; cols: number[][] } {
  const lines = readText(file, path)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new SpecError(path, 'is an empty csv', new Shown(file));
  const first = lines[0].split(',').map((s) => s.trim());
  const hasHeader = first.some((s) => s !== '' && !Number.isFinite(Number(s)));
  const header = hasHeader ? first : [];
  const body = hasHeader ? lines.slice(1) : lines;
  const width = hasHeader ? header.length : first.length;
  const cols: number[][] = Array.from({ length: width }, () => []);
  body.forEach((line, r) => {
    const cells = line.split(',');
    for (let c = 0; c < width; c++) {
      const v = Number(cells[c]);
      if (cells[c] === undefined || cells[c].trim() === '' || !Number.isFinite(v))
        throw new SpecError(path, `row ${r + 1} column ${c + 1} must be a number`, cells[c] ?? '');
      cols[c].push(v);
    }
  });
  return { header, cols };
}

function readLrFile(file: string, path: PathPart[]): Float64Array {
  if (extname(file).toLowerCase() === '.npy') {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new SpecError(path, `cannot be read (${(e as NodeJS.ErrnoException).code})`, new Shown(file));
    }
    let info;
    try {
      info = parseNpyHeader(bytes);
    } catch (e) {
      throw new SpecError(path, `is not a float .npy (${(e as Error).message})`, new Shown(file));
    }
    const n = info.shape.reduce((a, b) => a * b, 1);
    if (info.shape.length !== 1) throw new SpecError(path, 'must be a 1-d array', info.shape.join('x'));
    const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset);
    const size = info.dtype === 'float64' ? 8 : 4;
    if (bytes.byteLength - info.dataOffset < n * size) throw new SpecError(path, 'is truncated', new Shown(file));
    return Float64Array.from({ length: n }, (_, i) =>
      size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true),
    );
  }
  const { header, cols } = readCsvColumns(file, path);
  const at = header.indexOf('lr');
  if (header.length > 0 && at < 0 && cols.length !== 1)
    throw new SpecError(path, 'must have a column `lr` (or be one column)', header.join(','));
  return Float64Array.from(cols[at < 0 ? 0 : at]);
}

/** The lr must be positive from step 1 on: the multi-power law takes lr^-gamma there. */
function checkLr(lr: Float64Array, path: PathPart[]): void {
  if (lr.length < 2) throw new SpecError(path, 'must hold at least 2 steps', lr.length);
  for (let t = 0; t < lr.length; t++)
    if (!(t === 0 ? lr[t] >= 0 : lr[t] > 0))
      throw new SpecError(path, `must be ${t === 0 ? '>= 0' : '> 0'} at every step (step ${t})`, lr[t]);
}

export async function readRunsFile(file: string, needLoss: boolean): Promise<RunEntry[]> {
  const raw = readSpecFile(file);
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null && 'runs' in raw
      ? (raw as { runs: unknown }).runs
      : null;
  if (!Array.isArray(list) || list.length === 0)
    throw new SpecError('runs', 'must be a non-empty list of runs', list ?? raw);
  const base = dirname(file);
  const ids = new Set<string>();
  const out: RunEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as Record<string, unknown>;
    const at = (k: string): PathPart[] => ['runs', i, k];
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new SpecError(['runs', i], 'must be a mapping', r);
    const id = r.id ?? `run${i}`;
    if (typeof id !== 'string' || id === '') throw new SpecError(at('id'), 'must be a non-empty string', id);
    if (ids.has(id)) throw new SpecError(at('id'), 'is used twice', id);
    ids.add(id);
    const steps = r.steps;
    if (steps !== undefined && !(Number.isInteger(steps) && (steps as number) >= 2))
      throw new SpecError(at('steps'), 'must be an integer >= 2', steps);
    if ((r.lr === undefined) === (r.schedule === undefined))
      throw new SpecError(['runs', i], 'must have exactly one of `lr` and `schedule`', Object.keys(r).join(','));
    let lr: Float64Array;
    if (r.lr !== undefined) {
      if (typeof r.lr !== 'string') throw new SpecError(at('lr'), 'must be the path of a .npy or .csv', r.lr);
      lr = readLrFile(resolve(base, r.lr), at('lr'));
      if (steps !== undefined) {
        if ((steps as number) > lr.length)
          throw new SpecError(at('steps'), `must be at most the lr file's length ${lr.length}`, steps);
        lr = lr.slice(0, steps as number);
      }
    } else {
      if (steps === undefined) throw new SpecError(at('steps'), 'is required with `schedule`', undefined);
      let table;
      try {
        table = await evaluate(r.schedule, steps as number, { backend: 'cpu' });
      } catch (e) {
        if (e instanceof SpecError) throw e.under(at('schedule'));
        throw e;
      }
      if (table.rows !== 1) throw new SpecError(at('schedule'), 'must be one schedule', table.rows);
      lr = Float64Array.from(table.values);
    }
    checkLr(lr, r.lr !== undefined ? at('lr') : at('schedule'));
    let observed: RunEntry['observed'] = null;
    if (r.loss !== undefined) {
      if (typeof r.loss !== 'string') throw new SpecError(at('loss'), 'must be the path of a csv', r.loss);
      const { header, cols } = readCsvColumns(resolve(base, r.loss), at('loss'));
      const si = header.indexOf('step');
      const li = header.indexOf('loss');
      if (si < 0 || li < 0) throw new SpecError(at('loss'), 'must have columns `step` and `loss`', header.join(','));
      const stepCol = cols[si];
      const lossCol = cols[li];
      if (stepCol.length === 0) throw new SpecError(at('loss'), 'has no rows', 0);
      stepCol.forEach((s, row) => {
        if (!Number.isInteger(s) || s < 1 || s >= lr.length)
          throw new SpecError(
            at('loss'),
            `row ${row + 1}: step must be an integer in [1, ${lr.length - 1}] (the schedule's steps)`,
            s,
          );
        if (!(lossCol[row] > 0)) throw new SpecError(at('loss'), `row ${row + 1}: loss must be > 0`, lossCol[row]);
      });
      observed = { at: Int32Array.from(stepCol), loss: Float64Array.from(lossCol) };
    } else if (needLoss) throw new SpecError(at('loss'), 'is required to fit', undefined);
    out.push({ id, lr, observed });
  }
  return out;
}
