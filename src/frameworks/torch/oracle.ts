/**
 * The oracle for torch.optim.lr_scheduler (torch 1.13): the schedulers replayed step by step on one
 * SGD param group, with their recursive ("chainable") get_lr and their closed forms exactly where
 * torch uses them (scheduler.step(0) inside SequentialLR). Written to be read side by side with
 * torch/optim/lr_scheduler.py; the replay is memoised per spec, since a value depends on every step
 * before it. value(t) = the group's lr after construction and t calls of step().
 */
import type * as cfg from './configs.js';
import type { NormalSpec } from '../types.js';
import { FrameworkError, pyPow } from '../python.js';

/** The optimizer's one param group, as the schedulers read and write it. */
export interface Group {
  lr: number;
  initial_lr?: number;
  max_lr?: number;
  min_lr?: number;
}

// Python's arithmetic where it raises instead of returning Infinity or NaN
const floatDiv = (a: number, b: number) => {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'float division by zero');
  return a / b;
};
const intDiv = (a: number, b: number) => {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'division by zero');
  return a / b;
};
const intMod = (a: number, b: number) => {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'integer modulo by zero');
  return ((a % b) + b) % b;
};
const intFloorDiv = (a: number, b: number) => {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'integer division or modulo by zero');
  return Math.floor(a / b);
};
const bisectRight = (sorted: readonly number[], x: number) => sorted.filter((m) => m <= x).length;

export interface Stepper {
  step(epoch?: number): void;
}

/** _LRScheduler: construction sets initial_lr (if unset), takes it as base_lr and steps once. */
abstract class Scheduler implements Stepper {
  lastEpoch = -1;
  baseLr = 0;
  stepCount = 0;
  constructor(readonly group: Group) {}

  protected init(): void {
    if (this.group.initial_lr === undefined) this.group.initial_lr = this.group.lr;
    this.baseLr = this.group.initial_lr;
    this.initialStep();
  }

  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  step(epoch?: number): void {
    this.stepCount += 1;
    let lr: number;
    if (epoch === undefined) {
      this.lastEpoch += 1;
      lr = this.getLr();
    } else {
      this.lastEpoch = epoch;
      lr = this.closedForm ? this.closedForm() : this.getLr();
    }
    this.group.lr = lr;
  }

  abstract getLr(): number;
  closedForm?(): number;
}

class StepLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.StepConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    const e = this.lastEpoch;
    if (e === 0 || intMod(e, this.c.step_size) !== 0) return this.group.lr;
    return this.group.lr * this.c.gamma;
  }
  override closedForm() {
    return this.baseLr * pyPow(this.c.gamma, intFloorDiv(this.lastEpoch, this.c.step_size));
  }
}

class MultiStepLR extends Scheduler {
  readonly counts = new Map<number, number>();
  constructor(
    group: Group,
    readonly c: cfg.MultiStepConfig,
  ) {
    super(group);
    for (const m of c.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.init();
  }
  getLr() {
    const n = this.counts.get(this.lastEpoch);
    if (n === undefined) return this.group.lr;
    return this.group.lr * pyPow(this.c.gamma, n);
  }
  override closedForm() {
    const sorted = [...this.c.milestones].sort((a, b) => a - b);
    return this.baseLr * pyPow(this.c.gamma, bisectRight(sorted, this.lastEpoch));
  }
}

class ConstantLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.ConstantConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    if (this.lastEpoch === 0) return this.group.lr * this.c.factor;
    if (this.lastEpoch !== this.c.total_iters) return this.group.lr;
    return this.group.lr * floatDiv(1, this.c.factor);
  }
  override closedForm() {
    const f = this.c.factor;
    return this.baseLr * (f + (this.lastEpoch >= this.c.total_iters ? 1 : 0) * (1 - f));
  }
}

class LinearLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.LinearConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    const { start_factor: s, end_factor: e, total_iters: n } = this.c;
    if (this.lastEpoch === 0) return this.group.lr * s;
    if (this.lastEpoch > n) return this.group.lr;
    return this.group.lr * (1 + floatDiv(e - s, n * s + (this.lastEpoch - 1) * (e - s)));
  }
  override closedForm() {
    const { start_factor: s, end_factor: e, total_iters: n } = this.c;
    return this.baseLr * (s + floatDiv((e - s) * Math.min(n, this.lastEpoch), n));
  }
}

class ExponentialLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.ExponentialConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    if (this.lastEpoch === 0) return this.group.lr;
    return this.group.lr * this.c.gamma;
  }
  override closedForm() {
    return this.baseLr * pyPow(this.c.gamma, this.lastEpoch);
  }
}

class PolynomialLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.PolynomialConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    const { total_iters: n, power } = this.c;
    const e = this.lastEpoch;
    if (e === 0 || e > n) return this.group.lr;
    const decay = pyPow(floatDiv(1 - intDiv(e, n), 1 - intDiv(e - 1, n)), power);
    return this.group.lr * decay;
  }
  override closedForm() {
    const { total_iters: n, power } = this.c;
    return this.baseLr * pyPow(1 - intDiv(Math.min(n, this.lastEpoch), n), power);
  }
}

class CosineAnnealingLR extends Scheduler {
  constructor(
    group: Group,
    readonly c: cfg.CosineConfig,
  ) {
    super(group);
    this.init();
  }
  getLr() {
    const { T_max: T, eta_min: eta } = this.c;
    const e = this.lastEpoch;
    const lr = this.group.lr;
    if (e === 0) return lr;
    if (this.stepCount === 1 && e > 0)
      return eta + ((this.baseLr - eta) * (1 + Math.cos(floatDiv(e * Math.PI, T)))) / 2;
    if (intMod(e - 1 - T, 2 * T) === 0) return lr + ((this.baseLr - eta) * (1 - Math.cos(floatDiv(Math.PI, T)))) / 2;
    const ratio = floatDiv(1 + Math.cos(floatDiv(Math.PI * e, T)), 1 + Math.cos(floatDiv(Math.PI * (e - 1), T)));
    return ratio * (lr - eta) + eta;
  }
  override closedForm() {
    const { T_max: T, eta_min: eta } = this.c;
    return eta + ((this.baseLr - eta) * (1 + Math.cos(floatDiv(Math.PI * this.lastEpoch, T)))) / 2;
  }
}

/** CosineAnnealingWarmRestarts keeps T_cur/T_i and overrides step(epoch). */
class CosineAnnealingWarmRestarts extends Scheduler {
  tCur: number;
  tI: number;
  constructor(
    group: Group,
    readonly c: cfg.WarmRestartsConfig,
  ) {
    super(group);
    this.tI = c.T_0;
    this.tCur = -1;
    this.init();
  }
  getLr() {
    const eta = this.c.eta_min;
    return eta + ((this.baseLr - eta) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2;
  }
  override step(epoch?: number): void {
    const { T_0, T_mult } = this.c;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= T_mult;
      }
    } else if (epoch >= T_0) {
      if (T_mult === 1) this.tCur = epoch % T_0;
      else {
        const n = Math.trunc(Math.log((epoch / T_0) * (T_mult - 1) + 1) / Math.log(T_mult));
        this.tCur = epoch - (T_0 * (T_mult ** n - 1)) / (T_mult - 1);
        this.tI = T_0 * T_mult ** n;
      }
    } else {
      this.tI = T_0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.group.lr = this.getLr();
  }
}

/** CyclicLR sets the group's lr to its own base_lr before the base class reads it. */
class CyclicLR extends Scheduler {
  readonly totalSize: number;
  readonly stepRatio: number;
  constructor(
    group: Group,
    readonly c: cfg.CyclicConfig,
  ) {
    super(group);
    group.lr = c.base_lr;
    const up = c.step_size_up;
    const down = c.step_size_down ?? up;
    this.totalSize = up + down;
    this.stepRatio = floatDiv(up, this.totalSize);
    if (!['triangular', 'triangular2', 'exp_range'].includes(c.mode))
      throw new FrameworkError('ValueError', 'mode is invalid and scale_fn is None');
    this.init();
    this.baseLr = c.base_lr;
  }
  getLr() {
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + e / this.totalSize);
    const x = 1 + e / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? floatDiv(x, this.stepRatio) : floatDiv(x - 1, this.stepRatio - 1);
    const baseHeight = (this.c.max_lr - this.baseLr) * scaleFactor;
    if (this.c.mode === 'triangular') return this.baseLr + baseHeight * 1;
    if (this.c.mode === 'triangular2') return this.baseLr + baseHeight * floatDiv(1, pyPow(2, cycle - 1));
    return this.baseLr + baseHeight * pyPow(this.c.gamma, e);
  }
}

/** OneCycleLR writes initial_lr, max_lr and min_lr into the group and reads them back at every step. */
class OneCycleLR extends Scheduler {
  readonly phases: { end: number; from: 'initial_lr' | 'max_lr'; to: 'initial_lr' | 'max_lr' | 'min_lr' }[];
  readonly totalSteps: number;
  constructor(
    group: Group,
    readonly c: cfg.OneCycleConfig,
  ) {
    super(group);
    this.totalSteps = c.total_steps ?? (c.epochs as number) * (c.steps_per_epoch as number);
    const T = this.totalSteps;
    this.phases = c.three_phase
      ? [
          { end: c.pct_start * T - 1, from: 'initial_lr', to: 'max_lr' },
          { end: 2 * c.pct_start * T - 2, from: 'max_lr', to: 'initial_lr' },
          { end: T - 1, from: 'initial_lr', to: 'min_lr' },
        ]
      : [
          { end: c.pct_start * T - 1, from: 'initial_lr', to: 'max_lr' },
          { end: T - 1, from: 'max_lr', to: 'min_lr' },
        ];
    group.initial_lr = floatDiv(c.max_lr, c.div_factor);
    group.max_lr = c.max_lr;
    group.min_lr = floatDiv(group.initial_lr, c.final_div_factor);
    this.init();
  }
  getLr() {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps)
      throw new FrameworkError(
        'ValueError',
        `Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (stepNum <= phase.end || i === this.phases.length - 1) {
        const pct = floatDiv(stepNum - start, phase.end - start);
        const from = this.group[phase.from] as number;
        const to = this.group[phase.to] as number;
        if (this.c.anneal_strategy === 'cos') return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
        return (to - from) * pct + from;
      }
      start = phase.end;
    }
    throw new Error('internal: no OneCycleLR phase');
  }
}

/** SequentialLR: resets the lr, undoes the children's first step, restarts children at milestones. */
class SequentialLR implements Stepper {
  lastEpoch = 0;
  constructor(
    readonly group: Group,
    readonly children: Stepper[],
    readonly milestones: number[],
  ) {
    if (milestones.length !== children.length - 1)
      throw new FrameworkError(
        'ValueError',
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${children.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    group.lr = group.initial_lr as number;
    for (const child of children) {
      if (!(child instanceof Scheduler || child instanceof SequentialLR))
        throw new FrameworkError('AttributeError', "'ChainedScheduler' object has no attribute 'last_epoch'");
      child.lastEpoch -= 1;
    }
    const first = children[0];
    if (first instanceof Scheduler) first.initialStep();
    else first.step();
  }
  initialStep(): void {
    this.step();
  }
  step(epoch?: number): void {
    if (epoch !== undefined)
      throw new FrameworkError('TypeError', 'step() takes 1 positional argument but 2 were given');
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const child = this.children[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) child.step(0);
    else child.step();
  }
}

/** ChainedScheduler: steps every child in order; no reset, no step at construction. */
class ChainedScheduler implements Stepper {
  constructor(readonly children: Stepper[]) {
    if (children.length === 0) throw new FrameworkError('IndexError', 'list index out of range');
  }
  step(epoch?: number): void {
    if (epoch !== undefined)
      throw new FrameworkError('TypeError', 'step() takes 1 positional argument but 2 were given');
    for (const child of this.children) child.step();
  }
}

/**
 * Builds a SequentialLR/ChainedScheduler child on the shared group
 * (kinds.ts, which knows every kind, supplies it).
 */
export type BuildChild = (c: NormalSpec, group: Group) => Stepper;

/**
 * One kind's oracle: construct its scheduler on `group` as torch would (a composite builds its
 * children first, in list order, on the same group).
 */
export type Construct<C extends NormalSpec> = (c: C, group: Group, buildChild: BuildChild) => Stepper;

export const stepLR: Construct<cfg.StepConfig> = (c, group) => new StepLR(group, c);
export const multiStepLR: Construct<cfg.MultiStepConfig> = (c, group) => new MultiStepLR(group, c);
export const constantLR: Construct<cfg.ConstantConfig> = (c, group) => new ConstantLR(group, c);
export const linearLR: Construct<cfg.LinearConfig> = (c, group) => new LinearLR(group, c);
export const exponentialLR: Construct<cfg.ExponentialConfig> = (c, group) => new ExponentialLR(group, c);
export const polynomialLR: Construct<cfg.PolynomialConfig> = (c, group) => new PolynomialLR(group, c);
export const cosineAnnealingLR: Construct<cfg.CosineConfig> = (c, group) => new CosineAnnealingLR(group, c);
export const cosineAnnealingWarmRestarts: Construct<cfg.WarmRestartsConfig> = (c, group) =>
  new CosineAnnealingWarmRestarts(group, c);
export const cyclicLR: Construct<cfg.CyclicConfig> = (c, group) => new CyclicLR(group, c);
export const oneCycleLR: Construct<cfg.OneCycleConfig> = (c, group) => new OneCycleLR(group, c);
export const sequentialLR: Construct<cfg.SequentialConfig> = (c, group, buildChild) =>
  new SequentialLR(
    group,
    c.schedulers.map((child) => buildChild(child, group)),
    c.milestones,
  );
export const chainedScheduler: Construct<cfg.ChainedConfig> = (c, group, buildChild) =>
  new ChainedScheduler(c.schedulers.map((child) => buildChild(child, group)));

/** The lr after construction and each step, extended on demand; the first exception ends it. */
class Replay {
  readonly values: number[] = [];
  error: FrameworkError | null = null;
  private stepper: Stepper | null = null;
  private readonly group: Group;
  constructor(
    optimizerLr: number,
    private readonly construct: (group: Group) => Stepper,
  ) {
    this.group = { lr: optimizerLr };
  }
  at(step: number): number {
    while (this.values.length <= step && this.error === null) {
      try {
        if (this.stepper === null) this.stepper = this.construct(this.group);
        else this.stepper.step();
        this.values.push(this.group.lr);
      } catch (e) {
        if (!(e instanceof FrameworkError)) throw e;
        this.error = e;
      }
    }
    if (step < this.values.length) return this.values[step];
    throw this.error as FrameworkError;
  }
}

const replays = new WeakMap<object, Replay>();

/**
 * The lr after construction of `c` (by `construct`, its kind's oracle) on an SGD optimizer with
 * lr = base_lr and `step` calls of scheduler.step() (torch never sees the run's length).
 */
export function torchValue<C extends NormalSpec & { base_lr: number }>(
  c: C,
  step: number,
  construct: Construct<C>,
  buildChild: BuildChild,
): number {
  let replay = replays.get(c);
  if (!replay) replays.set(c, (replay = new Replay(c.base_lr, (group) => construct(c, group, buildChild))));
  return replay.at(step);
}
