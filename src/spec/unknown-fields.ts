/**
 * Keys of a spec that are not fields of its kind, each with the field it most likely meant. Where
 * the framework ignores unknown keys they are warnings, and an error they then cause names them too
 * (a misspelt `warmup_percent` surfaces as "define one of warmup_steps or warmup_percent").
 */
import { formatPath, SpecError, type PathPart } from '../errors.js';
import type { KindEntry } from '../frameworks/types.js';
import { closest } from './suggest.js';

export interface UnknownField {
  key: string;
  /** The kind's field nearest by edit distance, or null when none is close. */
  meant: string | null;
}

/** The kind's field names (its schema's keys). */
export function fieldNames(entry: KindEntry): string[] {
  return Object.keys((entry.schema as unknown as { shape: object }).shape);
}

export function unknownFields(entry: KindEntry, raw: Record<string, unknown>): UnknownField[] {
  const known = fieldNames(entry);
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      key,
      meant: closest(
        key,
        known.filter((k) => k !== 'kind' && !(k in raw)),
      ),
    }));
}

const didYouMean = (u: UnknownField) => (u.meant ? `did you mean ${u.meant}?` : '');

/** A dataclass-style constructor refuses the key (TypeError) before anything else is checked. */
export function refusedField(u: UnknownField, raw: Record<string, unknown>, path: PathPart[]): SpecError {
  return new SpecError(
    [...path, u.key],
    `is not an argument of the constructor (it would raise TypeError${u.meant ? `; ${didYouMean(u)}` : ''})`,
    raw[u.key],
  );
}

/** The warning for a key the framework ignores. */
export function ignoredFieldWarning(u: UnknownField, entry: KindEntry, path: PathPart[]): string {
  const hint = u.meant ? ` (${didYouMean(u)})` : '';
  return `${formatPath([...path, u.key])}: unknown field of ${entry.shortName}${hint}, ignored (${entry.framework} ignores unknown keys)`;
}

/** An error raised after ignoring unknown keys, with those keys named in the same message. */
export function withUnknownFields(e: SpecError, unknown: UnknownField[], path: PathPart[]): SpecError {
  const named = unknown.map(
    (u) => `${formatPath([...path, u.key])} is an unknown field, ignored${u.meant ? `: ${didYouMean(u)}` : ''}`,
  );
  return new SpecError(e.path, `${e.problem} (${named.join('; ')})`, e.got, e.code);
}
