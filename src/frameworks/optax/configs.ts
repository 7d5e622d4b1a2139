/**
 * optax's schedule constructors (optax/schedules/_schedule.py, _join.py): their keyword arguments
 * as given (plain numbers, no coercion; an unknown keyword is a TypeError). Step counts are
 * integers here (optax would also compute with a float count).
 */
import * as z from 'zod';
import { Shown } from '../../errors.js';
import { strictFloat, strictInt } from '../../spec/fields.js';
import type { NormalSpec, Refuse } from '../types.js';

export const OPTAX = 'optax.schedules';

const strictBool = () => z.boolean({ error: 'must be true or false' });

/** `{step: scale}`: a mapping whose keys are integer steps (JSON and YAML keys arrive as text). */
const boundariesAndScales = () =>
  z
    .record(z.string().regex(/^\s*[+-]?\d+\s*$/, { error: 'keys must be integer steps' }), strictFloat(), {
      error: 'must be a mapping of integer step -> scale',
    })
    .nullable()
    .default(null);

export const constantSchema = z.strictObject({ kind: z.string(), value: strictFloat() });
export const linearSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  end_value: strictFloat(),
  transition_steps: strictInt(),
  transition_begin: strictInt().default(0),
});
export const polynomialSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  end_value: strictFloat(),
  power: strictFloat(),
  transition_steps: strictInt(),
  transition_begin: strictInt().default(0),
});
export const cosineDecaySchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  decay_steps: strictInt(),
  alpha: strictFloat().default(0),
  exponent: strictFloat().default(1),
});
const exponentialFields = {
  transition_steps: strictInt(),
  decay_rate: strictFloat(),
  transition_begin: strictInt().default(0),
  staircase: strictBool().default(false),
  end_value: strictFloat().nullable().default(null),
};
export const exponentialSchema = z.strictObject({ kind: z.string(), init_value: strictFloat(), ...exponentialFields });
export const piecewiseConstantSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  boundaries_and_scales: boundariesAndScales(),
});
export const piecewiseInterpolateSchema = z.strictObject({
  kind: z.string(),
  // checked in check(): optax raises its own ValueError
  interpolate_type: z.string({ error: 'must be a string' }),
  init_value: strictFloat(),
  boundaries_and_scales: boundariesAndScales(),
});
export const warmupConstantSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  peak_value: strictFloat(),
  warmup_steps: strictInt(),
});
export const warmupCosineSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  peak_value: strictFloat(),
  warmup_steps: strictInt(),
  decay_steps: strictInt(),
  end_value: strictFloat().default(0),
  exponent: strictFloat().default(1),
});
export const warmupExponentialSchema = z.strictObject({
  kind: z.string(),
  init_value: strictFloat(),
  peak_value: strictFloat(),
  warmup_steps: strictInt(),
  ...exponentialFields,
});
/**
 * A nested spec, taken as it comes: the kind's children() validates it and puts the normal spec in
 * its place before check, oracle or compiler see it (hence the type).
 */
const nestedSpec = <S extends NormalSpec>() => z.custom<S>();

export const sgdrSchema = z.strictObject({
  kind: z.string(),
  cosine_kwargs: z.array(nestedSpec<WarmupCosineConfig>(), {
    error: 'must be a list of warmup_cosine_decay_schedule arguments',
  }),
});
export const linearOnecycleSchema = z.strictObject({
  kind: z.string(),
  transition_steps: strictInt(),
  peak_value: strictFloat(),
  pct_start: strictFloat().default(0.3),
  pct_final: strictFloat().default(0.85),
  div_factor: strictFloat().default(25),
  final_div_factor: strictFloat().default(1e4),
});
export const cosineOnecycleSchema = z.strictObject({
  kind: z.string(),
  transition_steps: strictInt(),
  peak_value: strictFloat(),
  pct_start: strictFloat().default(0.3),
  div_factor: strictFloat().default(25),
  final_div_factor: strictFloat().default(1e4),
});
export const joinSchema = z.strictObject({
  kind: z.string(),
  schedules: z.array(nestedSpec<NormalSpec>(), { error: 'must be a list of optax schedule specs' }),
  boundaries: z.array(strictInt(), { error: 'must be a list of integer steps' }),
});

/** The constructor's arguments, without `kind`. */
export type ConstantArgs = Omit<z.output<typeof constantSchema>, 'kind'>;
export type ConstantConfig = ConstantArgs & NormalSpec;
export type LinearArgs = Omit<z.output<typeof linearSchema>, 'kind'>;
export type LinearConfig = LinearArgs & NormalSpec;
export type PolynomialArgs = Omit<z.output<typeof polynomialSchema>, 'kind'>;
export type PolynomialConfig = PolynomialArgs & NormalSpec;
export type CosineDecayArgs = Omit<z.output<typeof cosineDecaySchema>, 'kind'>;
export type CosineDecayConfig = CosineDecayArgs & NormalSpec;
export type ExponentialArgs = Omit<z.output<typeof exponentialSchema>, 'kind'>;
export type ExponentialConfig = ExponentialArgs & NormalSpec;
export type PiecewiseConstantArgs = Omit<z.output<typeof piecewiseConstantSchema>, 'kind'>;
export type PiecewiseConstantConfig = PiecewiseConstantArgs & NormalSpec;
export type PiecewiseInterpolateArgs = Omit<z.output<typeof piecewiseInterpolateSchema>, 'kind'>;
export type PiecewiseInterpolateConfig = PiecewiseInterpolateArgs & NormalSpec;
export type WarmupConstantArgs = Omit<z.output<typeof warmupConstantSchema>, 'kind'>;
export type WarmupConstantConfig = WarmupConstantArgs & NormalSpec;
export type WarmupCosineArgs = Omit<z.output<typeof warmupCosineSchema>, 'kind'>;
export type WarmupCosineConfig = WarmupCosineArgs & NormalSpec;
export type WarmupExponentialArgs = Omit<z.output<typeof warmupExponentialSchema>, 'kind'>;
export type WarmupExponentialConfig = WarmupExponentialArgs & NormalSpec;
export type SgdrConfig = z.output<typeof sgdrSchema> & NormalSpec;
export type LinearOnecycleArgs = Omit<z.output<typeof linearOnecycleSchema>, 'kind'>;
export type LinearOnecycleConfig = LinearOnecycleArgs & NormalSpec;
export type CosineOnecycleArgs = Omit<z.output<typeof cosineOnecycleSchema>, 'kind'>;
export type CosineOnecycleConfig = CosineOnecycleArgs & NormalSpec;
export type JoinConfig = z.output<typeof joinSchema> & NormalSpec;

/** (step, scale) pairs sorted by step, as `sorted(boundaries_and_scales.items())` gives them. */
export function sortedScales(m: Record<string, number> | null): [number, number][] {
  if (m === null) return [];
  return Object.entries(m)
    .map(([k, v]): [number, number] => [Number(k.trim()), v])
    .sort((a, b) => a[0] - b[0]);
}

function checkScales(m: Record<string, number> | null, fn: string, refuse: Refuse): void {
  for (const [step, scale] of Object.entries(m ?? {}))
    if (!(scale >= 0))
      refuse(['boundaries_and_scales', step], `must be >= 0 (${fn} raises ValueError for negative scales)`, scale);
}

export function checkPolynomial(c: PolynomialConfig, refuse: Refuse): void {
  // optax returns `frac ** power` = inf at the end of the transition; schedgpu refuses infinite values
  if (c.transition_steps > 0 && c.power < 0)
    refuse(['power'], 'must be >= 0 (a negative power makes the value infinite at the end of the transition)', c.power);
}

export function checkCosineDecay(c: CosineDecayConfig, refuse: Refuse): void {
  if (!(c.decay_steps > 0)) refuse(['decay_steps'], 'must be positive (optax raises ValueError)', c.decay_steps);
  if (c.exponent < 0)
    refuse(['exponent'], 'must be >= 0 (a negative exponent makes the value infinite at decay_steps)', c.exponent);
}

export function checkExponential(c: Pick<ExponentialConfig, 'transition_steps' | 'decay_rate'>, refuse: Refuse): void {
  // jnp.power(negative, fractional) is NaN; optax returns init_value before looking at the rate
  // when transition_steps <= 0 or decay_rate == 0
  if (c.transition_steps > 0 && c.decay_rate < 0)
    refuse(['decay_rate'], 'must be >= 0 (a negative rate gives NaN between whole powers)', c.decay_rate);
}

export function checkPiecewiseConstant(c: PiecewiseConstantConfig, refuse: Refuse): void {
  checkScales(c.boundaries_and_scales, 'piecewise_constant_schedule', refuse);
}

export const INTERPOLATE_TYPES = ['linear', 'cosine'];

export function checkPiecewiseInterpolate(c: PiecewiseInterpolateConfig, refuse: Refuse): void {
  if (!INTERPOLATE_TYPES.includes(c.interpolate_type))
    refuse(['interpolate_type'], "must be 'cosine' or 'linear' (optax raises ValueError)", c.interpolate_type);
  checkScales(c.boundaries_and_scales, 'piecewise_interpolate_schedule', refuse);
}

export function checkWarmupCosine(c: WarmupCosineConfig, refuse: Refuse): void {
  if (!(c.decay_steps - c.warmup_steps > 0))
    refuse(
      ['decay_steps'],
      `must exceed warmup_steps (${c.warmup_steps}): optax's cosine_decay_schedule raises ValueError for decay_steps - warmup_steps <= 0`,
      c.decay_steps,
    );
  if (c.exponent < 0)
    refuse(['exponent'], 'must be >= 0 (a negative exponent makes the value infinite at decay_steps)', c.exponent);
}

export function checkWarmupExponential(c: WarmupExponentialConfig, refuse: Refuse): void {
  checkExponential(c, refuse);
}

export function checkSgdr(c: SgdrConfig, refuse: Refuse): void {
  // join_schedules([]) returns a schedule that raises IndexError on every call
  if (c.cosine_kwargs.length === 0)
    refuse(['cosine_kwargs'], 'must list at least one cycle (optax raises IndexError at every step)', []);
}

export function checkJoin(c: JoinConfig, refuse: Refuse): void {
  if (c.schedules.length === 0)
    refuse(['schedules'], 'must list at least one schedule (optax raises IndexError at every step)', []);
}

/**
 * The {step: scale} dict linear_onecycle_schedule builds, with Python's dict-literal rule that a
 * repeated key keeps its first position and takes the last value.
 */
export function linearOnecycleScales(c: LinearOnecycleArgs): Record<string, number> {
  const ts = c.transition_steps;
  const m = new Map<number, number>();
  m.set(Math.trunc(c.pct_start * ts), c.div_factor);
  m.set(Math.trunc(c.pct_final * ts), 1 / c.div_factor);
  m.set(ts, 1 / c.final_div_factor);
  return Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
}

export function cosineOnecycleScales(c: CosineOnecycleArgs): Record<string, number> {
  const m = new Map<number, number>();
  m.set(Math.trunc(c.pct_start * c.transition_steps), c.div_factor);
  m.set(c.transition_steps, 1 / (c.div_factor * c.final_div_factor));
  return Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
}

export function checkLinearOnecycle(c: LinearOnecycleConfig, refuse: Refuse): void {
  if (!(c.transition_steps > 0))
    refuse(['transition_steps'], 'must be positive (optax raises ValueError)', c.transition_steps);
  if (c.div_factor === 0) refuse(['div_factor'], 'must not be 0 (ZeroDivisionError)', c.div_factor);
  if (c.final_div_factor === 0) refuse(['final_div_factor'], 'must not be 0 (ZeroDivisionError)', c.final_div_factor);
  onecycleScalesOk(linearOnecycleScales(c), refuse);
}

export function checkCosineOnecycle(c: CosineOnecycleConfig, refuse: Refuse): void {
  if (!(c.transition_steps > 0))
    refuse(['transition_steps'], 'must be positive (optax raises ValueError)', c.transition_steps);
  if (c.div_factor === 0) refuse(['div_factor'], 'must not be 0 (ZeroDivisionError)', c.div_factor);
  if (c.div_factor * c.final_div_factor === 0)
    refuse(['final_div_factor'], 'must not be 0 (ZeroDivisionError)', c.final_div_factor);
  onecycleScalesOk(cosineOnecycleScales(c), refuse);
}

function onecycleScalesOk(scales: Record<string, number>, refuse: Refuse): void {
  for (const scale of Object.values(scales))
    if (!(scale >= 0))
      refuse(
        ['div_factor'],
        'and final_div_factor must be >= 0 (piecewise_interpolate_schedule raises ValueError for negative scales)',
        new Shown(String(scale)),
      );
}

/** The two schedules warmup_cosine_decay_schedule joins at warmup_steps. */
export function warmupCosineParts(c: WarmupCosineArgs) {
  const alpha = c.peak_value === 0 ? 0 : c.end_value / c.peak_value;
  return {
    warmup: {
      init_value: c.init_value,
      end_value: c.peak_value,
      transition_steps: c.warmup_steps,
      transition_begin: 0,
    },
    decay: { init_value: c.peak_value, decay_steps: c.decay_steps - c.warmup_steps, alpha, exponent: c.exponent },
  };
}

/** The two schedules warmup_exponential_decay_schedule joins at warmup_steps. */
export function warmupExponentialParts(c: WarmupExponentialArgs) {
  return {
    warmup: {
      init_value: c.init_value,
      end_value: c.peak_value,
      transition_steps: c.warmup_steps,
      transition_begin: 0,
    },
    decay: {
      init_value: c.peak_value,
      transition_steps: c.transition_steps,
      decay_rate: c.decay_rate,
      transition_begin: c.transition_begin,
      staircase: c.staircase,
      end_value: c.end_value,
    },
  };
}

/** sgdr_schedule's boundaries: the running sum of decay_steps, the last one dropped. */
export function sgdrBoundaries(c: SgdrConfig): number[] {
  const boundaries: number[] = [];
  let step = 0;
  for (const kwargs of c.cosine_kwargs) {
    boundaries.push(step + kwargs.decay_steps);
    step += kwargs.decay_steps;
  }
  return boundaries.slice(0, -1);
}
