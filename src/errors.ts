/**
 * Errors with a machine-readable `code`, a field path, a problem and the value given. Paths use the
 * library's own names (a spec's fields, option names such as `steps` or `backend`); the CLI maps the
 * codes that concern its options to its flags, prints one line `path: problem, got value` and exits
 * 2 (bad input) or 1 (runtime failure, capacity limits included).
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

/**
 * What went wrong, for programs. `invalid` is a spec or sweep field that breaks a rule (the path
 * says which); the others name an option or a situation.
 */
export type ErrorCode =
  | 'invalid'
  | 'refused-step'
  | 'steps-out-of-range'
  | 'unknown-backend'
  | 'unknown-precision'
  | 'beyond-float32'
  | 'at-out-of-range'
  | 'window-out-of-range'
  | 'rank-step-out-of-range'
  | 'lambda-out-of-range'
  | 'bad-shard'
  | 'empty-shard'
  | 'dtype-needs-float64'
  | 'sweep-dir-taken'
  | 'resume-format'
  | 'resume-shard'
  | 'resume-dtype'
  | 'resume-tile'
  | 'resume-changed'
  | 'merge-shards'
  | 'merge-dir-taken'
  | 'no-adapter'
  | 'capacity'
  | 'device-lost'
  | 'runtime';

/** Bad input: a spec, a sweep or an option the caller must fix (the CLI's exit code 2). */
export class SpecError extends Error {
  readonly path: PathPart[];
  readonly problem: string;
  readonly got: unknown;
  readonly code: ErrorCode;
  constructor(path: readonly PathPart[] | string, problem: string, got: unknown, code: ErrorCode = 'invalid') {
    const parts = typeof path === 'string' ? [path] : [...path];
    super(`${formatPath(parts)}: ${problem}, got ${formatGot(got)}`);
    this.name = 'SpecError';
    this.path = parts;
    this.problem = problem;
    this.got = got;
    this.code = code;
  }

  /** The same error seen from one level up (a list entry, a nested schedule). */
  under(prefix: readonly PathPart[]): SpecError {
    return new SpecError([...prefix, ...this.path], this.problem, this.got, this.code);
  }

  /** The same error with its path's first name replaced (the CLI's flag for a library option). */
  renamed(first: string): SpecError {
    return new SpecError([first, ...this.path.slice(1)], this.problem, this.got, this.code);
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
    super(path, `the framework refuses step ${step} (${reason})`, got, 'refused-step');
    this.name = 'StepError';
    this.step = step;
    this.reason = reason;
  }

  override under(prefix: readonly PathPart[]): StepError {
    return new StepError([...prefix, ...this.path], this.reason, this.got, this.step);
  }

  override renamed(first: string): StepError {
    return new StepError([first, ...this.path.slice(1)], this.reason, this.got, this.step);
  }

  at(step: number): StepError {
    return new StepError(this.path, this.reason, this.got, step);
  }
}

/** Something went wrong while running (no adapter when one was demanded, I/O, a device loss): exit code 1. */
export class RuntimeFailure extends Error {
  readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown; code?: ErrorCode }) {
    super(message, options);
    this.name = 'RuntimeFailure';
    this.code = options?.code ?? 'runtime';
  }
}

/**
 * The request is valid but this device cannot hold it (a binding, a buffer or a dispatch too small):
 * a runtime failure, not bad input. `limit` and `requested` say by how much.
 */
export class CapacityError extends RuntimeFailure {
  constructor(
    message: string,
    readonly limit: number,
    readonly requested: number,
  ) {
    super(message, { code: 'capacity' });
    this.name = 'CapacityError';
  }
}
