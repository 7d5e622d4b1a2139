/** The laws by name, and reading a `params.json` back into a law and its parameter vector. */
import { SpecError } from '../errors.js';
import { mpl } from './mpl.js';
import { tissue } from './tissue.js';
import type { Law } from './types.js';

export const LAWS: Record<string, Law> = { mpl, tissue };

export function lawByName(name: unknown, path = 'law'): Law {
  const law = typeof name === 'string' ? LAWS[name] : undefined;
  if (!law) throw new SpecError(path, `must be one of ${Object.keys(LAWS).join(', ')}`, name);
  return law;
}

/** A params object (as `fit` writes it) -> the law and its parameters in the law's order. */
export function readParams(raw: unknown, path = 'params'): { law: Law; theta: number[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SpecError(path, 'must be a mapping with `law` and its parameters', raw);
  const obj = raw as Record<string, unknown>;
  const law = lawByName(obj.law, `${path}.law`);
  const theta = law.params.map((p) => {
    const v = obj[p];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SpecError(`${path}.${p}`, 'must be a finite number', v);
    return v;
  });
  return { law, theta };
}
