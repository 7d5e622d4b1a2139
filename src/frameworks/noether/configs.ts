/**
 * noether.core.schedules configs: the pydantic fields (names, defaults, constraints) of
 * noether/core/schemas/schedules.py and the checks its constructors make, in the same order.
 * Kept apart from the formulas so that the oracle and the plan compiler can both read them.
 */
import * as z from 'zod';
import type { PathPart } from '../../errors.js';
import { Shown } from '../../errors.js';
import { between, ge, laxBool, laxFloat, laxFloatList, laxInt, strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const NOETHER = 'noether.core.schedules';
export const fq = (name: string) => `${NOETHER}.${name}`;

const optFloat = () => laxFloat().nullable().default(null);
const optInt = () => laxInt().nullable().default(null);

/** ScheduleBaseConfig: shared by every pydantic-configured schedule (most fields are unused but validated). */
const baseFields = {
  kind: z.string(),
  overhang_percent: optFloat(),
  overhang_steps: optInt(),
  start_value: laxFloat().pipe(ge(0)).default(0),
  end_value: laxFloat().pipe(ge(0)).default(1e-6),
  weight_decay: laxFloat().nullable().default(0),
  start_percent: laxFloat().pipe(between(0, 1)).nullable().default(null),
  end_percent: laxFloat().pipe(between(0, 1)).nullable().default(null),
  start_step: laxInt().pipe(ge(0)).nullable().default(null),
  end_step: laxInt().pipe(ge(0)).nullable().default(null),
  interval: z.enum(['update', 'epoch'], { error: 'must be "update" or "epoch"' }).default('update'),
};

const progressFields = {
  ...baseFields,
  exclude_first: laxBool().default(false),
  exclude_last: laxBool().default(false),
};

const decreasingFields = {
  ...progressFields,
  max_value: laxFloat().pipe(ge(0)),
  end_value: laxFloat().pipe(ge(0)).default(0),
};

const increasingFields = {
  ...progressFields,
  start_value: laxFloat().default(0),
  // `float | None = Field(...)`: required, and an explicit null passes pydantic but fails the constructor's assert
  max_value: laxFloat().nullable(),
};

export const constantSchema = z.object({ ...baseFields, value: laxFloat() });
export const customSchema = z.object({ ...baseFields, values: laxFloatList() });
export const decreasingSchema = z.object(decreasingFields);
export const increasingSchema = z.object(increasingFields);
export const polyDecreasingSchema = z.object({ ...decreasingFields, power: laxFloat().default(1) });
export const polyIncreasingSchema = z.object({ ...increasingFields, power: laxFloat().default(1) });
export const stepDecreasingSchema = z.object({
  ...decreasingFields,
  factor: laxFloat().pipe(ge(0)),
  decreases_interval: laxFloat().pipe(between(0, 1, true)),
});
export const stepFixedSchema = z.object({
  ...baseFields,
  start_value: laxFloat().default(1),
  factor: laxFloat().pipe(ge(0)),
  steps: laxFloatList(),
});
export const stepIntervalSchema = z.object({
  ...baseFields,
  start_value: laxFloat().default(1),
  factor: laxFloat().pipe(ge(0)),
  update_interval: laxFloat().pipe(between(0, 1, true)),
});
export const lwcdSchema = z.object({
  ...baseFields,
  warmup_steps: optInt(),
  warmup_percent: optFloat(),
  max_value: laxFloat().default(1),
});

/**
 * SequentialPercent/StepScheduleConfig are dataclasses and the sequential constructors take plain
 * arguments: unknown keys are a TypeError, and values are used as given (a string never becomes a
 * number; noether fails on it later), so these fields take numbers only. Unlike noether, steps must
 * be integers: a fractional start_step would evaluate its schedule at fractional steps.
 */
// any mapping passes here: validateSpec then checks it as a spec of its own and the kind's
// children() puts the normalized spec in its place, which is what the config holds from then on
const scheduleSlot = z
  .looseObject({}, { error: 'must be a schedule spec (a mapping with a kind)' })
  .pipe(z.custom<NormalSpec>());
const strictOpt = <T extends z.ZodType<number>>(t: T) => t.nullable().default(null);
const percentItem = z.strictObject({
  schedule: scheduleSlot,
  start_percent: strictOpt(strictFloat()),
  end_percent: strictOpt(strictFloat()),
});
const stepItem = z.strictObject({
  schedule: scheduleSlot,
  start_step: strictOpt(strictInt()),
  end_step: strictOpt(strictInt()),
});
const configList = <T extends z.ZodType>(item: T) =>
  z
    .array(item, { error: 'must be a list of {schedule, ...} entries' })
    .min(1, { error: 'must list at least one schedule' });

export const sequentialPercentSchema = z.strictObject({ kind: z.string(), schedule_configs: configList(percentItem) });
export const sequentialStepSchema = z.strictObject({
  kind: z.string(),
  schedule_configs: configList(stepItem),
  overhang_percent: strictOpt(strictFloat()),
  overhang_steps: strictOpt(strictInt()),
});

type Out<S extends z.ZodType> = z.output<S> & NormalSpec;
export type BaseConfig = Out<typeof constantSchema> | Out<typeof customSchema> | ProgressConfig;
export type ConstantConfig = Out<typeof constantSchema>;
export type CustomConfig = Out<typeof customSchema>;
export type DecreasingConfig = Out<typeof decreasingSchema> & { power?: number };
export type IncreasingConfig = Out<typeof increasingSchema> & { power?: number };
export type ProgressConfig = DecreasingConfig | IncreasingConfig;
export type StepDecreasingConfig = Out<typeof stepDecreasingSchema>;
export type StepFixedConfig = Out<typeof stepFixedSchema>;
export type StepIntervalConfig = Out<typeof stepIntervalSchema>;
export type LwcdConfig = Out<typeof lwcdSchema>;
export type SequentialPercentConfig = Out<typeof sequentialPercentSchema>;
export type SequentialStepConfig = Out<typeof sequentialStepSchema>;

/** What every schedule applies to total_steps first (ScheduleBase.get_value). */
export interface Overhang {
  overhang_percent?: number | null;
  overhang_steps?: number | null;
}

type BaseFieldsOut = { [K in keyof typeof baseFields]: z.output<(typeof baseFields)[K]> };

/** ScheduleBaseConfig's model validators, in declaration order. */
export function checkBase(c: BaseFieldsOut, refuse: Refuse): void {
  checkOverhang(c, refuse);
  if ((c.start_step === null) !== (c.end_step === null)) {
    const missing = c.start_step === null ? 'start_step' : 'end_step';
    refuse([missing], 'must be set together with its partner (start_step and end_step: both or neither)', undefined);
  }
  if (c.start_step && c.end_step) {
    if (c.start_percent !== null || c.end_percent !== null)
      refuse(['start_percent'], 'cannot be combined with start_step/end_step', c.start_percent ?? c.end_percent);
    if (c.start_step >= c.end_step) refuse(['start_step'], `must be < end_step (${c.end_step})`, c.start_step);
  }
  if ((c.start_percent === null) !== (c.end_percent === null)) {
    const missing = c.start_percent === null ? 'start_percent' : 'end_percent';
    refuse(
      [missing],
      'must be set together with its partner (start_percent and end_percent: both or neither)',
      undefined,
    );
  }
  if (c.start_percent && c.end_percent) {
    if (c.start_step !== null || c.end_step !== null)
      refuse(['start_step'], 'cannot be combined with start_percent/end_percent', c.start_step ?? c.end_step);
    if (c.start_percent >= c.end_percent)
      refuse(['start_percent'], `must be < end_percent (${c.end_percent})`, c.start_percent);
  }
}

export function checkOverhang(c: Overhang, refuse: Refuse): void {
  if (c.overhang_percent != null && c.overhang_steps != null)
    refuse(
      ['overhang_steps'],
      'cannot be combined with overhang_percent (they are mutually exclusive)',
      c.overhang_steps,
    );
}

/** DecreasingProgressSchedule.__init__: delta = end - max must not be positive. */
export function checkDecreasing(
  c: { max_value: number; end_value: number },
  refuse: Refuse,
  at: PathPart[] = [],
): void {
  if (c.end_value - c.max_value > 0) refuse([...at, 'end_value'], `must be <= max_value (${c.max_value})`, c.end_value);
}

/** IncreasingProgressSchedule.__init__: asserts max_value is set and max - start >= 0. */
export function checkIncreasing(
  c: { start_value: number; max_value: number | null },
  refuse: Refuse,
  at: PathPart[] = [],
): void {
  if (c.max_value === null) refuse([...at, 'max_value'], 'must be a number', null);
  if (!(c.max_value - c.start_value >= 0))
    refuse([...at, 'start_value'], `must be <= max_value (${c.max_value})`, c.start_value);
}

export function checkStepFixed(c: StepFixedConfig, refuse: Refuse): void {
  if (c.steps.length === 0) refuse(['steps'], 'must be a non-empty list', c.steps);
  c.steps.forEach((s, i) => {
    if (!(s > 0 && s < 1)) refuse(['steps', i], 'must be in (0, 1) (a fraction of the run)', s);
  });
}

/** LinearWarmupCosineDecayScheduleConfig.validate_warmup, then what its constructor builds and checks. */
export function checkLwcd(c: LwcdConfig, refuse: Refuse): void {
  checkBase(c, refuse);
  if ((c.warmup_steps === null) === (c.warmup_percent === null))
    refuse(
      [],
      'define exactly one of warmup_steps or warmup_percent',
      new Shown(`warmup_steps=${c.warmup_steps}, warmup_percent=${c.warmup_percent}`),
    );
  checkIncreasing(c, refuse);
  if (!(c.max_value >= 0)) refuse(['max_value'], 'must be >= 0', c.max_value);
  checkDecreasing(c, refuse);
  if (c.warmup_steps !== null && c.warmup_steps < 0) refuse(['warmup_steps'], 'must be >= 0', c.warmup_steps);
  if (c.warmup_percent !== null && !(c.warmup_percent >= 0 && c.warmup_percent <= 1))
    refuse(['warmup_percent'], 'must be in [0, 1]', c.warmup_percent);
}

/**
 * SequentialPercentSchedule.__init__: fill missing start/end percents from the neighbours, then
 * assert 0 <= start <= end <= next start <= 1. Mutates the config like noether does.
 */
export function constructSequentialPercent(c: SequentialPercentConfig, refuse: Refuse): void {
  const cfgs = c.schedule_configs;
  const n = cfgs.length;
  const at = (i: number, field: string): PathPart[] => ['schedule_configs', i, field];
  if (cfgs[0].start_percent === null) cfgs[0].start_percent = 0;
  for (let i = 1; i < n - 1; i++) {
    if (cfgs[i].start_percent === null) {
      if (cfgs[i - 1].end_percent === null)
        refuse(at(i, 'start_percent'), 'must be set when the schedule before it has no end_percent', null);
      cfgs[i].start_percent = cfgs[i - 1].end_percent;
    }
    if (cfgs[i].end_percent === null) cfgs[i].end_percent = cfgs[i + 1].start_percent;
  }
  if (n > 1) {
    if (cfgs[n - 1].start_percent === null) cfgs[n - 1].start_percent = cfgs[n - 2].end_percent;
    if (cfgs[n - 2].end_percent === null) cfgs[n - 2].end_percent = cfgs[n - 1].start_percent;
  }
  if (cfgs[n - 1].end_percent === null) cfgs[n - 1].end_percent = 1;

  const ordered = (i: number) => {
    const { start_percent: s, end_percent: e } = cfgs[i];
    if (s === null) refuse(at(i, 'start_percent'), 'must be set (it cannot be inferred from the neighbours)', null);
    if (e === null) refuse(at(i, 'end_percent'), 'must be set (it cannot be inferred from the neighbours)', null);
    if (!(s >= 0)) refuse(at(i, 'start_percent'), 'must be >= 0', s);
    if (!(s <= e)) refuse(at(i, 'end_percent'), `must be >= start_percent (${s})`, e);
    if (!(e <= 1)) refuse(at(i, 'end_percent'), 'must be <= 1', e);
  };
  for (let i = 0; i < n - 1; i++) {
    ordered(i);
    const next = cfgs[i + 1].start_percent;
    const end = cfgs[i].end_percent as number;
    if (next === null || !(end <= next && next <= 1))
      refuse(at(i + 1, 'start_percent'), `must be in [end_percent of the schedule before it (${end}), 1]`, next);
  }
  ordered(n - 1);
}

/**
 * SequentialStepSchedule.__init__: same propagation (without a default end for the last entry), then
 * 0 <= start <= end <= next start, raising ValueError like noether.
 */
export function constructSequentialStep(c: SequentialStepConfig, refuse: Refuse): void {
  checkOverhang(c, refuse);
  const cfgs = c.schedule_configs;
  const n = cfgs.length;
  const at = (i: number, field: string): PathPart[] => ['schedule_configs', i, field];
  if (cfgs[0].start_step === null) cfgs[0].start_step = 0;
  for (let i = 1; i < n - 1; i++) {
    if (cfgs[i].start_step === null) cfgs[i].start_step = cfgs[i - 1].end_step;
    if (cfgs[i].end_step === null) cfgs[i].end_step = cfgs[i + 1].start_step;
  }
  if (n > 1) {
    if (cfgs[n - 1].start_step === null) cfgs[n - 1].start_step = cfgs[n - 2].end_step;
    if (cfgs[n - 2].end_step === null) cfgs[n - 2].end_step = cfgs[n - 1].start_step;
  }
  for (let i = 0; i < n - 1; i++) {
    const { start_step: s, end_step: e } = cfgs[i];
    if (s === null) refuse(at(i, 'start_step'), 'must be set (it cannot be inferred from the neighbours)', null);
    if (e === null) refuse(at(i, 'end_step'), 'must be set (it cannot be inferred from the neighbours)', null);
    if (!(s >= 0)) refuse(at(i, 'start_step'), 'must be >= 0', s);
    if (!(s <= e)) refuse(at(i, 'end_step'), `must be >= start_step (${s})`, e);
    const next = cfgs[i + 1].start_step as number;
    if (!(e <= next)) refuse(at(i + 1, 'start_step'), `must be >= end_step of the schedule before it (${e})`, next);
  }
  const last = cfgs[n - 1];
  if (last.start_step === null)
    refuse(at(n - 1, 'start_step'), 'must be set (it cannot be inferred from the neighbours)', null);
  if (!(last.start_step >= 0)) refuse(at(n - 1, 'start_step'), 'must be >= 0', last.start_step);
  if (last.end_step !== null && !(last.start_step <= last.end_step))
    refuse(at(n - 1, 'end_step'), `must be >= start_step (${last.start_step})`, last.end_step);
}

const innerCache = new WeakMap<LwcdConfig, NormalSpec>();

/**
 * The SequentialStep/PercentSchedule that LinearWarmupCosineDecaySchedule builds: a LinearIncreasing
 * warmup (exclude_first when start_value == 0, exclude_last) then a CosineDecreasing to end_value.
 */
export function lwcdInner(c: LwcdConfig): NormalSpec {
  const cached = innerCache.get(c);
  if (cached) return cached;
  const warmup = increasingSchema.parse({
    kind: fq('LinearIncreasingSchedule'),
    exclude_first: c.start_value === 0,
    exclude_last: true,
    start_value: c.start_value,
    max_value: c.max_value,
  });
  const decay = decreasingSchema.parse({
    kind: fq('CosineDecreasingSchedule'),
    exclude_first: false,
    exclude_last: false,
    max_value: c.max_value,
    end_value: c.end_value,
  });
  const inner: NormalSpec =
    c.warmup_steps !== null
      ? ({
          kind: fq('SequentialStepSchedule'),
          overhang_percent: null,
          overhang_steps: null,
          schedule_configs: [
            { schedule: warmup, start_step: 0, end_step: c.warmup_steps },
            { schedule: decay, start_step: c.warmup_steps, end_step: null },
          ],
        } satisfies SequentialStepConfig)
      : ({
          kind: fq('SequentialPercentSchedule'),
          schedule_configs: [
            { schedule: warmup, start_percent: 0, end_percent: c.warmup_percent },
            { schedule: decay, start_percent: c.warmup_percent, end_percent: 1 },
          ],
        } satisfies SequentialPercentConfig);
  innerCache.set(c, inner);
  return inner;
}

/** (start_value, delta) as Decreasing/IncreasingProgressSchedule.__init__ set them. */
export function progressStartDelta(c: ProgressConfig, decreasing: boolean): [number, number] {
  const max = c.max_value as number;
  return decreasing ? [max, c.end_value - max] : [c.start_value, max - c.start_value];
}
