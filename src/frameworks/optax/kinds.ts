/**
 * optax's schedules (optax.schedules.*, also reachable as optax.*): value(t) = schedule(t) with t
 * the step count. Composite schedules (join_schedules, sgdr_schedule) hold optax specs.
 */
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';
import { defineKind, type ChildSpec, type KindEntry, type NormalSpec } from '../types.js';

const F32 = 'computed in float64; optax computes in JAX float32 by default (relative differences ~1e-7)';

function optaxKind<C extends NormalSpec>(
  name: string,
  summary: string,
  rest: Pick<KindEntry<C>, 'schema' | 'reference' | 'compile' | 'primitives'> &
    Partial<Pick<KindEntry<C>, 'check' | 'children' | 'divergence'>>,
): KindEntry {
  return defineKind<C>({
    kind: `${cfg.OPTAX}.${name}`,
    // optax re-exports every schedule at the top level
    aliases: [`optax.${name}`],
    shortName: name,
    framework: 'optax',
    summary,
    strictKeys: true,
    ...rest,
    divergence: rest.divergence ? `${F32}; ${rest.divergence}` : F32,
  });
}

const WARMUP_COSINE = `${cfg.OPTAX}.warmup_cosine_decay_schedule`;
const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const OPTAX_KINDS: readonly KindEntry[] = [
  optaxKind<cfg.ConstantConfig>('constant_schedule', '`value` at every step', {
    schema: cfg.constantSchema,
    reference: (c) => c.value,
    compile: (c, _n, lo, hi) => plan.constantSchedule(c)(lo, hi),
    primitives: ['constant'],
  }),
  optaxKind<cfg.LinearConfig>(
    'linear_schedule',
    '`init_value` to `end_value` over `transition_steps` from `transition_begin`',
    {
      schema: cfg.linearSchema,
      reference: (c, t) => ref.linear(c)(t),
      compile: (c, _n, lo, hi) => plan.linear(c)(lo, hi),
      primitives: ['kpoly', 'constant'],
    },
  ),
  optaxKind<cfg.PolynomialConfig>('polynomial_schedule', '`(init - end) * (1 - k / transition_steps)^power + end`', {
    schema: cfg.polynomialSchema,
    check: cfg.checkPolynomial,
    divergence: 'a negative power is refused (optax gives inf at the end of the transition)',
    reference: (c, t) => ref.polynomial(c)(t),
    compile: (c, _n, lo, hi) => plan.polynomial(c)(lo, hi),
    primitives: ['kpoly', 'constant'],
  }),
  optaxKind<cfg.CosineDecayConfig>(
    'cosine_decay_schedule',
    '`init * ((1 - alpha) * (0.5 (1 + cos(pi k / decay_steps)))^exponent + alpha)`',
    {
      schema: cfg.cosineDecaySchema,
      check: cfg.checkCosineDecay,
      divergence: 'a negative exponent is refused (optax gives inf at decay_steps)',
      reference: (c, t) => ref.cosineDecay(c)(t),
      compile: (c, _n, lo, hi) => plan.cosineDecay(c)(lo, hi),
      primitives: ['cosine', 'table', 'constant'],
    },
  ),
  optaxKind<cfg.ExponentialConfig>(
    'exponential_decay',
    '`init * decay_rate^((t - begin) / transition_steps)`, optional staircase and end_value clip',
    {
      schema: cfg.exponentialSchema,
      check: cfg.checkExponential,
      divergence: 'a negative decay_rate is refused (optax gives NaN between whole powers)',
      reference: (c, t) => ref.exponentialDecay(c)(t),
      compile: (c, _n, lo, hi) => plan.exponentialDecay(c)(lo, hi),
      primitives: ['exponential', 'constant'],
    },
  ),
  optaxKind<cfg.PiecewiseConstantConfig>(
    'piecewise_constant_schedule',
    '`init_value` times every scale whose step `boundaries_and_scales` has reached',
    {
      schema: cfg.piecewiseConstantSchema,
      check: cfg.checkPiecewiseConstant,
      reference: (c, t) => ref.piecewiseConstant(c)(t),
      compile: (c, _n, lo, hi) => plan.piecewiseConstant(c)(lo, hi),
      primitives: ['levels', 'constant'],
    },
  ),
  optaxKind<cfg.PiecewiseInterpolateConfig>(
    'piecewise_interpolate_schedule',
    'linear or cosine interpolation between the cumulative scaled values',
    {
      schema: cfg.piecewiseInterpolateSchema,
      check: cfg.checkPiecewiseInterpolate,
      reference: (c, t) => ref.piecewiseInterpolate(c)(t),
      compile: (c, _n, lo, hi) => plan.piecewiseInterpolate(c)(lo, hi),
      primitives: ['linear', 'cosine', 'constant'],
    },
  ),
  optaxKind<cfg.WarmupConstantConfig>(
    'warmup_constant_schedule',
    'linear warmup from `init_value` to `peak_value`, then `peak_value`',
    {
      schema: cfg.warmupConstantSchema,
      reference: (c, t) => ref.warmupConstant(c)(t),
      compile: (c, _n, lo, hi) => plan.warmupConstant(c)(lo, hi),
      primitives: ['kpoly', 'constant'],
    },
  ),
  optaxKind<cfg.WarmupCosineConfig>(
    'warmup_cosine_decay_schedule',
    'linear warmup to `peak_value`, cosine decay to `end_value` at `decay_steps` (warmup included)',
    {
      schema: cfg.warmupCosineSchema,
      check: cfg.checkWarmupCosine,
      divergence: 'a negative exponent is refused (optax gives inf at decay_steps)',
      reference: (c, t) => ref.warmupCosine(c)(t),
      compile: (c, _n, lo, hi) => plan.warmupCosine(c)(lo, hi),
      primitives: ['kpoly', 'cosine', 'table', 'constant'],
    },
  ),
  optaxKind<cfg.WarmupExponentialConfig>(
    'warmup_exponential_decay_schedule',
    'linear warmup to `peak_value`, then exponential_decay from it',
    {
      schema: cfg.warmupExponentialSchema,
      check: cfg.checkWarmupExponential,
      divergence: 'a negative decay_rate is refused (optax gives NaN between whole powers)',
      reference: (c, t) => ref.warmupExponential(c)(t),
      compile: (c, _n, lo, hi) => plan.warmupExponential(c)(lo, hi),
      primitives: ['kpoly', 'exponential', 'constant'],
    },
  ),
  optaxKind<cfg.SgdrConfig>(
    'sgdr_schedule',
    'warm restarts: one warmup_cosine_decay_schedule per `cosine_kwargs` entry, back to back',
    {
      schema: cfg.sgdrSchema,
      children: (c: cfg.SgdrConfig): ChildSpec[] =>
        c.cosine_kwargs.map((kwargs: unknown, i: number) => ({
          path: ['cosine_kwargs', i],
          raw: isMapping(kwargs) ? { ...kwargs, kind: WARMUP_COSINE } : kwargs,
          replace(normal: NormalSpec) {
            (c.cosine_kwargs as NormalSpec[])[i] = normal;
          },
        })),
      check: cfg.checkSgdr,
      reference: (c, t) => ref.sgdr(c)(t),
      compile: (c, _n, lo, hi) => plan.sgdr(c)(lo, hi),
      primitives: ['kpoly', 'cosine', 'table', 'constant'],
    },
  ),
  optaxKind<cfg.LinearOnecycleConfig>(
    'linear_onecycle_schedule',
    'linear up to `peak_value` at `pct_start`, down at `pct_final`, then to the final value',
    {
      schema: cfg.linearOnecycleSchema,
      check: cfg.checkLinearOnecycle,
      reference: (c, t) => ref.linearOnecycle(c)(t),
      compile: (c, _n, lo, hi) => plan.linearOnecycle(c)(lo, hi),
      primitives: ['linear', 'constant'],
    },
  ),
  optaxKind<cfg.CosineOnecycleConfig>(
    'cosine_onecycle_schedule',
    'cosine up to `peak_value` at `pct_start`, cosine down to the final value',
    {
      schema: cfg.cosineOnecycleSchema,
      check: cfg.checkCosineOnecycle,
      reference: (c, t) => ref.cosineOnecycle(c)(t),
      compile: (c, _n, lo, hi) => plan.cosineOnecycle(c)(lo, hi),
      primitives: ['cosine', 'constant'],
    },
  ),
  optaxKind<cfg.JoinConfig>(
    'join_schedules',
    '`schedules` (optax specs) switched at `boundaries`, each counting from its boundary',
    {
      schema: cfg.joinSchema,
      children: (c: cfg.JoinConfig): ChildSpec[] =>
        c.schedules.map((s: unknown, i: number) => ({
          path: ['schedules', i],
          raw: s,
          replace(normal: NormalSpec) {
            c.schedules[i] = normal;
          },
          refusesKind: (entry: KindEntry) =>
            entry.framework === 'optax'
              ? null
              : `must be an optax schedule (${entry.shortName} is ${entry.framework}'s)`,
        })),
      check: cfg.checkJoin,
      reference: ref.joinValue,
      compile: plan.compileJoin,
      primitives: ['constant'],
    },
  ),
];
