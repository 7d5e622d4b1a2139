/**
 * The few Python float semantics the frameworks' formulas depend on, so the oracle can raise where
 * Python raises and round where Python rounds.
 */

/** An exception the real framework code raises (ValueError, ZeroDivisionError, ...). */
export class FrameworkError extends Error {
  constructor(
    readonly type: string,
    readonly detail: string,
  ) {
    super(`${type}: ${detail}`);
    this.name = 'FrameworkError';
  }
}

/** Python's `a / b` for numbers: ZeroDivisionError instead of Infinity. */
export function pyDiv(a: number, b: number): number {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'division by zero');
  return a / b;
}

/** Python's `float ** float`: errors for 0 ** negative, complex results and overflow. */
export function pyPow(base: number, exp: number): number {
  if (base === 0 && exp < 0) throw new FrameworkError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (base < 0 && !Number.isInteger(exp) && Number.isFinite(exp))
    // Python returns a complex number; float() of it raises
    throw new FrameworkError('TypeError', "float() argument must be a string or a real number, not 'complex'");
  const r = base ** exp;
  if (!Number.isFinite(r) && Number.isFinite(base) && Number.isFinite(exp))
    throw new FrameworkError('OverflowError', "(34, 'Numerical result out of range')");
  return r;
}

/**
 * Python's `round(x, 10)`: the decimal string correctly rounded to 10 places, read back as a float.
 * toFixed rounds the exact binary value too; it differs from Python only on exact ties, which
 * cannot change the integer part that the frameworks take afterwards.
 */
export function pyRound10(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  return Number(x.toFixed(10));
}

/** Python's `int(x)` for a float: truncation toward zero, OverflowError for infinities. */
export function pyInt(x: number): number {
  if (!Number.isFinite(x))
    throw new FrameworkError(Number.isNaN(x) ? 'ValueError' : 'OverflowError', `cannot convert float ${x} to integer`);
  return Math.trunc(x);
}

/** int(round(v, 10)) without the string round trip where it cannot matter (the hot path of staircases). */
export function pyIntRound10(v: number): number {
  const f = v - Math.floor(v);
  if (v >= 0 && f < 1 - 1e-9 && f > 1e-9) return Math.floor(v);
  return pyInt(pyRound10(v));
}
