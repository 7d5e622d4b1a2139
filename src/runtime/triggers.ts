/**
 * Triggers that run callbacks at intervals inside a training loop: PAMIQ's step- and time-interval
 * schedulers (update() each step) and noether's PeriodicCallback checks (afterUpdate/afterEpoch
 * with an UpdateCounter). Their firing steps are the ones the trigger kinds evaluate in batch.
 */
import { SpecError } from '../errors.js';
import type { UpdateCounter } from './counter.js';

export type Callback = () => void;

/** Callback registration shared by the triggers (PAMIQ's Scheduler base). */
abstract class CallbackList<C extends (...args: never[]) => void> {
  protected readonly callbacks: C[];

  constructor(callbacks: Iterable<C> = []) {
    this.callbacks = [...callbacks];
  }

  registerCallback(callback: C): void {
    this.callbacks.push(callback);
  }

  /** Remove a callback; like PAMIQ, removing one that is not registered is an error. */
  removeCallback(callback: C): void {
    const i = this.callbacks.indexOf(callback);
    if (i < 0) throw new Error('removeCallback: the callback is not registered');
    this.callbacks.splice(i, 1);
  }
}

/** PAMIQ's StepIntervalScheduler: update() counts a step and runs the callbacks every `interval` steps. */
export class StepIntervalTrigger extends CallbackList<Callback> {
  private stepsSinceLastCall = 0;

  constructor(
    readonly interval: number,
    callbacks?: Iterable<Callback>,
  ) {
    super(callbacks);
    if (!(interval > 0)) throw new SpecError('interval', 'must be positive', interval);
  }

  isAvailable(): boolean {
    return this.stepsSinceLastCall >= this.interval;
  }

  /** Count a step; returns whether the callbacks ran. */
  update(): boolean {
    this.stepsSinceLastCall += 1;
    const available = this.isAvailable();
    if (available) for (const cb of this.callbacks) cb();
    if (this.isAvailable()) this.stepsSinceLastCall = 0;
    return available;
  }

  stateDict(): { stepsSinceLastCall: number } {
    return { stepsSinceLastCall: this.stepsSinceLastCall };
  }

  loadStateDict(state: { stepsSinceLastCall: number }): void {
    this.stepsSinceLastCall = state.stepsSinceLastCall;
  }
}

/**
 * PAMIQ's TimeIntervalScheduler: update() runs the callbacks when more than `interval` seconds
 * passed since the last run, or since construction before the first (as pamiq-core >= 0.5). The
 * clock (seconds) is injectable; like PAMIQ it is read once to decide and again, after the
 * callbacks, to restart the interval.
 */
export class TimeIntervalTrigger extends CallbackList<Callback> {
  private previous: number;
  private readonly clock: () => number;

  constructor(
    readonly interval: number,
    callbacks?: Iterable<Callback>,
    options: { clock?: () => number } = {},
  ) {
    super(callbacks);
    if (!(interval >= 0)) throw new SpecError('interval', 'must be >= 0 seconds', interval);
    this.clock = options.clock ?? (() => performance.now() / 1000);
    this.previous = this.clock();
  }

  isAvailable(): boolean {
    return this.clock() - this.previous > this.interval;
  }

  update(): boolean {
    const available = this.isAvailable();
    if (available) for (const cb of this.callbacks) cb();
    if (this.isAvailable()) this.previous = this.clock();
    return available;
  }
}

export type IntervalType = 'epoch' | 'update' | 'sample';
export type PeriodicCallbackFn = (event: { intervalType: IntervalType; counter: UpdateCounter }) => void;

export interface PeriodicOptions {
  everyNEpochs?: number;
  everyNUpdates?: number;
  everyNSamples?: number;
  /** Effective batch size (needed with everyNSamples). */
  batchSize?: number;
  updatesPerEpoch?: number;
}

/** noether's PeriodicCallback interval logic, with callbacks. */
export class PeriodicTrigger extends CallbackList<PeriodicCallbackFn> {
  readonly everyNEpochs: number | null;
  readonly everyNUpdates: number | null;
  readonly everyNSamples: number | null;
  /** Optional: the counter carries both; when given they must match it (catches a mis-wired loop). */
  readonly batchSize: number | null;
  readonly updatesPerEpoch: number | null;

  constructor(options: PeriodicOptions, callbacks?: Iterable<PeriodicCallbackFn>) {
    super(callbacks);
    const given = (['everyNEpochs', 'everyNUpdates', 'everyNSamples'] as const).filter((k) => options[k] !== undefined);
    if (given.length !== 1)
      throw new SpecError(
        'options',
        'needs exactly one of everyNEpochs, everyNUpdates or everyNSamples',
        given.join(', ') || 'none',
      );
    for (const k of [...given, 'batchSize', 'updatesPerEpoch'] as const) {
      const v = options[k];
      if (v !== undefined && !(Number.isSafeInteger(v) && v > 0))
        throw new SpecError(k, 'must be a positive integer', v);
    }
    this.batchSize = options.batchSize ?? null;
    this.updatesPerEpoch = options.updatesPerEpoch ?? null;
    this.everyNEpochs = options.everyNEpochs ?? null;
    this.everyNUpdates = options.everyNUpdates ?? null;
    this.everyNSamples = options.everyNSamples ?? null;
  }

  private checkCounter(counter: UpdateCounter): void {
    if (this.batchSize !== null && counter.effectiveBatchSize !== this.batchSize)
      throw new Error(
        `PeriodicTrigger: batchSize ${this.batchSize} differs from the counter's ${counter.effectiveBatchSize}`,
      );
    if (this.updatesPerEpoch !== null && counter.updatesPerEpoch !== this.updatesPerEpoch)
      throw new Error(
        `PeriodicTrigger: updatesPerEpoch ${this.updatesPerEpoch} differs from the counter's ${counter.updatesPerEpoch}`,
      );
  }

  private run(intervalType: IntervalType, counter: UpdateCounter): void {
    for (const cb of this.callbacks) cb({ intervalType, counter });
  }

  /** After every update: runs the callbacks on an update or sample interval; returns whether it did. */
  afterUpdate(counter: UpdateCounter): boolean {
    this.checkCounter(counter);
    let ran = false;
    if (this.everyNUpdates !== null && counter.update % this.everyNUpdates === 0) {
      this.run('update', counter);
      ran = true;
    }
    if (this.everyNSamples !== null) {
      const previous = Math.trunc((counter.sample - counter.effectiveBatchSize) / this.everyNSamples);
      if (Math.trunc(counter.sample / this.everyNSamples) > previous) {
        this.run('sample', counter);
        ran = true;
      }
    }
    return ran;
  }

  /** After every full epoch: runs the callbacks on an epoch interval; returns whether it did. */
  afterEpoch(counter: UpdateCounter): boolean {
    this.checkCounter(counter);
    if (this.everyNEpochs !== null && counter.epoch % this.everyNEpochs === 0) {
      this.run('epoch', counter);
      return true;
    }
    return false;
  }

  /** Updates from one invocation to the next (every_n_samples must be a multiple of the batch size, as in noether). */
  updatesPerInterval(counter: UpdateCounter): number {
    this.checkCounter(counter);
    if (this.everyNEpochs !== null) return counter.updatesPerEpoch * this.everyNEpochs;
    if (this.everyNUpdates !== null) return this.everyNUpdates;
    if (this.everyNSamples! % counter.effectiveBatchSize !== 0)
      throw new SpecError(
        'everyNSamples',
        `must be a multiple of the batch size (${counter.effectiveBatchSize}) to count in updates`,
        this.everyNSamples,
      );
    return Math.trunc(this.everyNSamples! / counter.effectiveBatchSize);
  }

  updatesTillNextInvocation(counter: UpdateCounter): number {
    const perInterval = this.updatesPerInterval(counter);
    return perInterval - (counter.update % perInterval);
  }

  /** e.g. "every_n_epochs=1" */
  intervalString(): string {
    if (this.everyNEpochs !== null) return `every_n_epochs=${this.everyNEpochs}`;
    if (this.everyNUpdates !== null) return `every_n_updates=${this.everyNUpdates}`;
    return `every_n_samples=${this.everyNSamples}`;
  }

  /** e.g. "E1" */
  shortIntervalString(): string {
    if (this.everyNEpochs !== null) return `E${this.everyNEpochs}`;
    if (this.everyNUpdates !== null) return `U${this.everyNUpdates}`;
    return `S${this.everyNSamples}`;
  }
}
