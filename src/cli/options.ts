/**
 * Options that several commands take, declared once: the flag, its help text and how its value is
 * read. Values the library checks itself (steps, backend) are handed to the library's checks, whose
 * errors the CLI renames to the flags (errors.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Option } from 'commander';
import { checkBackendChoice, type BackendChoice } from '../backends/index.js';
import { SpecError } from '../errors.js';
import { checkSteps } from '../plan/compile.js';

export function backendOption(): Option {
  return new Option(
    '--backend <name>',
    'auto (webgpu if an adapter exists, else cpu), cpu (f64) or webgpu (f32)',
  ).default('auto');
}

/** --steps, whose meaning differs a little per command (a run's length, a check's reach). */
export function stepsOption(help: string): Option {
  return new Option('--steps <n>', help);
}

/** Steps per schedule of a spec file (stats, rank, plot: a sweep file has its own). */
export const SPEC_FILE_STEPS = 'steps per schedule (spec files)';

export function workersOption(): Option {
  return new Option('--workers <n>', 'cpu backend: worker threads (default: all cores)');
}

export function exactOption(): Option {
  return new Option(
    '--exact',
    "cpu backend: the oracle's direct formulas (no fast-math tables, no scaled copies; 2-4x slower on cosine and power curves)",
  );
}

export function precisionOption(): Option {
  return new Option('--precision <p>', 'webgpu backend: standard (f32) or high (double-float arithmetic, float64 out)');
}

export function quietOption(): Option {
  return new Option('--quiet', 'no progress bar');
}

export function outOption(help: string): Option {
  return new Option('--out <file>', help);
}

export function readBackend(raw: unknown): BackendChoice {
  return checkBackendChoice(raw ?? 'auto');
}

/** An integer written as digits is passed on as a number, anything else as given (for the message). */
export function readSteps(raw: unknown): number {
  return checkSteps(typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw);
}

export function readPositiveInt(flag: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new SpecError(flag, 'must be a positive integer', raw);
  return n;
}

/** --precision: the webgpu backend's arithmetic (the cpu backend is always f64). */
export function readPrecision(raw: unknown): 'standard' | 'high' | undefined {
  if (raw === undefined || raw === 'standard' || raw === 'high') return raw;
  throw new SpecError('--precision', 'must be standard (f32 on the GPU) or high (double-float, float64 out)', raw);
}

/** "a, b or c" */
function alternatives(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * An --out file: one of `extensions` (returned without its dot, lower case), in a folder that
 * exists, not itself a folder.
 */
export function readOutFile<E extends string>(path: string, extensions: readonly E[], flag = '--out'): E {
  const ext = extname(path).toLowerCase().slice(1);
  if (!extensions.includes(ext as E))
    throw new SpecError(flag, `must end in ${alternatives(extensions.map((e) => `.${e}`))}`, path);
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new SpecError(flag, 'is in a directory that does not exist', path);
  if (existsSync(path) && statSync(path).isDirectory()) throw new SpecError(flag, 'is a directory', path);
  return ext as E;
}
