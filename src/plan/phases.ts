/**
 * Schedules written as a chain of phases (warmup, hold, decay, floor), as HF transformers' lr
 * lambdas and optax's schedules are: each phase starts at an integer step computed on the CPU and
 * runs one primitive curve whose x counts from the phase's own origin.
 */
import { constantSegment, type PrimitiveName, type Segment, type Tracks } from './segments.js';

/** A phase from step `from` (inclusive) until the next phase's `from`; `make(start, end)` builds its segments over [start, end). */
export interface Phase {
  from: number;
  make: (start: number, end: number) => Segment[];
}

/**
 * The phases over local steps [lo, hi), each running until the next one starts. The first phase
 * must start at or before lo.
 */
export function phases(lo: number, hi: number, list: readonly Phase[]): Tracks {
  const out: Segment[] = [];
  // a phase starts no earlier than any phase before it: one that would is cut to nothing
  const froms: number[] = [];
  for (const p of list) froms.push(Math.max(p.from, froms.length ? froms[froms.length - 1] : -Infinity));
  list.forEach((phase, i) => {
    const end = Math.min(hi, i + 1 < list.length ? froms[i + 1] : Infinity);
    const start = Math.max(lo, froms[i]);
    if (start < end) out.push(...phase.make(start, end).filter((s) => s.start < end));
  });
  return [out];
}

/** A progress curve `prim` whose x is step - origin (start >= origin). */
export function curve(
  prim: PrimitiveName,
  origin: number,
  p: [number, number, number, number],
): (start: number) => Segment[] {
  return (start) => [{ start, prim, offset: start - origin, quantum: 1, p }];
}

export function constant(value: number): (start: number) => Segment[] {
  return (start) => [constantSegment(start, value)];
}

/**
 * `f(step)` listed step by step over [start, end): for the few shapes no primitive draws (the plan
 * then grows with the phase's length).
 */
export function table(f: (step: number) => number): (start: number, end: number) => Segment[] {
  return (start, end) => {
    const values = new Float64Array(Math.max(0, end - start));
    for (let i = 0; i < values.length; i++) values[i] = f(start + i);
    return [{ start, prim: 'table', offset: 0, quantum: 1, p: [0, 0, 0, 0], levels: values }];
  };
}
