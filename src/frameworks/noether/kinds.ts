/**
 * noether.core.schedules: one entry per schedule class, pairing its config schema and constructor
 * checks with its oracle formula and its plan compiler.
 */
import { defineKind, type ChildSpec, type KindEntry, type NormalSpec } from '../types.js';
import * as cfg from './configs.js';
import * as ref from './oracle.js';
import * as plan from './compile.js';

const { fq } = cfg;

/** Every noether schedule can run on interval 'epoch' through noether's ScheduleWrapper. */
const withEpochs = (entry: KindEntry): KindEntry => ({ ...entry, epochInterval: true });

/** Linear/Cosine/Polynomial Increasing/DecreasingSchedule: one progress function, one direction. */
function progressKind(
  name: string,
  shape: 'linear' | 'cosine' | 'polynomial',
  decreasing: boolean,
  summary: string,
): KindEntry {
  const polynomial = shape === 'polynomial';
  const common = {
    kind: fq(name),
    shortName: name,
    framework: 'noether',
    summary,
    reference: ref.progressKindValue(shape, decreasing),
    compile: plan.compileProgress(shape, decreasing),
    primitives: [shape],
  };
  return decreasing
    ? defineKind<cfg.DecreasingConfig>({
        ...common,
        schema: polynomial ? cfg.polyDecreasingSchema : cfg.decreasingSchema,
        check(c, refuse) {
          cfg.checkBase(c, refuse);
          cfg.checkDecreasing(c, refuse);
        },
      })
    : defineKind<cfg.IncreasingConfig>({
        ...common,
        schema: polynomial ? cfg.polyIncreasingSchema : cfg.increasingSchema,
        check(c, refuse) {
          cfg.checkBase(c, refuse);
          cfg.checkIncreasing(c, refuse);
        },
      });
}

function sequentialChildren(c: cfg.SequentialPercentConfig | cfg.SequentialStepConfig): ChildSpec[] {
  const items: { schedule: NormalSpec }[] = c.schedule_configs;
  return items.map((item, i) => ({
    path: ['schedule_configs', i, 'schedule'],
    raw: item.schedule,
    replace(normal: NormalSpec) {
      item.schedule = normal;
    },
    // noether's sequential schedules hold noether schedules (ScheduleBase), nothing else
    refusesKind: (entry: KindEntry) =>
      entry.epochInterval ? null : `must be a noether schedule (${entry.shortName} is not a ScheduleBase)`,
  }));
}

const noetherKinds: KindEntry[] = [
  defineKind<cfg.ConstantConfig>({
    kind: fq('ConstantSchedule'),
    shortName: 'ConstantSchedule',
    framework: 'noether',
    summary: '`value` at every step',
    schema: cfg.constantSchema,
    check: cfg.checkBase,
    reference: ref.constantValue,
    compile: plan.compileConstant,
    primitives: ['constant'],
  }),
  progressKind('LinearIncreasingSchedule', 'linear', false, 'linear from `start_value` to `max_value`'),
  progressKind('LinearDecreasingSchedule', 'linear', true, 'linear from `max_value` to `end_value`'),
  progressKind('CosineIncreasingSchedule', 'cosine', false, 'half cosine from `start_value` up to `max_value`'),
  progressKind('CosineDecreasingSchedule', 'cosine', true, 'half cosine from `max_value` down to `end_value`'),
  progressKind('PolynomialIncreasingSchedule', 'polynomial', false, '`start + (1 - (1 - p)^power) * (max - start)`'),
  progressKind('PolynomialDecreasingSchedule', 'polynomial', true, '`max + (1 - (1 - p)^power) * (end - max)`'),
  defineKind<cfg.CustomConfig>({
    kind: fq('CustomSchedule'),
    shortName: 'CustomSchedule',
    framework: 'noether',
    summary: '`values[step]` (refused if the run is longer than the list)',
    schema: cfg.customSchema,
    check: cfg.checkBase,
    reference: ref.customValue,
    compile: plan.compileCustom,
    primitives: ['table'],
  }),
  defineKind<cfg.StepDecreasingConfig>({
    kind: fq('StepDecreasingSchedule'),
    shortName: 'StepDecreasingSchedule',
    framework: 'noether',
    summary: '`max + (1 - factor^k) * (end - max)`, k steps up every `decreases_interval` of the run',
    schema: cfg.stepDecreasingSchema,
    check(c, refuse) {
      cfg.checkBase(c, refuse);
      cfg.checkDecreasing(c, refuse);
    },
    reference: ref.stepDecreasingValue,
    compile: plan.compileStepDecreasing,
    primitives: ['levels', 'constant'],
  }),
  defineKind<cfg.StepFixedConfig>({
    kind: fq('StepFixedSchedule'),
    shortName: 'StepFixedSchedule',
    framework: 'noether',
    summary: '`start_value * factor^i` past the i-th fraction in `steps`',
    schema: cfg.stepFixedSchema,
    check(c, refuse) {
      cfg.checkBase(c, refuse);
      cfg.checkStepFixed(c, refuse);
    },
    reference: ref.stepFixedValue,
    compile: plan.compileStepFixed,
    primitives: ['levels', 'constant'],
  }),
  defineKind<cfg.StepIntervalConfig>({
    kind: fq('StepIntervalSchedule'),
    shortName: 'StepIntervalSchedule',
    framework: 'noether',
    summary: '`start_value * factor^k`, k steps up every `update_interval` of the run',
    schema: cfg.stepIntervalSchema,
    check: cfg.checkBase,
    reference: ref.stepIntervalValue,
    compile: plan.compileStepInterval,
    primitives: ['levels', 'constant'],
  }),
  defineKind<cfg.LwcdConfig>({
    kind: fq('LinearWarmupCosineDecaySchedule'),
    shortName: 'LinearWarmupCosineDecaySchedule',
    framework: 'noether',
    summary: 'linear warmup (`warmup_steps` or `warmup_percent`) to `max_value`, cosine decay to `end_value`',
    schema: cfg.lwcdSchema,
    check: cfg.checkLwcd,
    reference: ref.lwcdValue,
    compile: plan.compileLwcd,
    primitives: ['linear', 'cosine', 'constant'],
  }),
  defineKind<cfg.SequentialPercentConfig>({
    kind: fq('SequentialPercentSchedule'),
    shortName: 'SequentialPercentSchedule',
    framework: 'noether',
    summary: '`schedule_configs` placed at `start_percent`/`end_percent` of the run (nestable)',
    schema: cfg.sequentialPercentSchema,
    strictKeys: true,
    children: sequentialChildren,
    check: cfg.constructSequentialPercent,
    reference: ref.sequentialPercentValue,
    compile: plan.compileSequentialPercent,
    primitives: ['constant'],
  }),
  defineKind<cfg.SequentialStepConfig>({
    kind: fq('SequentialStepSchedule'),
    shortName: 'SequentialStepSchedule',
    framework: 'noether',
    summary: '`schedule_configs` placed at `start_step`/`end_step` (nestable)',
    divergence:
      'fractional `start_step`/`end_step`/`overhang_steps` are refused (noether evaluates at fractional steps)',
    schema: cfg.sequentialStepSchema,
    strictKeys: true,
    children: sequentialChildren,
    check: cfg.constructSequentialStep,
    reference: ref.sequentialStepValue,
    compile: plan.compileSequentialStep,
    primitives: ['constant'],
  }),
];

export const NOETHER_KINDS: readonly KindEntry[] = noetherKinds.map(withEpochs);

/** Names noether has that are not schedules one can evaluate, with the reason noether gives. */
export const NOETHER_NOT_SCHEDULES: Readonly<Record<string, string>> = {
  [fq('ScheduleBase')]: 'is an abstract base class (noether raises NotImplementedError)',
  [fq('ProgressSchedule')]: 'is an abstract base class (its constructor needs start_value and delta)',
  [fq('DecreasingProgressSchedule')]: 'is an abstract base class (it has no progress function)',
  [fq('IncreasingProgressSchedule')]: 'is an abstract base class (it has no progress function)',
  [fq('PeriodicBoolSchedule')]:
    'has a config in noether but no schedule class (module has no attribute PeriodicBoolSchedule)',
};
