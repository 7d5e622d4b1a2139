/** DIR/params.csv: one row per schedule with its index, id, every swept parameter and kind. */
import type { Variant } from './expand.js';

const field = (v: unknown): string => {
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function paramsCsvHeader(paramNames: readonly string[]): string {
  return ['index', 'id', ...paramNames, 'kind'].map(field).join(',') + '\n';
}

export function paramsCsvRows(variants: readonly Variant[], paramNames: readonly string[]): string {
  return variants
    .map(
      (v) =>
        [v.index, v.id, ...paramNames.map((p) => (p === 'steps' ? v.steps : v.params[p])), v.run.spec.kind]
          .map(field)
          .join(',') + '\n',
    )
    .join('');
}
