/**
 * The oracle for noether.core.schedules: a direct, scalar, f64 port of each class's get_value,
 * written to be read side by side with noether/core/schedules/*.py. Not used by the pipeline;
 * the tests hold the plan compiler and both backends against it.
 */
import type { ValueAt } from '../types.js';
import {
  lwcdInner,
  progressStartDelta,
  type ConstantConfig,
  type CustomConfig,
  type LwcdConfig,
  type Overhang,
  type ProgressConfig,
  type SequentialPercentConfig,
  type SequentialStepConfig,
  type StepDecreasingConfig,
  type StepFixedConfig,
  type StepIntervalConfig,
} from './configs.js';
import { FrameworkError, pyDiv, pyIntRound10, pyPow } from '../python.js';

/** ScheduleBase.get_value: range check, then overhang prolongs total_steps, then _get_value. */
export function getValue(
  c: Overhang,
  step: number,
  total: number,
  inner: (step: number, total: number) => number,
): number {
  if (!(step >= 0 && step <= total))
    throw new FrameworkError('ValueError', `0 <= step <= total_steps (step=${step} total_steps=${total})`);
  if (c.overhang_percent != null) total += Math.trunc(total * c.overhang_percent);
  if (c.overhang_steps != null) total += c.overhang_steps;
  return inner(step, total);
}

// functional.py
export const linear = (step: number, total: number) => step / Math.max(1, total - 1);
export const cosine = (step: number, total: number) => 1 - (1 + Math.cos(Math.PI * linear(step, total))) / 2;
export const polynomial = (step: number, total: number, power: number) => 1 - pyPow(1 - linear(step, total), power);

/** ProgressSchedule._get_value: exclude_last/exclude_first stretch the run, then start + progress * delta. */
function progressValue(
  c: ProgressConfig,
  decreasing: boolean,
  step: number,
  total: number,
  progress: (step: number, total: number) => number,
): number {
  const [start, delta] = progressStartDelta(c, decreasing);
  if (c.exclude_last) total += 1;
  if (c.exclude_first) {
    step += 1;
    total += 1;
  }
  return start + progress(step, total) * delta;
}

export const constantValue = (c: ConstantConfig, step: number, total: number) =>
  getValue(c, step, total, () => c.value);

export function customValue(c: CustomConfig, step: number, total: number): number {
  return getValue(c, step, total, (s) => {
    if (s >= c.values.length) throw new FrameworkError('IndexError', 'list index out of range');
    return c.values[s];
  });
}

/** Linear/Cosine/Polynomial Increasing/DecreasingSchedule. */
export function progressKindValue(shape: 'linear' | 'cosine' | 'polynomial', decreasing: boolean) {
  return (c: ProgressConfig, step: number, total: number) =>
    getValue(c, step, total, (s, n) =>
      progressValue(c, decreasing, s, n, (a, b) =>
        shape === 'linear' ? linear(a, b) : shape === 'cosine' ? cosine(a, b) : polynomial(a, b, c.power ?? 1),
      ),
    );
}

/** StepDecreasingSchedule._get_progress: k = int(round(step / total / interval, 10)); 1 - factor ** k. */
export const stepDecreasingValue = (c: StepDecreasingConfig, step: number, total: number) =>
  getValue(c, step, total, (s, n) =>
    progressValue(c, true, s, n, (a, b) => 1 - pyPow(c.factor, pyIntRound10(pyDiv(a, b) / c.decreases_interval))),
  );

/** StepFixedSchedule: index = first i with sorted(steps)[i] > step / total, value = start * factor ** index. */
export function stepFixedValue(c: StepFixedConfig, step: number, total: number): number {
  const sorted = [...c.steps].sort((a, b) => a - b);
  return getValue(c, step, total, (s, n) => {
    const progress = pyDiv(s, n);
    let index = sorted.findIndex((v) => v > progress);
    if (index === -1) index = sorted.length;
    return c.start_value * pyPow(c.factor, index);
  });
}

/** StepIntervalSchedule: k = int(round(step / total / update_interval, 10)); start * factor ** k. */
export const stepIntervalValue = (c: StepIntervalConfig, step: number, total: number) =>
  getValue(c, step, total, (s, n) => c.start_value * pyPow(c.factor, pyIntRound10(pyDiv(s, n) / c.update_interval)));

/** SequentialPercentSchedule._get_value. */
export function sequentialPercentValue(
  c: SequentialPercentConfig,
  step: number,
  total: number,
  valueAt: ValueAt,
): number {
  return getValue({}, step, total, (s, n) => {
    const cfgs = c.schedule_configs;
    const m1 = n - 1;
    let chosen = -1;
    for (let i = cfgs.length - 1; i >= 0; i--) {
      const sp = cfgs[i].start_percent;
      if (sp !== null && Math.trunc(sp * m1) <= s) {
        chosen = i;
        break;
      }
    }
    if (chosen === -1) {
      // before the first schedule starts: its value at step 0
      const first = cfgs[0];
      const adjStep = Math.trunc(m1 * first.start_percent!);
      const endStep = first.end_percent === 1 ? n : first.end_percent !== null ? Math.trunc(m1 * first.end_percent) : n;
      return valueAt(first.schedule, 0, endStep - adjStep);
    }
    const cfg = cfgs[chosen];
    const startStep = Math.trunc(m1 * cfg.start_percent!);
    const adjStep = s - startStep;
    const endStep = cfg.end_percent === 1 || cfg.end_percent === null ? n : Math.trunc(m1 * cfg.end_percent);
    const adjTotal = endStep - startStep;
    if (adjTotal === 0) return valueAt(cfg.schedule, 0, 1);
    // past its end and before the next one starts: hold the last value
    if (adjStep >= adjTotal) return valueAt(cfg.schedule, adjTotal - 1, adjTotal);
    return valueAt(cfg.schedule, adjStep, adjTotal);
  });
}

/** SequentialStepSchedule._get_value (end_step 0 counts as unset: `end_step or total_steps`). */
export function sequentialStepValue(c: SequentialStepConfig, step: number, total: number, valueAt: ValueAt): number {
  return getValue(c, step, total, (s, n) => {
    const cfgs = c.schedule_configs;
    let chosen = -1;
    for (let i = cfgs.length - 1; i >= 0; i--) {
      if (cfgs[i].start_step! <= s) {
        chosen = i;
        break;
      }
    }
    if (chosen === -1) {
      const first = cfgs[0];
      const endStep = first.end_step || n;
      return valueAt(first.schedule, 0, endStep - first.start_step!);
    }
    const cfg = cfgs[chosen];
    const adjStep = s - cfg.start_step!;
    const endStep = cfg.end_step || n;
    const adjTotal = endStep - cfg.start_step!;
    if (adjStep >= adjTotal) return valueAt(cfg.schedule, adjTotal - 1, adjTotal);
    return valueAt(cfg.schedule, adjStep, adjTotal);
  });
}

/** LinearWarmupCosineDecaySchedule: its own overhang, then the sequential schedule it built. */
export function lwcdValue(c: LwcdConfig, step: number, total: number, valueAt: ValueAt): number {
  return getValue(c, step, total, (s, n) => valueAt(lwcdInner(c), s, n));
}
