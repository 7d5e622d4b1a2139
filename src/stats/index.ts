/**
 * Library entry points: `stats` (numbers per schedule, computed where the values are, never a
 * table on the host) and `rank` (predicted loss by the scaling law with LR annealing).
 */
import { createBackend, type BackendChoice, type CreateBackendOptions } from '../backends/index.js';
import type { Backend } from '../backends/types.js';
import { compile } from '../evaluate.js';
import { SpecError } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { rangeSet, rowStats, type Range, type RowStats } from './define.js';
import { computePartials } from './engine.js';

export type { Range, RowStats } from './define.js';

export interface StatsOptions extends CreateBackendOptions {
  /** 'cpu' (default), 'webgpu', 'auto', or a backend you made. */
  backend?: BackendChoice | Backend;
  /** Steps whose value to report. */
  at?: readonly number[];
  /** [a, b) step ranges whose sum to report. */
  windows?: readonly Range[];
  /** lambda of the annealing momentum: also report `annealing` (S2 at the end of the run). */
  lambda?: number;
}

function isPlan(v: unknown): v is Plan {
  return typeof v === 'object' && v !== null && 'segStart' in v && 'rowTracks' in v;
}

async function withBackend<T>(plan: Plan, options: StatsOptions, use: (b: Backend) => Promise<T>): Promise<T> {
  const given = typeof options.backend === 'object' ? options.backend : null;
  const backend = given ?? (await createBackend((options.backend as BackendChoice) ?? 'cpu', { ...options, plan }));
  try {
    return await use(backend);
  } finally {
    if (!given) await backend.dispose();
  }
}

/** Statistics of every schedule: specs (as in a spec file) and a step count, or a compiled plan. */
export async function stats(
  specsOrPlan: unknown,
  steps: number | null,
  options: StatsOptions = {},
): Promise<RowStats[]> {
  const plan = isPlan(specsOrPlan) ? specsOrPlan : compile(specsOrPlan, steps as number);
  const set = rangeSet(plan.steps, options.at, options.windows);
  const lambda = options.lambda ?? null;
  const partials = await withBackend(plan, options, (b) => computePartials(plan, set, b, { lambda }));
  return rowStats(plan.ids, set, partials, lambda !== null);
}

/**
 * The scaling law with LR annealing (Tissue et al., 2024, arXiv:2408.11029):
 *   L(s) = L0 + A * S1^(-alpha) - C * S2,
 * S1 = sum of the lr over the first s updates (forward area), S2 = sum of m_i over them (annealing
 * area), m_i = lambda * m_(i-1) + (eta_(i-1) - eta_i), m_0 = 0 and eta_0 = eta_1.
 */
export interface LossLaw {
  L0: number;
  A: number;
  alpha: number;
  C: number;
  /** Decay of the annealing momentum (default 0.999, the paper's choice). */
  lambda?: number;
}

export function checkLaw(law: LossLaw): Required<LossLaw> {
  for (const k of ['L0', 'A', 'alpha', 'C'] as const)
    if (typeof law[k] !== 'number' || !Number.isFinite(law[k]))
      throw new SpecError(`--${k}`, 'must be a finite number', law[k]);
  return { lambda: 0.999, ...law };
}

export function predictLoss(law: Required<LossLaw>, s1: number, s2: number): number {
  return law.L0 + law.A * Math.pow(s1, -law.alpha) - law.C * s2;
}

export interface RankedSchedule {
  row: number;
  id: string;
  /** Predicted loss at the step. */
  loss: number;
  S1: number;
  S2: number;
}

/** Every schedule's predicted loss after `at` updates (default: the whole run), best (lowest) first. */
export async function rank(
  specsOrPlan: unknown,
  steps: number | null,
  lawIn: LossLaw,
  options: StatsOptions & { atStep?: number } = {},
): Promise<RankedSchedule[]> {
  const law = checkLaw(lawIn);
  const plan = isPlan(specsOrPlan) ? specsOrPlan : compile(specsOrPlan, steps as number);
  const s = options.atStep ?? plan.steps;
  if (!Number.isInteger(s) || s < 1 || s > plan.steps)
    throw new SpecError('atStep', `must be a step in [1, ${plan.steps}]`, s, 'rank-step-out-of-range');
  // the first s updates use the values at steps 0 .. s - 1
  const set = rangeSet(plan.steps, [], [[0, s]]);
  const partials = await withBackend(plan, options, (b) => computePartials(plan, set, b, { lambda: law.lambda }));
  const window = 3 * plan.rows;
  return plan.ids
    .map((id, row) => {
      const p = partials[window + row];
      const S1 = p.sum + p.sumC;
      const S2 = p.anneal + p.annealC;
      return { row, id, loss: predictLoss(law, S1, S2), S1, S2 };
    })
    .sort((a, b) => a.loss - b.loss || a.row - b.row);
}

/** The predicted loss after each update 1..n of one lr curve (values[t] = lr of update t + 1), f64 scans. */
export function predictedLossCurve(values: ArrayLike<number>, lawIn: LossLaw): Float64Array {
  const law = checkLaw(lawIn);
  const out = new Float64Array(values.length);
  let s1 = 0;
  let s2 = 0;
  let m = 0;
  for (let t = 0; t < values.length; t++) {
    s1 += values[t];
    m = law.lambda * m + (t > 0 ? values[t - 1] - values[t] : 0);
    s2 += m;
    out[t] = predictLoss(law, s1, s2);
  }
  return out;
}
