/** Periodic triggers as kinds: value 1 where the callback fires during an update, else 0. */
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';
import { defineKind, type KindEntry } from '../types.js';

export const TRIGGER_KINDS: readonly KindEntry[] = [
  defineKind<cfg.StepIntervalConfig>({
    kind: `${cfg.PAMIQ}.StepIntervalScheduler`,
    shortName: 'StepIntervalScheduler',
    framework: 'pamiq',
    summary: 'fires on every `interval`-th update()',
    schema: cfg.stepIntervalSchema,
    strictKeys: true,
    check: cfg.checkStepInterval,
    reference: ref.stepIntervalValue,
    compile: plan.compileStepInterval,
    primitives: ['pulses'],
  }),
  defineKind<cfg.TimeIntervalConfig>({
    kind: `${cfg.PAMIQ}.TimeIntervalScheduler`,
    shortName: 'TimeIntervalScheduler',
    framework: 'pamiq',
    summary:
      'fires when more than `interval` s passed since the last firing, on a simulated clock (`seconds_per_step` or cycled `step_seconds`)',
    schema: cfg.timeIntervalSchema,
    strictKeys: true,
    check: cfg.checkTimeInterval,
    reference: ref.timeIntervalValue,
    compile: plan.compileTimeInterval,
    primitives: ['pulses', 'constant'],
  }),
  defineKind<cfg.PeriodicConfig>({
    kind: 'noether.core.callbacks.PeriodicCallback',
    shortName: 'PeriodicCallback',
    framework: 'noether',
    summary:
      "fires every_n_epochs / every_n_updates / every_n_samples (`batch_size`, `updates_per_epoch`), in the trainer's order",
    schema: cfg.periodicSchema,
    strictKeys: true,
    check: cfg.checkPeriodic,
    reference: ref.periodicValue,
    compile: plan.compilePeriodic,
    primitives: ['pulses'],
  }),
];
