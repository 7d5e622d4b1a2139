/**
 * reference.valueAt(spec, step, total): the oracle. It sits beside the pipeline: tests hold the plan
 * compiler and the backends against it, and hold it against the real frameworks' values.
 */
import { kindEntry } from '../frameworks/registry.js';
import type { NormalSpec } from '../frameworks/types.js';
import type { RunSpec } from '../spec/validate.js';

export { FrameworkError } from '../frameworks/python.js';

/** The framework's value of `spec` at `step` of a run of `total` steps; throws FrameworkError where it raises. */
export function valueAt(spec: NormalSpec, step: number, total: number): number {
  return kindEntry(spec.kind).reference(spec, step, total, valueAt);
}

/**
 * Value at update `t` of a top-level run of `steps` updates. With noether's interval 'epoch' the
 * schedule is asked at (t // upe) * upe of (steps // upe) * upe, as noether's ScheduleWrapper does.
 */
export function runValueAt(run: RunSpec, t: number, steps: number): number {
  if (run.interval === 'epoch') {
    const upe = run.updatesPerEpoch as number;
    return valueAt(run.spec, Math.floor(t / upe) * upe, Math.floor(steps / upe) * upe);
  }
  return valueAt(run.spec, t, steps);
}
