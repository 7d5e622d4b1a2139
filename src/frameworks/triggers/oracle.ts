/**
 * The oracle for triggers: PAMIQ's update() replayed step by step (memoised per spec, since a
 * value depends on every update before it) and noether's PeriodicCallback checks in the trainer's
 * order. Value 1 where the callback runs during update t + 1, else 0.
 */
import {
  stepDuration,
  type PeriodicConfig,
  type StepIntervalConfig,
  type TimeIntervalConfig,
} from './configs.js';

/** Fire flags of the first updates of a stateful scheduler, extended on demand. */
class Replay {
  readonly fired: number[] = [];
  constructor(readonly next: () => boolean) {}
  at(step: number): number {
    while (this.fired.length <= step) this.fired.push(this.next() ? 1 : 0);
    return this.fired[step];
  }
}

const replays = new WeakMap<object, Replay>();

function replay(c: object, make: () => () => boolean): Replay {
  let r = replays.get(c);
  if (!r) replays.set(c, (r = new Replay(make())));
  return r;
}

/** StepIntervalScheduler.update(): count the step, run the callbacks once the count reaches the interval, reset. */
export function stepIntervalValue(c: StepIntervalConfig, step: number): number {
  return replay(c, () => {
    let stepsSinceLastCall = 0;
    return () => {
      stepsSinceLastCall += 1;
      const available = stepsSinceLastCall >= c.interval;
      if (available) stepsSinceLastCall = 0;
      return available;
    };
  }).at(step);
}

/**
 * TimeIntervalScheduler.update() on a simulated clock: update k (1-based) reads the sum of the
 * first k step durations; it fires when more than `interval` seconds passed since the last firing
 * or, before the first one, since construction at time 0 (pamiq-core >= 0.5 starts the clock in
 * __init__).
 */
export function timeIntervalValue(c: TimeIntervalConfig, step: number): number {
  return replay(c, () => {
    let now = 0;
    let previous = 0;
    let k = 0;
    return () => {
      now += stepDuration(c, k++);
      const available = now - previous > c.interval;
      if (available) previous = now;
      return available;
    };
  }).at(step);
}

/**
 * PeriodicCallback during update u = step + 1: after_update checks every_n_updates (u % n == 0) and
 * every_n_samples (int((samples - B) / n) < int(samples / n), samples = u * B); after_epoch runs at
 * full epochs only and checks every_n_epochs against the epoch counter.
 */
export function periodicValue(c: PeriodicConfig, step: number): number {
  const u = step + 1;
  if (c.every_n_updates !== null) return u % c.every_n_updates === 0 ? 1 : 0;
  if (c.every_n_samples !== null) {
    const samples = u * c.batch_size!;
    return Math.trunc(samples / c.every_n_samples) > Math.trunc((samples - c.batch_size!) / c.every_n_samples) ? 1 : 0;
  }
  const upe = c.updates_per_epoch!;
  if (u % upe !== 0) return 0;
  return Math.trunc(u / upe) % c.every_n_epochs! === 0 ? 1 : 0;
}
