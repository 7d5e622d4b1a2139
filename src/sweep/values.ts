/**
 * The values a swept parameter takes: a list, a numpy-style range ({linspace|logspace|geomspace:
 * [a, b, n]}), or for random sampling a distribution ({uniform|loguniform|randint: [a, b]},
 * {choice: [...]}). Schemas double as the sweep file's validation.
 */
import * as z from 'zod';

/** No sweep may have more variants than this (expand.ts refuses the product; a range is refused alone). */
export const MAX_VARIANTS = 10_000_000;

const count = z
  .number()
  .int({ error: 'n must be a positive integer' })
  .min(1, { error: 'n must be a positive integer' })
  .max(MAX_VARIANTS, { error: `n must be at most ${MAX_VARIANTS} (the most variants a sweep may have)` });
const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const triple = z.tuple([finite, finite, count], { error: 'must be [start, stop, n]' });

export const listSource = z.union(
  [
    z.array(z.unknown(), { error: 'must be a list of values' }).min(1, { error: 'must be a non-empty list' }),
    z.strictObject({ linspace: triple }),
    z.strictObject({ logspace: triple }),
    z.strictObject({
      geomspace: triple.refine(([a, b]) => a !== 0 && b !== 0 && a > 0 === b > 0, {
        error: 'start and stop must be non-zero with the same sign',
      }),
    }),
  ],
  { error: 'must be a list, or {linspace|logspace|geomspace: [start, stop, n]}' },
);

export type ListSource = z.output<typeof listSource>;

const pair = z
  .tuple([finite, finite], { error: 'must be [low, high]' })
  .refine(([a, b]) => a <= b, { error: 'low must be <= high' });

export const distribution = z.union(
  [
    z.strictObject({ uniform: pair }),
    z.strictObject({ loguniform: pair.refine(([a]) => a > 0, { error: 'low must be > 0' }) }),
    z.strictObject({
      randint: z
        .tuple([z.number().int(), z.number().int()], { error: 'must be [low, high] integers' })
        .refine(([a, b]) => a <= b, { error: 'low must be <= high' }),
    }),
    z.strictObject({ choice: z.array(z.unknown()).min(1, { error: 'must be a non-empty list' }) }),
  ],
  { error: 'must be {uniform|loguniform|randint: [low, high]} or {choice: [...]}' },
);

export type Distribution = z.output<typeof distribution>;

/** numpy.linspace(a, b, n): n points, both ends included. */
export function linspace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + i * step));
}

export function expandList(source: ListSource): unknown[] {
  if (Array.isArray(source)) return source;
  if ('linspace' in source) return linspace(...source.linspace);
  if ('logspace' in source) return linspace(...source.logspace).map(powerOfTen);
  const [a, b, n] = source.geomspace;
  const sign = a < 0 ? -1 : 1;
  return linspace(Math.log10(Math.abs(a)), Math.log10(Math.abs(b)), n).map((e, i) =>
    i === 0 ? a : i === n - 1 ? b : sign * powerOfTen(e),
  );
}

/** 10^e, exact for integer e (V8's 10 ** -5 is 9.999999999999999e-6; "1e-5" parses to the double nearest 1e-5). */
function powerOfTen(e: number): number {
  return Number.isInteger(e) ? Number(`1e${e}`) : 10 ** e;
}

/** A value of the distribution at a uniform u in [0, 1). */
export function sample(d: Distribution, u: number): unknown {
  if ('uniform' in d) return d.uniform[0] + u * (d.uniform[1] - d.uniform[0]);
  if ('loguniform' in d) {
    const [lo, hi] = d.loguniform.map(Math.log);
    return Math.exp(lo + u * (hi - lo));
  }
  if ('randint' in d) return d.randint[0] + Math.floor(u * (d.randint[1] - d.randint[0] + 1));
  return d.choice[Math.floor(u * d.choice.length)];
}
