/** DIR/params.csv: one row per schedule with its index, id, every swept parameter and kind. */
import { csvRecord } from '../sinks/csv.js';
import type { Variant } from './expand.js';

/** A parameter value as text: strings, numbers and booleans as they are, anything else as JSON (absent: empty). */
const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? '');

export function paramsCsvHeader(paramNames: readonly string[]): string {
  return csvRecord(['index', 'id', ...paramNames, 'kind']);
}

export function paramsCsvRows(variants: readonly Variant[], paramNames: readonly string[]): string {
  return variants
    .map((v) =>
      csvRecord([
        v.index,
        v.id,
        ...paramNames.map((p) => text(p === 'steps' ? v.steps : v.params[p])),
        v.run.spec.kind,
      ]),
    )
    .join('');
}
