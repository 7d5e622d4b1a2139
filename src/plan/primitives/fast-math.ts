/**
 * Faster f64 forms of what the primitives' CPU loops compute per value, each within a few ulps of
 * the direct form (DESIGN.md's CPU tolerance is 1e-12 of max|v|; test/primitives.test.ts measures
 * them). V8's `**` with a variable exponent costs 5-40 ns and Math.cos about 6 ns; a multiplication
 * is well under one.
 */

/**
 * Whole powers up to this go by intPow: squaring doubles a relative error, so b^n drifts by up to
 * about n/2 ulps (32 here, 7e-15); pow stays within one ulp for larger n.
 */
export const MAX_INT_POW = 64;

/** b^n for a whole 0 <= n <= MAX_INT_POW by repeated squaring. */
export function intPow(b: number, n: number): number {
  let result = 1;
  let base = b;
  // integer bit operations: n is small (a float loop here costs 4x more)
  for (let e = n | 0; e > 0; e >>= 1) {
    if (e & 1) result *= base;
    base *= base;
  }
  return result;
}

/** Steps per block of the angle-addition and ratio tables below. */
export const BLOCK = 64;
/** Cosines over fewer steps than this evaluate directly: a table costs 2 BLOCK trig calls. */
export const TABLE_MIN_RUN = 4 * BLOCK;

/**
 * cos(a + j h) for j < BLOCK as cos a cos(jh) - sin a sin(jh): a table of cos(jh), sin(jh), then two
 * multiplications per value and one cos/sin pair per block. No recurrence, so no error builds up.
 */
export class CosineTable {
  readonly cos = new Float64Array(BLOCK);
  readonly sin = new Float64Array(BLOCK);
  private h = NaN;

  /** The table for step angle h (kept from the last call when h is the same). */
  for(h: number): this {
    if (h !== this.h) {
      for (let j = 0; j < BLOCK; j++) {
        this.cos[j] = Math.cos(j * h);
        this.sin[j] = Math.sin(j * h);
      }
      this.h = h;
    }
    return this;
  }
}

/** base^(j / d) for j < BLOCK: base^((x + j) / d) = base^(x / d) * base^(j / d), one pow per block. */
export class RatioTable {
  readonly ratio = new Float64Array(BLOCK);
  private base = NaN;
  private d = NaN;

  for(base: number, d: number): this {
    if (base !== this.base || d !== this.d) {
      for (let j = 0; j < BLOCK; j++) this.ratio[j] = base ** (j / d);
      this.base = base;
      this.d = d;
    }
    return this;
  }
}
