/**
 * torch.optim.lr_scheduler (torch 1.13) configs: each scheduler's constructor arguments with
 * torch's names and defaults, plus `base_lr`, the lr of the SGD optimizer the scheduler wraps.
 * Constructors take plain Python values, so fields take numbers as given (no string coercion) and
 * unknown keywords are refused (TypeError). The checks are the constructors' own, in their order.
 */
import * as z from 'zod';
import { Shown } from '../../errors.js';
import { optimizerLr, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const TORCH = 'torch.optim.lr_scheduler';
export const tq = (name: string) => `${TORCH}.${name}`;

const bool = () => z.boolean({ error: 'must be true or false' });

/** Shared by every scheduler: the optimizer's lr, and torch's resume arguments at their defaults only. */
const common = {
  kind: z.string(),
  base_lr: optimizerLr(),
  last_epoch: z.literal(-1, { error: 'only the default -1 is supported (a fresh scheduler)' }).default(-1),
  verbose: z.literal(false, { error: 'only the default false is supported' }).default(false),
};

export const stepSchema = z.strictObject({ ...common, step_size: strictInt(), gamma: strictFloat().default(0.1) });
export const multiStepSchema = z.strictObject({
  ...common,
  milestones: z.array(strictInt(), { error: 'must be a list of integer steps' }),
  gamma: strictFloat().default(0.1),
});
export const constantSchema = z.strictObject({
  ...common,
  factor: strictFloat().default(1 / 3),
  total_iters: strictInt().default(5),
});
export const linearSchema = z.strictObject({
  ...common,
  start_factor: strictFloat().default(1 / 3),
  end_factor: strictFloat().default(1),
  total_iters: strictInt().default(5),
});
export const exponentialSchema = z.strictObject({ ...common, gamma: strictFloat() });
export const polynomialSchema = z.strictObject({
  ...common,
  total_iters: strictInt().default(5),
  power: strictFloat().default(1),
});
export const cosineSchema = z.strictObject({ ...common, T_max: strictInt(), eta_min: strictFloat().default(0) });
// T_0/T_mult are checked by the constructor itself (isinstance int), with its messages
export const warmRestartsSchema = z.strictObject({
  ...common,
  T_0: strictFloat(),
  T_mult: strictFloat().default(1),
  eta_min: strictFloat().default(0),
});
export const cyclicSchema = z.strictObject({
  ...common,
  max_lr: strictFloat(),
  step_size_up: strictFloat().default(2000),
  step_size_down: strictFloat().nullable().default(null),
  mode: z.string({ error: 'must be a string' }).default('triangular'),
  gamma: strictFloat().default(1),
  scale_fn: z.null({ error: 'cannot be given in a spec (it is a Python callable); use mode' }).default(null),
  // torch replaces scale_mode by the mode's own when scale_fn is None (always, in a spec file)
  scale_mode: z.string({ error: 'must be a string' }).default('cycle'),
  cycle_momentum: bool().default(true),
  base_momentum: strictFloat().default(0.8),
  max_momentum: strictFloat().default(0.9),
});
export const oneCycleSchema = z.strictObject({
  ...common,
  // OneCycleLR sets the optimizer's lr to max_lr / div_factor at construction: no value reads it
  base_lr: optimizerLr().default(0),
  max_lr: strictFloat(),
  total_steps: strictFloat().nullable().default(null),
  epochs: strictFloat().nullable().default(null),
  steps_per_epoch: strictFloat().nullable().default(null),
  pct_start: strictFloat().default(0.3),
  anneal_strategy: z.string({ error: 'must be a string' }).default('cos'),
  cycle_momentum: bool().default(true),
  base_momentum: strictFloat().default(0.85),
  max_momentum: strictFloat().default(0.95),
  div_factor: strictFloat().default(25),
  final_div_factor: strictFloat().default(1e4),
  three_phase: bool().default(false),
});
// any mapping passes here: validateSpec then checks it as a spec of its own and the kind's
// children() puts the normalized spec in its place, which is what the config holds from then on
const schedulerSlot = z
  .looseObject({}, { error: 'must be a scheduler spec (a mapping with a kind)' })
  .pipe(z.custom<NormalSpec>());
export const sequentialSchema = z.strictObject({
  ...common,
  schedulers: z.array(schedulerSlot, { error: 'must be a list of scheduler specs' }),
  milestones: z.array(strictInt(), { error: 'must be a list of integer steps' }),
});
export const chainedSchema = z.strictObject({
  kind: z.string(),
  base_lr: optimizerLr(),
  schedulers: z.array(schedulerSlot, { error: 'must be a list of scheduler specs' }),
});

type Out<S extends z.ZodType> = z.output<S> & NormalSpec;
export type StepConfig = Out<typeof stepSchema>;
export type MultiStepConfig = Out<typeof multiStepSchema>;
export type ConstantConfig = Out<typeof constantSchema>;
export type LinearConfig = Out<typeof linearSchema>;
export type ExponentialConfig = Out<typeof exponentialSchema>;
export type PolynomialConfig = Out<typeof polynomialSchema>;
export type CosineConfig = Out<typeof cosineSchema>;
export type WarmRestartsConfig = Out<typeof warmRestartsSchema>;
export type CyclicConfig = Out<typeof cyclicSchema>;
export type OneCycleConfig = Out<typeof oneCycleSchema>;
export type SequentialConfig = Out<typeof sequentialSchema>;
export type ChainedConfig = Out<typeof chainedSchema>;

/** Python's repr of a number, for torch's messages (`0.0`, `3`). */
export function pyRepr(v: number, float = false): string {
  if (Number.isInteger(v) && (float || Math.abs(v) >= 1e16)) return Math.abs(v) >= 1e16 ? String(v) : `${v}.0`;
  return String(v);
}

export function checkConstant(c: ConstantConfig, refuse: Refuse): void {
  if (c.factor > 1 || c.factor < 0)
    refuse(['factor'], 'Constant multiplicative factor expected to be between 0 and 1 (ValueError)', c.factor);
}

export function checkLinear(c: LinearConfig, refuse: Refuse): void {
  if (c.start_factor > 1 || c.start_factor < 0)
    refuse(
      ['start_factor'],
      'Starting multiplicative factor expected to be between 0 and 1 (ValueError)',
      c.start_factor,
    );
  if (c.end_factor > 1 || c.end_factor < 0)
    refuse(['end_factor'], 'Ending multiplicative factor expected to be between 0 and 1 (ValueError)', c.end_factor);
}

export function checkWarmRestarts(c: WarmRestartsConfig, refuse: Refuse): void {
  if (c.T_0 <= 0 || !Number.isInteger(c.T_0))
    refuse(['T_0'], `Expected positive integer T_0, but got ${pyRepr(c.T_0)} (ValueError)`, c.T_0);
  if (c.T_mult < 1 || !Number.isInteger(c.T_mult))
    refuse(['T_mult'], `Expected integer T_mult >= 1, but got ${pyRepr(c.T_mult)} (ValueError)`, c.T_mult);
}

/** CyclicLR.__init__, then its first get_lr (at construction): step_size_up 0 divides 0 by 0. */
export function checkCyclic(c: CyclicConfig, refuse: Refuse): void {
  const up = c.step_size_up;
  const down = c.step_size_down ?? up;
  if (up < 0) refuse(['step_size_up'], 'must be >= 0 (schedgpu refuses negative cycle lengths)', up);
  if (down < 0) refuse(['step_size_down'], 'must be >= 0 (schedgpu refuses negative cycle lengths)', down);
  if (up + down === 0)
    refuse(
      ['step_size_up'],
      'makes the cycle empty: torch divides by it (ZeroDivisionError: float division by zero)',
      up,
    );
  if (!['triangular', 'triangular2', 'exp_range'].includes(c.mode))
    refuse(['mode'], 'mode is invalid and scale_fn is None (ValueError)', c.mode);
  if (up === 0)
    refuse(['step_size_up'], 'is 0: the first get_lr divides by it (ZeroDivisionError: float division by zero)', up);
}

/** OneCycleLR.__init__'s checks in its order, then the phase arithmetic of its first get_lr. */
export function checkOneCycle(c: OneCycleConfig, refuse: Refuse): void {
  if (c.total_steps === null && c.epochs === null && c.steps_per_epoch === null)
    refuse([], 'You must define either total_steps OR (epochs AND steps_per_epoch) (ValueError)', new Shown('none'));
  if (c.total_steps !== null) {
    if (c.total_steps <= 0 || !Number.isInteger(c.total_steps))
      refuse(
        ['total_steps'],
        `Expected positive integer total_steps, but got ${pyRepr(c.total_steps)} (ValueError)`,
        c.total_steps,
      );
  } else {
    if (c.epochs === null)
      refuse(['epochs'], 'is required with steps_per_epoch (torch compares None: TypeError)', null);
    if (c.epochs <= 0 || !Number.isInteger(c.epochs))
      refuse(['epochs'], `Expected positive integer epochs, but got ${pyRepr(c.epochs)} (ValueError)`, c.epochs);
    if (c.steps_per_epoch === null)
      refuse(['steps_per_epoch'], 'is required with epochs (torch compares None: TypeError)', null);
    if (c.steps_per_epoch <= 0 || !Number.isInteger(c.steps_per_epoch))
      refuse(
        ['steps_per_epoch'],
        `Expected positive integer steps_per_epoch, but got ${pyRepr(c.steps_per_epoch)} (ValueError)`,
        c.steps_per_epoch,
      );
  }
  if (c.pct_start < 0 || c.pct_start > 1)
    refuse(
      ['pct_start'],
      `Expected float between 0 and 1 pct_start, but got ${pyRepr(c.pct_start)} (ValueError)`,
      c.pct_start,
    );
  if (c.anneal_strategy !== 'cos' && c.anneal_strategy !== 'linear')
    refuse(
      ['anneal_strategy'],
      `anneal_strategy must by one of 'cos' or 'linear', instead got ${c.anneal_strategy} (ValueError)`,
      c.anneal_strategy,
    );
  if (c.div_factor === 0) refuse(['div_factor'], 'divides max_lr (ZeroDivisionError: float division by zero)', 0);
  if (c.final_div_factor === 0)
    refuse(['final_div_factor'], 'divides the initial lr (ZeroDivisionError: float division by zero)', 0);
  const first = oneCyclePhaseAt(oneCyclePhases(c), 0);
  if (first.end - first.start === 0)
    refuse(
      ['pct_start'],
      'makes the phase of step 0 empty: the first get_lr divides 0 by 0 (ZeroDivisionError: float division by zero)',
      c.pct_start,
    );
}

/** The phase get_lr picks at `step`: the first whose end_step >= step, else the last. */
export function oneCyclePhaseAt(phases: readonly OneCyclePhase[], step: number): OneCyclePhase {
  return phases.find((p, i) => step <= p.end || i === phases.length - 1)!;
}

export function oneCycleTotal(c: OneCycleConfig): number {
  return c.total_steps ?? (c.epochs as number) * (c.steps_per_epoch as number);
}

export interface OneCyclePhase {
  /** torch's start_step (the previous phase's end_step) and end_step, floats as torch computes them. */
  start: number;
  end: number;
  startLr: number;
  endLr: number;
  /** Integer steps at which get_lr picks this phase: [first, last] (empty when last < first). */
  first: number;
  last: number;
}

/**
 * OneCycleLR's phases: end steps float(pct * total) - 1 (and 2 pct total - 2 with three_phase),
 * total - 1; get_lr takes the first phase whose end_step >= step (the last one past the end).
 */
export function oneCyclePhases(c: OneCycleConfig): OneCyclePhase[] {
  const total = oneCycleTotal(c);
  const initial = c.max_lr / c.div_factor;
  const min = initial / c.final_div_factor;
  const raw: [number, number, number][] = c.three_phase
    ? [
        [c.pct_start * total - 1, initial, c.max_lr],
        [2 * c.pct_start * total - 2, c.max_lr, initial],
        [total - 1, initial, min],
      ]
    : [
        [c.pct_start * total - 1, initial, c.max_lr],
        [total - 1, c.max_lr, min],
      ];
  let before = -Infinity;
  return raw.map(([end, startLr, endLr], i) => {
    const start = i === 0 ? 0 : raw[i - 1][0];
    const first = i === 0 ? 0 : Math.max(0, Math.floor(before) + 1);
    const last = i === raw.length - 1 ? total : Math.floor(end);
    before = Math.max(before, end);
    return { start, end, startLr, endLr, first, last };
  });
}

/** Multiplicative schedulers: their get_lr multiplies the shared lr, so they compose in a ChainedScheduler. */
export const MULTIPLICATIVE = new Set(
  ['StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'PolynomialLR', 'ChainedScheduler'].map(tq),
);
