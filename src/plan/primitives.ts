/**
 * The primitive curves, in id order: a segment's `prim` is its index here, in plans and in the
 * shader's switch. Each lives in its own module (src/plan/primitives/<name>.ts) with its TS loop,
 * its WGSL (shaders/primitives/<name>.wgsl and <name>.high.wgsl), its magnitude bound, its progress
 * flag and its pool counts; the shader, the bounds and the layout read them from this list. Adding
 * a primitive: its module, its two .wgsl files and one line below.
 */
import { constant } from './primitives/constant.js';
import { cosine } from './primitives/cosine.js';
import { exponential } from './primitives/exponential.js';
import { kpoly } from './primitives/kpoly.js';
import { levels } from './primitives/levels.js';
import { linear } from './primitives/linear.js';
import { noise } from './primitives/noise.js';
import { offsetexp } from './primitives/offsetexp.js';
import { polynomial } from './primitives/polynomial.js';
import { pulses } from './primitives/pulses.js';
import { rampexp } from './primitives/rampexp.js';
import { reciprocal } from './primitives/reciprocal.js';
import { rex } from './primitives/rex.js';
import { table } from './primitives/table.js';
import { tanh } from './primitives/tanh.js';
import type { Primitive } from './primitives/types.js';

export type { MagnitudeInput, Primitive, SegmentView } from './primitives/types.js';
export { lowerBound, upperBound } from './primitives/search.js';

const LIST = [
  constant,
  linear,
  cosine,
  polynomial,
  exponential,
  levels,
  table,
  pulses,
  kpoly,
  reciprocal,
  tanh,
  rampexp,
  noise,
  offsetexp,
  rex,
] as const;

export type PrimitiveName = (typeof LIST)[number]['name'];

export const PRIMITIVES: readonly Primitive<PrimitiveName>[] = LIST;

export const PRIMITIVE_IDS: Readonly<Record<PrimitiveName, number>> = Object.fromEntries(
  PRIMITIVES.map((p, i) => [p.name, i]),
) as Record<PrimitiveName, number>;

export function primitiveByName(name: PrimitiveName): Primitive<PrimitiveName> {
  return PRIMITIVES[PRIMITIVE_IDS[name]];
}

/** A segment's `count` from the lengths of its own levels and breaks. */
export function segmentCount(prim: Primitive, levels: number, breaks: number): number {
  return prim.count ? prim.count(levels, breaks) : levels;
}
