/**
 * The member of a schedule family (a sweep file, or a spec file's list) that minimises the
 * multi-power law's predicted final loss: every variant of the sweep is evaluated (one plan, so
 * thousands run in the same dispatches, summed on the device on webgpu), then a pattern search
 * refines the best one's numeric swept parameters within the range the sweep spans: each round
 * evaluates the 2 x params neighbours x +- h as one batch, moves to the best that improves, and
 * halves h when none does.
 */
import type { Backend } from '../backends/types.js';
import { SpecError } from '../errors.js';
import { compilePlan } from '../plan/compile.js';
import { validateSpecs } from '../spec/validate.js';
import { expandSweep, STEPS_PARAM, type Variant } from '../sweep/expand.js';
import { setPath } from '../sweep/paths.js';
import { compileSweepPlan } from '../sweep/plan.js';
import { mplLossesOfPlan } from './mpl-plan.js';

export interface FamilyMember {
  id: string;
  /** A spec (as in a spec file) that reproduces the member. */
  spec: Record<string, unknown>;
  /** Its swept parameters (empty for a spec file's member). */
  params: Record<string, unknown>;
  loss: number;
}

export interface FamilySearch {
  /** The best schedule the file itself lists. */
  listed: FamilyMember;
  /** The best after refining its numeric parameters (the listed one when nothing improved or could move). */
  refined: FamilyMember;
  /** Schedules in the file, and those whose lr is not > 0 after step 0 (no loss). */
  count: number;
  skipped: number;
  /** Numeric parameters refined, candidates evaluated in the refinement, and its rounds. */
  refinedParams: string[];
  candidates: number;
  rounds: number;
  /** Warnings of the file's validation or expansion. */
  warnings: string[];
}

export interface FamilyOptions {
  /** Most refinement rounds (default 60). */
  maxRounds?: number;
  onNotice?: (line: string) => void;
}

interface Axis {
  path: string;
  /** The range, in the coordinate searched: the value, or its log for a log-spaced parameter. */
  lo: number;
  hi: number;
  integer: boolean;
  /** Searched in log(value): positive values spread over two decades or more (a floor, a peak lr). */
  log: boolean;
  /** The range of the values themselves (exp(log(v)) may miss v by an ulp). */
  min: number;
  max: number;
  /** Current step, in the searched coordinate. */
  h: number;
  /** Smallest step worth trying. */
  hMin: number;
}

function finalLosses(backend: Backend, theta: ArrayLike<number>, options: FamilyOptions) {
  return async (plan: Parameters<typeof mplLossesOfPlan>[0]) =>
    (await mplLossesOfPlan(plan, theta, [plan.steps - 1], backend, { onNotice: options.onNotice })).loss;
}

/** Search a family: `raw` is the parsed file (a sweep or specs), `steps` the run length. */
export async function searchFamily(
  raw: unknown,
  steps: number,
  theta: ArrayLike<number>,
  backend: Backend,
  options: FamilyOptions = {},
): Promise<FamilySearch> {
  const losses = finalLosses(backend, theta, options);
  const isSweep = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('base' in raw || 'bases' in raw);
  if (!isSweep) {
    const { runs, warnings } = validateSpecs(raw);
    const loss = await losses(compilePlan(runs, steps));
    const entries = Array.isArray(raw) ? raw : [raw];
    const best = bestOf(loss);
    if (best < 0)
      throw new SpecError('--family', 'has no schedule whose lr is > 0 after step 0', `${runs.length} schedules`);
    const member = {
      id: runs[best].id,
      spec: { ...(entries[best] as object), id: runs[best].id },
      params: {},
      loss: loss[best],
    };
    return {
      listed: member,
      refined: member,
      count: runs.length,
      skipped: countNaN(loss),
      refinedParams: [],
      candidates: 0,
      rounds: 0,
      warnings,
    };
  }
  const sweep = raw as Record<string, unknown>;
  const expanded = expandSweep(sweep);
  const other = expanded.variants.find((v) => v.steps !== steps);
  if (other) throw new SpecError('--family', `must have --steps (${steps}) steps`, other.steps);
  const loss = await losses(compileSweepPlan(expanded.variants, steps));
  const best = bestOf(loss);
  if (best < 0)
    throw new SpecError(
      '--family',
      'has no schedule whose lr is > 0 after step 0',
      `${expanded.variants.length} schedules`,
    );
  const bases = (sweep.bases ?? [sweep.base]) as Record<string, unknown>[];
  const memberOf = (v: Variant, l: number): FamilyMember => ({
    id: v.id,
    spec: specOf(bases[v.base], v.params, v.id),
    params: v.params,
    loss: l,
  });
  const listed = memberOf(expanded.variants[best], loss[best]);

  const axes = numericAxes(expanded.variants, expanded.paramNames);
  const base = bases[expanded.variants[best].base];
  let x = { ...expanded.variants[best].params };
  let current = listed;
  let candidates = 0;
  let rounds = 0;
  const maxRounds = options.maxRounds ?? 60;
  while (axes.some((a) => a.h >= a.hMin) && rounds < maxRounds) {
    rounds++;
    const tries: Record<string, unknown>[] = [];
    for (const a of axes) {
      if (a.h < a.hMin) continue;
      for (const sign of [-1, 1]) {
        const u = a.log ? Math.log(x[a.path] as number) : (x[a.path] as number);
        const w = Math.min(a.hi, Math.max(a.lo, u + sign * a.h));
        let v = Math.min(a.max, Math.max(a.min, a.log ? Math.exp(w) : w));
        if (a.integer) v = Math.round(v);
        if (v !== x[a.path]) tries.push({ ...x, [a.path]: v });
      }
    }
    const valid: Variant[] = [];
    for (const params of tries) {
      const v = candidate(sweep, base, params, steps, valid.length);
      if (v) valid.push(v);
    }
    candidates += valid.length;
    let moved = false;
    if (valid.length) {
      const l = await losses(compileSweepPlan(valid, steps));
      const i = bestOf(l);
      if (i >= 0 && l[i] < current.loss) {
        x = valid[i].params;
        current = { id: `${listed.id}-refined`, spec: specOf(base, x, `${listed.id}-refined`), params: x, loss: l[i] };
        moved = true;
      }
    }
    if (!moved) for (const a of axes) a.h /= 2;
  }
  return {
    listed,
    refined: current,
    count: expanded.variants.length,
    skipped: countNaN(loss),
    refinedParams: axes.map((a) => a.path),
    candidates,
    rounds,
    warnings: expanded.warnings,
  };
}

/** The base spec with the swept values set, and an id. */
function specOf(base: Record<string, unknown>, params: Record<string, unknown>, id: string): Record<string, unknown> {
  const spec = structuredClone(base);
  for (const [path, value] of Object.entries(params)) if (path !== STEPS_PARAM) setPath(spec, path, value);
  return { ...spec, id };
}

/** A candidate as a one-variant sweep (validated as the sweep's own variants are), or null where the kind refuses it. */
function candidate(
  sweep: Record<string, unknown>,
  base: Record<string, unknown>,
  params: Record<string, unknown>,
  steps: number,
  index: number,
): Variant | null {
  const zip = Object.fromEntries(
    Object.entries(params)
      .filter(([p]) => p !== STEPS_PARAM)
      .map(([p, v]) => [p, [v]]),
  );
  try {
    const v = expandSweep({ steps, base, zip, id: `candidate-${index}` }).variants[0];
    return { ...v, params };
  } catch (e) {
    if (e instanceof SpecError) return null; // e.g. a warmup that now ends after the decay starts
    throw e;
  }
}

/** The swept parameters whose values are all finite numbers, with more than one value, and their range. */
function numericAxes(variants: readonly Variant[], names: readonly string[]): Axis[] {
  const axes: Axis[] = [];
  for (const path of names) {
    if (path === STEPS_PARAM) continue;
    const values = variants.map((v) => v.params[path]);
    if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) continue;
    const distinct = [...new Set(values as number[])].sort((a, b) => a - b);
    if (distinct.length < 2) continue;
    const integer = distinct.every(Number.isInteger);
    const log = !integer && distinct[0] > 0 && distinct[distinct.length - 1] >= 100 * distinct[0];
    const u = log ? distinct.map(Math.log) : distinct;
    const lo = u[0];
    const hi = u[u.length - 1];
    // half the widest gap between neighbouring values: the search starts between the listed points
    let gap = 0;
    for (let i = 1; i < u.length; i++) gap = Math.max(gap, u[i] - u[i - 1]);
    axes.push({
      path,
      lo,
      hi,
      integer,
      log,
      min: distinct[0],
      max: distinct[distinct.length - 1],
      h: gap / 2,
      hMin: integer ? 1 : (hi - lo) * 1e-4,
    });
  }
  return axes;
}

function bestOf(loss: Float64Array): number {
  let best = -1;
  for (let i = 0; i < loss.length; i++) if (Number.isFinite(loss[i]) && (best < 0 || loss[i] < loss[best])) best = i;
  return best;
}

function countNaN(loss: Float64Array): number {
  return loss.reduce((n, l) => n + (Number.isFinite(l) ? 0 : 1), 0);
}
