/**
 * What one schedule kind contributes: its schema (fields, defaults, lax coercion), the framework's
 * own construction-time checks, its reference formula (the oracle) and its plan compiler.
 * Entries live in one file per framework; registry.ts lists them all.
 */
import type * as z from 'zod';
import type { PathPart } from '../errors.js';
import type { Tracks } from '../plan/segments.js';

/** A validated spec: the framework's fully-qualified class name plus its fields, defaults applied. */
export interface NormalSpec {
  kind: string;
  [field: string]: unknown;
}

/** Report a construction-time refusal (pydantic model validator, constructor assert/raise). */
export type Refuse = (path: readonly PathPart[], problem: string, got: unknown) => never;

/** value(spec, step, total) for any spec: the oracle's dispatcher, handed to composite kinds. */
export type ValueAt = (spec: NormalSpec, step: number, total: number) => number;

/**
 * Compile a spec evaluated with `total` steps, for local steps [lo, hi), into tracks of segments
 * whose `start` is local to the spec. Refusals carry the local step at which the framework would raise.
 */
export type CompileRange = (spec: NormalSpec, total: number, lo: number, hi: number) => Tracks;

export interface ChildSpec {
  /** Path of the nested spec inside its parent, e.g. ['schedule_configs', 1, 'schedule']. */
  path: PathPart[];
  raw: unknown;
  replace(normal: NormalSpec): void;
  /** Why a kind may not sit here (null: it may). */
  refusesKind?(entry: KindEntry): string | null;
}

export interface KindEntry<C extends NormalSpec = NormalSpec> {
  /** Fully-qualified class or function name, as the framework's configs spell it. */
  kind: string;
  /** Other full names that resolve to this kind (a package's re-export, e.g. `optax.linear_schedule`). */
  aliases?: readonly string[];
  shortName: string;
  framework: string;
  /** One line for `schedgpu kinds` and the README table. */
  summary: string;
  /** Where schedgpu knowingly differs from the framework's code, for the README table. */
  divergence?: string;
  /**
   * The quantities a kind schedules, when more than one (Megatron's lr and weight_decay): the spec's
   * `output` key picks one, the first by default. Kinds without it refuse `output`.
   */
  outputs?: readonly string[];
  /** Fields with the framework's names, defaults and per-field validation. */
  schema: z.ZodType<C>;
  /** Keys the framework refuses outright (dataclass-style constructors); others are ignored with a warning. */
  strictKeys?: boolean;
  /** Takes noether's run-level `interval: epoch` (its ScheduleWrapper); other frameworks' schedules step per update. */
  epochInterval?: boolean;
  /** Nested specs to validate recursively (sequential compositions). */
  children?(config: C): ChildSpec[];
  /** Model validators and constructor checks, in the framework's order, after fields and children passed. */
  check?(config: C, refuse: Refuse): void;
  /** The oracle: a direct scalar f64 port of the framework's value at `step` of `total`. */
  reference(config: C, step: number, total: number, valueAt: ValueAt): number;
  /** The plan compiler for this kind. */
  compile(config: C, total: number, lo: number, hi: number, compileChild: CompileRange): Tracks;
  /** Names of the primitive curves its plans use (docs and test matrix). */
  primitives: readonly string[];
}

/**
 * One kind, typed with its real config: the schema's output, the checks, the oracle and the
 * compiler must agree on C here. The registry's list holds entries of many configs, so the type is
 * erased in this one place (the schema has parsed every config that reaches the other three).
 */
export function defineKind<C extends NormalSpec>(entry: KindEntry<C>): KindEntry {
  return entry as unknown as KindEntry;
}
