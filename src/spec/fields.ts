/**
 * Field types with pydantic's lax coercion (the frameworks validate configs with pydantic):
 * "0.5" is a float, 5.0 is an int, "yes" is a bool. Messages are the `problem` part of
 * `path: problem, got value`. Non-finite numbers are refused everywhere (pydantic would take "inf";
 * no schedule means it).
 */
import * as z from 'zod';

const NUMBER_TEXT = /^\s*[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?\s*$/;
const INT_TEXT = /^\s*[+-]?\d[\d_]*\s*$/;
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });

/** float: a number, a numeric string or a bool, as pydantic's lax mode takes it. */
export function laxFloat() {
  return z
    .union(
      [
        z.number(),
        z.boolean().transform(Number),
        z
          .string()
          .regex(NUMBER_TEXT)
          .transform((s) => Number(s.replace(/_/g, ''))),
      ],
      { error: 'must be a number' },
    )
    .pipe(finite);
}

/** int: an integer, a float without fractional part, an integer string or a bool. */
export function laxInt() {
  return z
    .union(
      [
        z.number(),
        z.boolean().transform(Number),
        z
          .string()
          .regex(INT_TEXT)
          .transform((s) => Number(s.replace(/_/g, ''))),
      ],
      { error: 'must be an integer' },
    )
    .pipe(finite)
    .pipe(z.number().refine(Number.isInteger, { error: 'must be an integer' }))
    .pipe(z.number().refine(Number.isSafeInteger, { error: 'must be an integer below 2^53' }));
}

/** bool: true/false, 0/1 or one of pydantic's words (yes/no, on/off, t/f, y/n). */
export function laxBool() {
  return z.union(
    [
      z.boolean(),
      z.union([z.literal(0), z.literal(1)]).transform((n) => n === 1),
      z
        .string()
        .refine((s) => TRUE_WORDS.has(s.trim().toLowerCase()) || FALSE_WORDS.has(s.trim().toLowerCase()))
        .transform((s) => TRUE_WORDS.has(s.trim().toLowerCase())),
    ],
    { error: 'must be a boolean' },
  );
}

export const ge = (min: number) => z.number().min(min, { error: `must be >= ${min}` });
export const gt = (min: number) => z.number().gt(min, { error: `must be > ${min}` });
export const between = (lo: number, hi: number, open = false) =>
  open
    ? z.number().refine((v) => v > lo && v < hi, { error: `must be in (${lo}, ${hi})` })
    : z.number().refine((v) => v >= lo && v <= hi, { error: `must be in [${lo}, ${hi}]` });

/** A float list such as CustomSchedule.values. */
export function laxFloatList() {
  return z.array(laxFloat(), { error: 'must be a list of numbers' });
}

/**
 * A plain number, no coercion: for fields noether's dataclass constructors take as given
 * (SequentialPercent/StepScheduleConfig), where a string is never converted and fails later.
 */
export function strictFloat() {
  // Python's bool is an int, so True/False pass where numbers are used as given
  return z.union([z.number(), z.boolean().transform(Number)], { error: 'must be a number' }).pipe(finite);
}

/** A plain integer, no coercion (see strictFloat). */
export function strictInt() {
  return strictFloat().pipe(z.number().refine(Number.isSafeInteger, { error: 'must be an integer' }));
}

/** An optimizer's lr (base_lr): torch's optimizers raise ValueError("Invalid learning rate") below 0. */
export function optimizerLr() {
  return strictFloat().pipe(
    z.number().min(0, { error: 'must be >= 0 (the optimizer raises ValueError: Invalid learning rate)' }),
  );
}
