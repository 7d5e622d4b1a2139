/**
 * Triggers compile to 'pulses' segments: a period and the residues at which the callback fires,
 * evaluated from integer arithmetic on the step, so a 10M-step run with a firing every 7 updates is
 * one segment, not a million. Only the simulated-clock TimeIntervalScheduler lists its firings.
 */
import { Shown, StepError } from '../../errors.js';
import {
  stepDuration,
  type PeriodicConfig,
  type StepIntervalConfig,
  type TimeIntervalConfig,
} from './configs.js';
import { constantSegment, type Segment, type Tracks } from '../../plan/segments.js';

const U32_MAX = 0xffffffff;

/** Fires where (x mod period) is a residue, x = step - lo + offset. */
function pulses(lo: number, offset: number, period: number, residues: Iterable<number>): Tracks {
  if (period > U32_MAX) return [[constantSegment(lo, 0)]];
  const sorted = [...new Set(residues)].sort((a, b) => a - b);
  const segment: Segment = {
    start: lo,
    prim: 'pulses',
    offset,
    quantum: 1,
    p: [1, 0, 0, 0],
    breaks: Uint32Array.from([period, ...sorted]),
  };
  return [[segment]];
}

/** StepIntervalScheduler: the k-th update fires when k is a multiple of ceil(interval). */
export function compileStepInterval(c: StepIntervalConfig, _total: number, lo: number, _hi: number): Tracks {
  return pulses(lo, lo + 1, Math.max(1, Math.ceil(c.interval)), [0]);
}

/** TimeIntervalScheduler on its simulated clock: the firings are listed (they need not repeat exactly). */
export function compileTimeInterval(c: TimeIntervalConfig, _total: number, lo: number, hi: number): Tracks {
  const firings: number[] = [];
  let now = 0;
  let previous = 0; // constructed at time 0
  for (let t = 0; t < hi; t++) {
    now += stepDuration(c, t);
    if (now - previous > c.interval) {
      previous = now;
      if (t >= lo) firings.push(t);
    }
  }
  return firings.length ? pulses(lo, lo, U32_MAX, firings) : [[constantSegment(lo, 0)]];
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** PeriodicCallback, during update u = t + 1 (see oracle.ts for the checks). */
export function compilePeriodic(c: PeriodicConfig, _total: number, lo: number, hi: number): Tracks {
  if (c.every_n_updates !== null) return pulses(lo, lo + 1, c.every_n_updates, [0]);
  if (c.every_n_epochs !== null) return pulses(lo, lo + 1, c.every_n_epochs * c.updates_per_epoch!, [0]);
  // every_n_samples: int(u * B / n) steps up at u_k = ceil(k n / B), k = 1, 2, ...; the pattern
  // repeats every n / gcd(n, B) updates, with B / gcd(n, B) firings (some k share an update)
  const n = BigInt(c.every_n_samples!);
  const batch = BigInt(c.batch_size!);
  // noether divides floats: exact only while the sample count stays below 2^53
  if (hi * c.batch_size! >= 2 ** 53)
    throw new StepError(
      ['batch_size'],
      'sample counts past 2^53 are not exact in float64',
      new Shown(`batch_size=${c.batch_size}`),
      lo,
    );
  const g = gcd(n, batch);
  const period = n / g;
  const residues = new Set<number>();
  for (let k = 1n; k <= batch / g; k++) residues.add(Number(((k * n + batch - 1n) / batch) % period));
  return pulses(lo, lo + 1, Number(period), residues);
}
