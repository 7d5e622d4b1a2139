/**
 * Errors with a field path, a problem and the value given: the CLI prints them as one line
 * `path: problem, got value` and exits 2 (bad input) or 1 (runtime failure).
 */

export type PathPart = string | number;

/** `[3].schedule_configs[1].schedule.end_value` from `[3, 'schedule_configs', 1, 'schedule', 'end_value']`. */
export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? 'spec' : out;
}

/** A value already rendered for the `got ...` part (e.g. `3 values`). */
export class Shown {
  constructor(readonly text: string) {}
}

/** A short, single-line rendering of the offending value. */
export function formatGot(value: unknown): string {
  if (value instanceof Shown) return value.text;
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean' || value === null) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Bad input: a spec, a sweep or a command-line argument the user must fix (exit code 2). */
export class SpecError extends Error {
  readonly path: PathPart[];
  readonly problem: string;
  readonly got: unknown;
  constructor(path: readonly PathPart[] | string, problem: string, got: unknown) {
    const parts = typeof path === 'string' ? [path] : [...path];
    super(`${formatPath(parts)}: ${problem}, got ${formatGot(got)}`);
    this.name = 'SpecError';
    this.path = parts;
    this.problem = problem;
    this.got = got;
  }

  /** The same error seen from one level up (a list entry, a nested schedule). */
  under(prefix: readonly PathPart[]): SpecError {
    return new SpecError([...prefix, ...this.path], this.problem, this.got);
  }
}

/**
 * A config the framework accepts at construction but refuses when a particular step is evaluated
 * (noether's CustomSchedule past its list, a polynomial of non-integer power past progress 1, ...).
 * Still bad input: `eval` refuses it before writing anything. `step` is the first step that fails,
 * counted in the coordinates of the spec at `path` until the top level re-bases it.
 */
export class StepError extends SpecError {
  readonly step: number;
  readonly reason: string;
  constructor(path: readonly PathPart[] | string, reason: string, got: unknown, step: number) {
    super(path, `the framework refuses step ${step} (${reason})`, got);
    this.name = 'StepError';
    this.step = step;
    this.reason = reason;
  }

  override under(prefix: readonly PathPart[]): StepError {
    return new StepError([...prefix, ...this.path], this.reason, this.got, this.step);
  }

  at(step: number): StepError {
    return new StepError(this.path, this.reason, this.got, step);
  }
}

/** Something went wrong while running (no adapter when one was demanded, I/O, a device loss): exit code 1. */
export class RuntimeFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeFailure';
  }
}
