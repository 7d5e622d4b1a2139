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
 * The smallest whole k >= 0 for which Python's `base ** k` raises OverflowError (|base| > 1), or
 * Infinity: where a schedule's decay or growth factor stops being a number.
 */
export function firstOverflowingPower(base: number): number {
  const b = Math.abs(base);
  if (!(b > 1)) return Infinity;
  let k = Math.max(0, Math.floor(1023 / Math.log2(b)) - 2);
  while (Number.isFinite(b ** k)) k++;
  return k;
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

// double-double helpers for pyLn (error-free sum and product)
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const split = (x: number) => {
    const c = 134217729 * x;
    const hi = c - (c - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}
function ddAdd(a: [number, number], b: [number, number]): [number, number] {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}
function ddMul(a: [number, number], b: [number, number]): [number, number] {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function ddDiv(a: [number, number], b: [number, number]): [number, number] {
  const q = a[0] / b[0];
  const r = ddAdd(a, ddMul([-q, 0], b));
  return twoSum(q, r[0] / b[0]);
}
const LN2: [number, number] = [0.6931471805599453, 2.3190468138462996e-17];

/**
 * ln(x) correctly rounded, as glibc's log (which CPython's math.log calls) gives it: V8's Math.log
 * is an ulp off for some inputs (ln 3), and timm floors log(x) / log(m) at exact cycle boundaries,
 * where that ulp moves a step into the next cycle. Double-double: x = m 2^e, ln m = 2 atanh(s),
 * s = (m - 1) / (m + 1) <= 0.172, so 24 terms of the series reach ~1e-34.
 */
export function pyLn(x: number): number {
  if (!(x > 0)) throw new FrameworkError('ValueError', 'math domain error');
  if (x === Infinity) return x;
  let e = Math.round(Math.log2(x));
  let m = x / 2 ** e;
  if (!Number.isFinite(m) || m === 0) return Math.log(x); // subnormal or extreme: beyond any schedule
  while (m >= Math.SQRT2) [m, e] = [m / 2, e + 1];
  while (m < Math.SQRT1_2) [m, e] = [m * 2, e - 1];
  const s = ddDiv([m - 1, 0], twoSum(m, 1));
  const s2 = ddMul(s, s);
  let power = s;
  let series: [number, number] = s;
  for (let k = 1; k <= 24; k++) {
    power = ddMul(power, s2);
    series = ddAdd(series, ddDiv(power, [2 * k + 1, 0]));
  }
  const result = ddAdd(ddMul(LN2, [e, 0]), ddMul(series, [2, 0]));
  return result[0] + result[1];
}

/** Python's math.log(x, base): log(x) / log(base), ValueError outside the domain. */
export function pyLogBase(x: number, base: number): number {
  if (!(x > 0) || !(base > 0)) throw new FrameworkError('ValueError', 'math domain error');
  return pyDiv(pyLn(x), pyLn(base));
}

/** Python's `a // b` for floats: the floor of the exact quotient (CPython's float_floor_div). */
export function pyFloorDiv(a: number, b: number): number {
  if (b === 0) throw new FrameworkError('ZeroDivisionError', 'float floor division by zero');
  let mod = a % b; // fmod: exact
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0 * (a / b);
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

/** Python's bisect.bisect_right(a, x): a binary search, whatever the order of a. */
export function bisectRight(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
