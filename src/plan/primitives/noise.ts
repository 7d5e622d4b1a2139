/** timm's lr noise as a factor 1 + noise(seed, x), from counter-based hash draws. */
import wgsl from '../../../shaders/primitives/noise.wgsl';
import wgslHigh from '../../../shaders/primitives/noise.high.wgsl';
import { noiseValue } from '../../frameworks/noise.js';
import { definePrimitive } from './types.js';

export const noise = definePrimitive({
  name: 'noise',
  params: [],
  breaksUsed: () => 2,
  scaled: [],
  summary: '1 + noise(seed, x): counter-based hash draws (breaks: seed, threshold)',
  wgsl,
  wgslHigh,
  // |noise| < threshold * 2^-24 (breaks: seed, threshold)
  magnitude: (s) => 1 + s.breakAt(1) * 2 ** -24,
  fill(s, x0, out, o, n) {
    const seed = s.breaks[s.breaksAt];
    const threshold = s.breaks[s.breaksAt + 1];
    for (let i = 0; i < n; i++) out[o + i] = 1 + noiseValue(seed, x0 + i, threshold);
  },
});
