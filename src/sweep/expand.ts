/**
 * Sweep files: a base spec (or several) and the parameters to vary, expanded into one validated
 * run per variant. Variants are ordered bases x grid (itertools.product order: the first parameter
 * varies slowest) x zip rows x random draws, and numbered from 0 in that order.
 */
import * as z from 'zod';
import { formatPath, Shown, SpecError, StepError, type PathPart } from '../errors.js';
import { MAX_STEPS } from '../plan/segments.js';
import { validateSpecs, type RunSpec } from '../spec/validate.js';
import { setPath, splitPath } from './paths.js';
import { permutation, uniform01 } from './random.js';
import { distribution, expandList, listSource, MAX_VARIANTS, sample } from './values.js';
import { checkIdTemplate, fillIdTemplate } from './id-format.js';

const stepsField = z
  .number({ error: 'must be a positive integer' })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_STEPS, { error: `must be an integer in [1, ${MAX_STEPS}]` });

export const sweepSchema = z.strictObject({
  steps: stepsField.optional(),
  base: z.looseObject({}, { error: 'must be a schedule spec (a mapping with a kind)' }).optional(),
  bases: z
    .array(z.looseObject({}, { error: 'must be a schedule spec (a mapping with a kind)' }))
    .min(1, { error: 'must list at least one spec' })
    .optional(),
  grid: z.record(z.string(), listSource).optional(),
  zip: z.record(z.string(), listSource).optional(),
  random: z
    .strictObject({
      n: z
        .number()
        .int({ error: 'must be a positive integer' })
        .min(1, { error: 'must be a positive integer' })
        .max(MAX_VARIANTS, { error: `must be at most ${MAX_VARIANTS} (the most variants a sweep may have)` }),
      seed: z.number().int({ error: 'must be an integer' }).default(0),
      latin_hypercube: z.boolean({ error: 'must be true or false' }).default(false),
      params: z.record(z.string(), distribution),
    })
    .optional(),
  /** Template for variant ids: {index}, {base}, {kind} and any swept parameter in braces, with an optional format ({p:.3g}). */
  id: z.string({ error: 'must be a string template' }).default('v{index}'),
});

export type SweepFile = z.output<typeof sweepSchema>;

/** The parameter that sets a variant's run length rather than a spec field. */
export const STEPS_PARAM = 'steps';

export interface Variant {
  index: number;
  id: string;
  /** Which base it comes from, and that base's path in the sweep file. */
  base: number;
  basePath: PathPart[];
  /** The swept values, by parameter path. */
  params: Record<string, unknown>;
  /** Where in the sweep file each swept value came from (for error messages). */
  sources: Record<string, PathPart[]>;
  steps: number;
  run: RunSpec;
}

export interface ExpandedSweep {
  variants: Variant[];
  /** Swept parameter paths, in column order. */
  paramNames: string[];
  /** The widest run: the table's width. */
  steps: number;
  warnings: string[];
}

/** The most variants a sweep may expand to. */
export { MAX_VARIANTS };

interface Choice {
  path: string;
  values: unknown[];
  source: (i: number) => PathPart[];
}

export function expandSweep(raw: unknown): ExpandedSweep {
  refuseDeepNesting(raw);
  const parsed = sweepSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path as PathPart[];
    if (issue.code === 'unrecognized_keys')
      throw new SpecError(
        [...at, issue.keys[0]],
        'is not a sweep field (steps, base, bases, grid, zip, random, id)',
        (raw as Record<string, unknown>)[issue.keys[0]],
      );
    throw new SpecError(at, issue.message, 'input' in issue ? issue.input : undefined);
  }
  const sweep = parsed.data;
  if (sweep.id !== undefined) checkIdTemplate(sweep.id);
  if ((sweep.base === undefined) === (sweep.bases === undefined))
    throw new SpecError([], 'needs exactly one of base or bases', sweep.base ?? sweep.bases);
  const bases = sweep.bases ?? [sweep.base!];

  const grid: Choice[] = Object.entries(sweep.grid ?? {}).map(([path, src]) => ({
    path,
    values: expandList(src),
    source: (i) => ['grid', path, i],
  }));
  const zipped: Choice[] = Object.entries(sweep.zip ?? {}).map(([path, src]) => ({
    path,
    values: expandList(src),
    source: (i) => ['zip', path, i],
  }));
  const zipLength = zipped.length ? zipped[0].values.length : 1;
  for (const z of zipped)
    if (z.values.length !== zipLength)
      throw new SpecError(
        ['zip', z.path],
        `must have as many values as ${zipped[0].path} (${zipLength})`,
        `${z.values.length} values` as unknown,
      );
  const randomParams = Object.entries(sweep.random?.params ?? {});
  const names = [...grid.map((g) => g.path), ...zipped.map((z) => z.path), ...randomParams.map(([p]) => p)];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new SpecError([], `sweeps ${name} in more than one of grid, zip and random`, name);
    seen.add(name);
  }
  if (sweep.steps === undefined && !seen.has(STEPS_PARAM))
    throw new SpecError(['steps'], 'is required (or sweep `steps` itself)', undefined);

  const gridSize = grid.reduce((n, g) => n * g.values.length, 1);
  const randomN = sweep.random?.n ?? 1;
  const total = bases.length * gridSize * zipLength * randomN;
  if (total > MAX_VARIANTS) throw new SpecError([], `expands to more than ${MAX_VARIANTS} variants`, total);

  // latin hypercube: each parameter's n draws fall one in each of n equal strata, in a random order
  const strata = sweep.random?.latin_hypercube
    ? randomParams.map((_, k) => permutation(randomN, sweep.random!.seed, k))
    : null;

  // the same warning from many variants is said once, with how many
  const warnings = new Map<string, number[]>();
  const variants: Variant[] = [];
  for (let b = 0; b < bases.length; b++)
    for (let g = 0; g < gridSize; g++)
      for (let zr = 0; zr < zipLength; zr++)
        for (let r = 0; r < randomN; r++) {
          const params: Record<string, unknown> = {};
          const sources: Record<string, PathPart[]> = {};
          let rest = g;
          for (let k = grid.length - 1; k >= 0; k--) {
            const i = rest % grid[k].values.length;
            rest = Math.floor(rest / grid[k].values.length);
            params[grid[k].path] = grid[k].values[i];
            sources[grid[k].path] = grid[k].source(i);
          }
          for (const z of zipped) {
            params[z.path] = z.values[zr];
            sources[z.path] = z.source(zr);
          }
          randomParams.forEach(([path, dist], k) => {
            const u = uniform01(sweep.random!.seed, k, r);
            params[path] = sample(dist, strata ? (strata[k][r] + u) / randomN : u);
            sources[path] = ['random', 'params', path];
          });
          variants.push(buildVariant(variants.length, b, bases, sweep, params, sources, warnings));
        }

  const ids = new Map<string, number>();
  for (const v of variants) {
    if (ids.has(v.id))
      throw new SpecError(
        ['id'],
        `gives variants ${ids.get(v.id)} and ${v.index} the same id (add {index} or a swept parameter)`,
        v.id,
      );
    ids.set(v.id, v.index);
  }
  const ordered = names.filter((n) => n !== STEPS_PARAM);
  if (seen.has(STEPS_PARAM)) ordered.push(STEPS_PARAM);
  const said = [...warnings].map(([w, at]) =>
    at.length === 1 ? `variant ${at[0]}: ${w}` : `variants ${at[0]}, ... (${at.length} of them): ${w}`,
  );
  return { variants, paramNames: ordered, steps: Math.max(...variants.map((v) => v.steps)), warnings: said };
}

function buildVariant(
  index: number,
  b: number,
  bases: Record<string, unknown>[],
  sweep: SweepFile,
  params: Record<string, unknown>,
  sources: Record<string, PathPart[]>,
  warnings: Map<string, number[]>,
): Variant {
  const basePath: PathPart[] = sweep.bases ? ['bases', b] : ['base'];
  const spec = structuredClone(bases[b]);
  let steps = sweep.steps as number;
  for (const [path, value] of Object.entries(params)) {
    if (path === STEPS_PARAM) {
      const ok = stepsField.safeParse(value);
      if (!ok.success) throw new SpecError(sources[path], ok.error.issues[0].message, value);
      steps = value as number;
      continue;
    }
    const missing = setPath(spec, path, value);
    if (missing !== null)
      throw new SpecError(sources[path].slice(0, -1), `${formatPath(basePath)} has no ${missing}`, value);
  }
  const kind = String(spec.kind ?? '');
  const id = fillIdTemplate(sweep.id ?? 'v{index}', (name) =>
    name === 'index'
      ? index
      : name === 'base'
        ? b
        : name === 'kind'
          ? kind.slice(kind.lastIndexOf('.') + 1)
          : params[name],
  );
  let run: RunSpec;
  try {
    const validated = validateSpecs({ ...spec, id });
    run = validated.runs[0];
    for (const w of validated.warnings) warnings.set(w, [...(warnings.get(w) ?? []), index]);
  } catch (e) {
    throw e instanceof SpecError ? locate(e, basePath, params, sources) : e;
  }
  return { index, id, base: b, basePath, params, sources, steps, run };
}

/**
 * Point a spec error at the sweep file: at the swept value that caused it when the failing field
 * (or a field inside it) was swept, else at the base spec's field.
 */
export function locate(
  e: SpecError,
  basePath: PathPart[],
  params: Record<string, unknown>,
  sources: Record<string, PathPart[]>,
): SpecError {
  const failing = e.path.map(String);
  for (const path of Object.keys(params)) {
    const parts = splitPath(path).map(String);
    if (parts.every((p, i) => failing[i] === p)) {
      const inner = e.path.slice(parts.length);
      const at = [...sources[path], ...inner];
      return e instanceof StepError ? new StepError(at, e.reason, e.got, e.step) : new SpecError(at, e.problem, e.got);
    }
  }
  return e.under(basePath);
}

/** Deeper than any spec nests; a document past it would overflow the stack of the recursive copies and checks. */
export const MAX_DEPTH = 64;

/** Refuse a document nested deeper than MAX_DEPTH (walked without recursion), naming where. */
function refuseDeepNesting(raw: unknown): void {
  const stack: { node: unknown; path: PathPart[] }[] = [{ node: raw, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (path.length > MAX_DEPTH)
      throw new SpecError(
        path.slice(0, 4),
        `nests deeper than ${MAX_DEPTH} levels`,
        new Shown(`${path.length} levels`),
      );
    for (const [k, v] of Object.entries(node))
      stack.push({ node: v, path: [...path, Array.isArray(node) ? Number(k) : k] });
  }
}
