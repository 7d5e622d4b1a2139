/**
 * noether's UpdateCounter: the update, epoch and sample counts of a training loop, advanced in the
 * trainer's order (add samples, next update, next epoch at a full epoch).
 */
import { SpecError } from '../errors.js';

function positiveInteger(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
    throw new SpecError(name, 'must be a positive integer', v);
  return v;
}

export interface CounterState {
  update: number;
  epoch: number;
  sample: number;
}

export class UpdateCounter {
  readonly updatesPerEpoch: number;
  readonly effectiveBatchSize: number;
  update: number;
  epoch: number;
  sample: number;

  constructor(options: { updatesPerEpoch: number; batchSize: number; start?: Partial<CounterState> }) {
    this.updatesPerEpoch = positiveInteger('updatesPerEpoch', options.updatesPerEpoch);
    this.effectiveBatchSize = positiveInteger('batchSize', options.batchSize);
    this.update = options.start?.update ?? 0;
    this.epoch = options.start?.epoch ?? Math.trunc(this.update / this.updatesPerEpoch);
    this.sample = options.start?.sample ?? this.update * this.effectiveBatchSize;
  }

  /** True at the end of an epoch (the update count is a multiple of updatesPerEpoch). */
  get isFullEpoch(): boolean {
    return this.update % this.updatesPerEpoch === 0;
  }

  get epochAsFloat(): number {
    return this.update / this.updatesPerEpoch;
  }

  addSamples(n: number): void {
    this.sample += n;
  }

  nextUpdate(): void {
    this.update += 1;
  }

  nextEpoch(): void {
    this.epoch += 1;
  }

  /** One update of the trainer: samples, then the update, then the epoch when it completes. */
  advance(): void {
    this.addSamples(this.effectiveBatchSize);
    this.nextUpdate();
    if (this.isFullEpoch) this.nextEpoch();
  }

  stateDict(): CounterState {
    return { update: this.update, epoch: this.epoch, sample: this.sample };
  }

  loadStateDict(state: CounterState): void {
    this.update = state.update;
    this.epoch = state.epoch;
    this.sample = state.sample;
  }
}
