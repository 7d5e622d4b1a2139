/**
 * The evaluate kernel's WGSL: shaders/evaluate.wgsl with the Segment struct (from the layout), every
 * primitive's function and the switch over primitive ids generated from the registry. The text
 * depends on structure only; every number travels in buffers.
 */
import evaluateWgsl from '../../../shaders/evaluate.wgsl';
import mathWgsl from '../../../shaders/math.wgsl';
import { segmentStructWgsl } from '../../plan/layout.js';
import { PRIMITIVES } from '../../plan/primitives.js';

function primitiveSwitch(): string {
  const cases = PRIMITIVES.map((p, id) => `    case ${id}u: { return prim_${p.name}(s, x); }`);
  return `  switch (s.prim) {\n${cases.join('\n')}\n    default: { return 0.0; }\n  }`;
}

let cached: string | null = null;

export function evaluateShaderSource(): string {
  cached ??= evaluateWgsl
    .replace('//!SEGMENT_STRUCT', segmentStructWgsl())
    .replace('//!MATH', mathWgsl.trim())
    .replace('//!PRIMITIVE_FUNCTIONS', PRIMITIVES.map((p) => p.wgsl.trim()).join('\n\n'))
    .replace('//!PRIMITIVE_SWITCH', primitiveSwitch());
  return cached;
}
