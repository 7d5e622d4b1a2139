/**
 * The edge of the pipeline: raw YAML/JSON values -> validated, normalised specs, or one SpecError
 * naming the field path, the rule and the value given. Unknown keys are ignored as the frameworks'
 * pydantic configs ignore them, and reported as warnings so a typo does not pass unseen.
 */
import * as z from 'zod';
import { formatPath, SpecError, type PathPart } from '../errors.js';
import { kindEntry, lookupKind } from '../frameworks/registry.js';
import type { KindEntry, NormalSpec } from '../frameworks/types.js';
import { ignoredFieldWarning, refusedField, unknownFields, withUnknownFields } from './unknown-fields.js';

/** A top-level spec with the fields that belong to the run rather than to the schedule class. */
export interface RunSpec {
  /** Label used in outputs (`id` field, or `<ShortName>_<index>`). */
  id: string;
  spec: NormalSpec;
  /** noether's interval: 'epoch' holds each epoch's first value for the whole epoch. */
  interval: 'update' | 'epoch';
  updatesPerEpoch: number | null;
  /** Where the spec sits in its file, e.g. [3] (empty for a file holding one spec). */
  path: PathPart[];
}

export interface Validated {
  runs: RunSpec[];
  warnings: string[];
}

/** Keys read at the top level of a spec, for the run: removed before the class's own fields are checked. */
export const RUN_FIELDS = ['id', 'interval', 'updates_per_epoch'] as const;

const runFieldsSchema = z.object({
  id: z.union([z.string().min(1), z.number()], { error: 'must be a non-empty string' }).optional(),
  interval: z.enum(['update', 'epoch'], { error: 'must be "update" or "epoch"' }).default('update'),
  updates_per_epoch: z
    .number({ error: 'must be a positive integer' })
    .refine((n) => Number.isSafeInteger(n) && n >= 1, { error: 'must be a positive integer' })
    .optional(),
});

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validate a parsed spec file: one spec, or a list of specs. */
export function validateSpecs(raw: unknown): Validated {
  const warnings: string[] = [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new SpecError([], 'must hold at least one spec', raw);
  const runs = list.map((item, i) => validateRun(item, Array.isArray(raw) ? [i] : [], warnings));
  const seen = new Map<string, number>();
  runs.forEach((run, i) => {
    if (seen.has(run.id))
      throw new SpecError([...run.path, 'id'], `duplicates the id of spec ${seen.get(run.id)}`, run.id);
    seen.set(run.id, i);
  });
  return { runs, warnings };
}

function validateRun(raw: unknown, path: PathPart[], warnings: string[]): RunSpec {
  if (!isMapping(raw)) throw new SpecError(path, 'must be a schedule spec (a mapping with a kind)', raw);
  // interval and updates_per_epoch belong to the run for noether's schedules (its ScheduleWrapper);
  // other kinds may have fields of those names (PAMIQ's interval, PeriodicCallback's updates_per_epoch)
  const found = typeof raw.kind === 'string' ? lookupKind(raw.kind) : null;
  const wrapped = found !== null && 'entry' in found && found.entry.epochInterval === true;
  const runKeys: readonly string[] = wrapped ? RUN_FIELDS : ['id'];
  const runFields = Object.fromEntries(runKeys.filter((k) => k in raw).map((k) => [k, raw[k]]));
  const parsed = runFieldsSchema.safeParse(runFields, { reportInput: true });
  if (!parsed.success) throw issueError(parsed.error.issues[0], runFields, path);
  const { id, interval, updates_per_epoch } = parsed.data;
  if (interval === 'epoch' && updates_per_epoch === undefined)
    throw new SpecError(
      [...path, 'updates_per_epoch'],
      'is required with interval "epoch" (the trainer supplies it to noether)',
      undefined,
    );
  if (interval === 'update' && updates_per_epoch !== undefined)
    warnings.push(`${formatPath([...path, 'updates_per_epoch'])}: ignored, interval is "update"`);
  const own = Object.fromEntries(Object.entries(raw).filter(([k]) => !runKeys.includes(k)));
  const spec = validateSpec(own, path, warnings);
  const index = path.length ? (path[0] as number) : 0;
  return {
    id: id !== undefined ? String(id) : `${spec.kind.slice(spec.kind.lastIndexOf('.') + 1)}_${index}`,
    spec,
    interval,
    updatesPerEpoch: updates_per_epoch ?? null,
    path,
  };
}

/** Validate one (possibly nested) schedule spec at `path`. */
export function validateSpec(
  raw: unknown,
  path: PathPart[],
  warnings: string[] = [],
  refusesKind?: (entry: KindEntry) => string | null,
): NormalSpec {
  if (!isMapping(raw)) throw new SpecError(path, 'must be a schedule spec (a mapping with a kind)', raw);
  if (raw.kind === undefined) throw new SpecError([...path, 'kind'], 'is required', undefined);
  if (typeof raw.kind !== 'string') throw new SpecError([...path, 'kind'], 'must be a class name string', raw.kind);
  const found = lookupKind(raw.kind);
  if ('problem' in found) throw new SpecError([...path, 'kind'], found.problem, raw.kind);
  const entry: KindEntry = found.entry;
  const refusal = refusesKind?.(entry);
  if (refusal) throw new SpecError([...path, 'kind'], refusal, raw.kind);

  checkOutput(raw, entry, path);
  const unknown = unknownFields(entry, raw);
  if (entry.strictKeys && unknown.length > 0) throw refusedField(unknown[0], raw, path);
  for (const u of unknown) warnings.push(ignoredFieldWarning(u, entry, path));
  try {
    return validateFields(entry, raw, path, warnings);
  } catch (e) {
    // an ignored key is often the cause of what fails next: name it in the same message
    if (e instanceof SpecError && unknown.length > 0 && e.constructor === SpecError)
      throw withUnknownFields(e, unknown, path);
    throw e;
  }
}

function validateFields(
  entry: KindEntry,
  raw: Record<string, unknown>,
  path: PathPart[],
  warnings: string[],
): NormalSpec {
  const parsed = entry.schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw issueError(parsed.error.issues[0], raw, path);
  const config = parsed.data as NormalSpec;
  config.kind = entry.kind;

  for (const child of entry.children?.(config) ?? [])
    child.replace(validateSpec(child.raw, [...path, ...child.path], warnings, child.refusesKind?.bind(child)));
  entry.check?.(config, (at, problem, got) => {
    throw new SpecError([...path, ...at], problem, got);
  });
  return config;
}

/** The quantity a validated spec schedules when its kind has several (its `output`), else null. */
export function specOutput(spec: NormalSpec): string | null {
  return kindEntry(spec.kind).outputs ? String(spec.output) : null;
}

/** `output`, the quantity of a kind that schedules several (KindEntry.outputs); other kinds have none to pick. */
function checkOutput(raw: Record<string, unknown>, entry: KindEntry, path: PathPart[]): void {
  if (!('output' in raw)) return;
  const outputs = entry.outputs;
  if (!outputs)
    throw new SpecError(
      [...path, 'output'],
      `is not a choice of ${entry.shortName} (it schedules one value)`,
      raw.output,
    );
  if (!outputs.includes(raw.output as string))
    throw new SpecError([...path, 'output'], `must be one of ${outputs.join(', ')}`, raw.output);
}

/** A zod issue as `path: problem, got value`, with "is required" for absent keys. */
function issueError(issue: z.core.$ZodIssue, raw: unknown, path: PathPart[]): SpecError {
  const at = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as PathPart[];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const holder = valueAt(raw, at) as Record<string, unknown>;
    return new SpecError(
      [...path, ...at, key],
      'is not an argument of the constructor (it would raise TypeError)',
      holder?.[key],
    );
  }
  const parent = valueAt(raw, at.slice(0, -1));
  const last = at[at.length - 1];
  if (at.length > 0 && isMapping(parent) && !(String(last) in parent))
    return new SpecError([...path, ...at], 'is required', undefined);
  return new SpecError([...path, ...at], issue.message, 'input' in issue ? issue.input : valueAt(raw, at));
}

function valueAt(raw: unknown, at: readonly PathPart[]): unknown {
  let v: unknown = raw;
  for (const p of at) v = v == null ? undefined : (v as Record<string | number, unknown>)[p];
  return v;
}
