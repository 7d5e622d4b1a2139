/**
 * torch.optim.lr_scheduler (torch 1.13): one entry per scheduler class, pairing its constructor
 * arguments and checks with the oracle (a step-by-step replay) and the plan compiler (closed forms).
 */
import type * as z from 'zod';
import { defineKind, type ChildSpec, type KindEntry, type NormalSpec, type Refuse } from '../types.js';
import * as cfg from './configs.js';
import * as oracle from './oracle.js';
import * as plan from './compile.js';

const { tq } = cfg;

/** A kind's torch-level halves: its construction on a param group (oracle), its curve from an lr (compiler). */
interface TorchParts<C extends NormalSpec> {
  construct: oracle.Construct<C>;
  curve: plan.Curve<C>;
}

/**
 * Every torch kind's parts by full name. SequentialLR and ChainedScheduler reach their children
 * through them: a child shares its parent's optimizer (a group it writes, an lr it starts from,
 * a restart by step(0)), which the registry's value(spec, step) and compile(spec, range) cannot
 * hand over.
 */
const partsByKind = new Map<string, TorchParts<NormalSpec>>();

function childParts(c: NormalSpec): TorchParts<NormalSpec> {
  const parts = partsByKind.get(c.kind);
  if (!parts) throw new Error(`internal: ${c.kind} is not a torch scheduler`);
  return parts;
}
const buildChild: oracle.BuildChild = (c, group) => childParts(c).construct(c, group, buildChild);
const childCurve: plan.ChildCurve = (c, base, start, lo, hi) => childParts(c).curve(c, base, start, lo, hi, childCurve);

/** Children whose raw spec set base_lr themselves (they share the parent's optimizer: refused). */
const ownBaseLr = new WeakMap<object, number[]>();

/**
 * SequentialLR/ChainedScheduler children: torch schedulers on the parent's optimizer, so they take
 * the parent's base_lr (injected here for their own validation and oracle).
 */
function schedulerChildren(refuses: (entry: KindEntry) => string | null) {
  return (c: cfg.SequentialConfig | cfg.ChainedConfig): ChildSpec[] => {
    const own: number[] = [];
    ownBaseLr.set(c, own);
    return c.schedulers.map((item, i) => {
      if ('base_lr' in item) own.push(i);
      return {
        path: ['schedulers', i],
        raw: 'base_lr' in item ? item : { ...item, base_lr: c.base_lr },
        replace(normal: NormalSpec) {
          c.schedulers[i] = normal;
        },
        refusesKind: (entry: KindEntry) =>
          entry.framework !== 'torch' ? `must be a torch scheduler (${entry.shortName} is not)` : refuses(entry),
      };
    });
  };
}

function refuseOwnBaseLr(c: cfg.SequentialConfig | cfg.ChainedConfig, refuse: Refuse): void {
  for (const i of ownBaseLr.get(c) ?? [])
    refuse(
      ['schedulers', i, 'base_lr'],
      "must not be set: the schedulers share the parent's optimizer, whose lr is the parent's base_lr",
      c.schedulers[i].base_lr,
    );
}

const sequentialRefuses = (entry: KindEntry): string | null => {
  if (entry.kind === tq('ChainedScheduler'))
    return "cannot be a SequentialLR child (torch raises AttributeError: 'ChainedScheduler' object has no attribute 'last_epoch')";
  if (entry.kind === tq('SequentialLR'))
    return 'cannot be nested in a SequentialLR (schedgpu refuses it: torch calls its step(0), a TypeError)';
  if (entry.kind === tq('OneCycleLR') || entry.kind === tq('CyclicLR'))
    return `cannot be a SequentialLR child in schedgpu (${entry.shortName} rewrites the shared optimizer's lr at construction)`;
  return null;
};

const chainedRefuses = (entry: KindEntry): string | null =>
  cfg.MULTIPLICATIVE.has(entry.kind)
    ? null
    : `cannot be chained in schedgpu (${entry.shortName} sets the lr rather than multiplying it, so the chain is no product of factors)`;

function checkSequential(c: cfg.SequentialConfig, refuse: Refuse): void {
  refuseOwnBaseLr(c, refuse);
  if (c.milestones.length !== c.schedulers.length - 1)
    refuse(
      ['milestones'],
      `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${c.schedulers.length} and the number of milestones to be equal to ${c.milestones.length} (ValueError)`,
      c.milestones,
    );
  c.milestones.forEach((m, i) => {
    // torch never restarts a child at such a milestone: the child takes over with plain step()s
    // from the lr it finds, a continuation schedgpu's plan does not model
    if (m < 1)
      refuse(['milestones', i], 'must be >= 1 (schedgpu does not model a child that never gets its step(0))', m);
    if (i > 0 && m < c.milestones[i - 1])
      refuse(
        ['milestones', i],
        `must be >= the milestone before it, ${c.milestones[i - 1]} (schedgpu does not model a child that never gets its step(0))`,
        m,
      );
  });
}

function checkChained(c: cfg.ChainedConfig, refuse: Refuse): void {
  refuseOwnBaseLr(c, refuse);
  if (c.schedulers.length === 0)
    refuse(['schedulers'], 'must list at least one scheduler (torch raises IndexError)', c.schedulers);
}

/** gamma < 0 flips the lr's sign every decay; the GPU's base ** x needs a non-negative base. */
function checkGamma(c: { gamma: number }, refuse: Refuse): void {
  if (c.gamma < 0) refuse(['gamma'], 'must be >= 0 (schedgpu refuses a negative gamma)', c.gamma);
}

/**
 * A torch entry: the schema, checks, oracle and compiler all typed with C. A top-level scheduler is
 * constructed on an optimizer with lr = base_lr ('fresh').
 */
function kind<C extends NormalSpec & { base_lr: number }>(
  name: string,
  summary: string,
  schema: z.ZodType<C>,
  primitives: string[],
  parts: TorchParts<C>,
  extra: Pick<Partial<KindEntry<C>>, 'check' | 'children' | 'divergence'> = {},
): KindEntry {
  // erased here only: a child reaches these parts through its own kind, so it is a C
  partsByKind.set(tq(name), parts as unknown as TorchParts<NormalSpec>);
  return defineKind<C>({
    kind: tq(name),
    shortName: name,
    framework: 'torch',
    summary,
    schema,
    strictKeys: true,
    reference: (c, step) => oracle.torchValue(c, step, parts.construct, buildChild),
    compile: (c, _total, lo, hi) => parts.curve(c, c.base_lr, 'fresh', lo, hi, childCurve),
    primitives,
    ...extra,
  });
}

const INTEGER_COUNTS = 'step counts must be integers (torch would take floats)';
const counts = { divergence: INTEGER_COUNTS };

export const TORCH_KINDS: readonly KindEntry[] = [
  kind(
    'StepLR',
    '`base_lr * gamma ** (t // step_size)`',
    cfg.stepSchema,
    ['exponential', 'constant'],
    { construct: oracle.stepLR, curve: plan.stepLR },
    {
      check: checkGamma,
      divergence: `negative gamma refused; ${INTEGER_COUNTS}`,
    },
  ),
  kind(
    'MultiStepLR',
    '`gamma ** copies` at each milestone (duplicates apply per copy)',
    cfg.multiStepSchema,
    ['levels', 'constant'],
    { construct: oracle.multiStepLR, curve: plan.multiStepLR },
    counts,
  ),
  kind(
    'ConstantLR',
    '`base_lr * factor` until `total_iters`, then `base_lr`',
    cfg.constantSchema,
    ['constant'],
    { construct: oracle.constantLR, curve: plan.constantLR },
    {
      check: cfg.checkConstant,
      ...counts,
    },
  ),
  kind(
    'LinearLR',
    'linear factor from `start_factor` to `end_factor` over `total_iters`',
    cfg.linearSchema,
    ['linear', 'constant'],
    { construct: oracle.linearLR, curve: plan.linearLR },
    { check: cfg.checkLinear, ...counts },
  ),
  kind(
    'ExponentialLR',
    '`base_lr * gamma ** t`',
    cfg.exponentialSchema,
    ['exponential'],
    { construct: oracle.exponentialLR, curve: plan.exponentialLR },
    {
      check: checkGamma,
      divergence: 'negative gamma refused',
    },
  ),
  kind(
    'PolynomialLR',
    '`base_lr * (1 - t / total_iters) ** power`, then held',
    cfg.polynomialSchema,
    ['polynomial', 'constant'],
    { construct: oracle.polynomialLR, curve: plan.polynomialLR },
    counts,
  ),
  kind(
    'CosineAnnealingLR',
    '`eta_min + (base_lr - eta_min)(1 + cos(pi t / T_max)) / 2`, periodic past `T_max`',
    cfg.cosineSchema,
    ['cosine', 'constant'],
    { construct: oracle.cosineAnnealingLR, curve: plan.cosineAnnealingLR },
    counts,
  ),
  kind(
    'CosineAnnealingWarmRestarts',
    'cosine from `base_lr` to `eta_min` restarting after `T_0 * T_mult ** i` steps',
    cfg.warmRestartsSchema,
    ['cosine', 'constant'],
    { construct: oracle.cosineAnnealingWarmRestarts, curve: plan.cosineAnnealingWarmRestarts },
    { check: cfg.checkWarmRestarts },
  ),
  kind(
    'CyclicLR',
    'triangle between `base_lr` and `max_lr` (`mode` triangular, triangular2, exp_range)',
    cfg.cyclicSchema,
    ['linear', 'rampexp', 'table'],
    { construct: oracle.cyclicLR, curve: plan.cyclicLR },
    {
      check: cfg.checkCyclic,
      divergence:
        'scale_fn (a callable) cannot be given; negative step sizes refused; fractional step sizes and cycles under 16 steps compile to a per-step table',
    },
  ),
  kind(
    'OneCycleLR',
    'warmup from `max_lr / div_factor` to `max_lr`, anneal to `initial / final_div_factor` (`three_phase`); `base_lr` optional (torch overwrites the optimizer\'s lr)',
    cfg.oneCycleSchema,
    ['cosine', 'linear', 'table'],
    { construct: oracle.oneCycleLR, curve: plan.oneCycleLR },
    {
      check: cfg.checkOneCycle,
      divergence:
        'integral floats pass as ints (pct_start 0, total_steps 10.0); a cosine phase running backwards (three_phase, pct_start > 0.5) compiles to a per-step table',
    },
  ),
  kind(
    'SequentialLR',
    '`schedulers` one after another, each restarted at its milestone',
    cfg.sequentialSchema,
    ['constant'],
    { construct: oracle.sequentialLR, curve: plan.sequentialLR },
    {
      children: schedulerChildren(sequentialRefuses),
      check: checkSequential,
      divergence:
        'milestones must be >= 1 and non-decreasing (torch takes 0 or a smaller one, handing over with plain steps); OneCycleLR, CyclicLR and nested SequentialLR children refused',
    },
  ),
  kind(
    'ChainedScheduler',
    'product of the factors of `schedulers`',
    cfg.chainedSchema,
    ['constant'],
    { construct: oracle.chainedScheduler, curve: plan.chainedScheduler },
    {
      children: schedulerChildren(chainedRefuses),
      check: checkChained,
      divergence:
        'only multiplicative schedulers (StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, ChainedScheduler) can be chained',
    },
  ),
];
