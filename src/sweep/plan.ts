/**
 * One plan for a whole sweep (or a shard of it): every variant is a row, whatever its kind; rows
 * shorter than the widest run end in NaN.
 */
import { SpecError } from '../errors.js';
import { compileRun, flattenPlan, type Plan } from '../plan/compile.js';
import { constantSegment } from '../plan/segments.js';
import { locate, type Variant } from './expand.js';

export function compileSweepPlan(variants: readonly Variant[], width: number): Plan {
  const rows = variants.map((v) => {
    let tracks;
    try {
      tracks = compileRun(v.run, v.steps);
    } catch (e) {
      throw e instanceof SpecError ? locate(e, v.basePath, v.params, v.sources) : e;
    }
    // ragged runs: past its own end a row is NaN (track 0) times 1 (the other tracks)
    if (v.steps < width) tracks.forEach((track, j) => track.push(constantSegment(v.steps, j === 0 ? NaN : 1)));
    return { id: v.id, kind: v.run.spec.kind, tracks };
  });
  return flattenPlan(rows, width);
}
