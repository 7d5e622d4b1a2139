/** The GPU-vs-reference rules of DESIGN.md: a tolerance scaled by the curve, and jumps on the same steps. */

/**
 * The worst |value - ref| in units of max|ref| (floored at `floor`, so that curves of 1e-40 are
 * held to an absolute 1e-30 as DESIGN.md's `+ 1e-30` says, rather than to f32's subnormals).
 */
export function worstRelativeError(
  values: ArrayLike<number>,
  ref: ArrayLike<number>,
  floor = 1e-24,
): { worst: number; at: number; scale: number } {
  let scale = floor;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(values[i] - ref[i]) / (scale || 1);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  return { worst, at, scale };
}

/**
 * Steps where the curve jumps: the step difference is well above the tolerance and stands out from
 * both neighbouring differences (a steep but smooth curve does not count).
 */
export function jumpSteps(values: ArrayLike<number>, tol: number): number[] {
  const out: number[] = [];
  const d = (t: number) => (t >= 1 && t < values.length ? Math.abs(values[t] - values[t - 1]) : 0);
  for (let t = 1; t < values.length; t++) {
    const here = d(t);
    if (here > 100 * tol && here > 4 * d(t - 1) && here > 4 * d(t + 1)) out.push(t);
  }
  return out;
}

/** Every jump of `ref` is a jump in `values` (stands out at the same step), and vice versa. */
export function sameJumps(values: ArrayLike<number>, ref: ArrayLike<number>, tol: number): string | null {
  const d = (v: ArrayLike<number>, t: number) => (t >= 1 && t < v.length ? Math.abs(v[t] - v[t - 1]) : 0);
  for (const t of jumpSteps(ref, tol))
    if (!(d(values, t) > 2 * d(values, t - 1) && d(values, t) > 2 * d(values, t + 1)))
      return `reference jumps at step ${t} but the values do not`;
  for (const t of jumpSteps(values, tol))
    if (!(d(ref, t) > 2 * d(ref, t - 1) && d(ref, t) > 2 * d(ref, t + 1)))
      return `values jump at step ${t} but the reference does not`;
  return null;
}
