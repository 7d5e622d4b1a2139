/**
 * Curves of very different scales in one chart: a 0.1-peak curve flattens three 1e-3-peak curves
 * against the axis. `--normalize` divides each curve by its own peak; without it, a span of peaks
 * over SPAN_LIMIT gets a suggestion on stderr.
 */
import type { ColumnReducer } from './downsample.js';

export const SPAN_LIMIT = 100;

/** Largest over smallest non-zero peak |value| of the rows, or 1 when fewer than two are non-zero. */
export function peakSpan(reduced: ColumnReducer, rows?: readonly number[]): number {
  const peaks = (rows ?? Array.from({ length: reduced.rows }, (_, r) => r))
    .map((r) => reduced.peak(r))
    .filter((p) => p > 0);
  return peaks.length < 2 ? 1 : Math.max(...peaks) / Math.min(...peaks);
}

/** Divide every row by its own peak |value| (rows of zeros stay as they are). */
export function normalizeRows(reduced: ColumnReducer): void {
  for (let r = 0; r < reduced.rows; r++) {
    const p = reduced.peak(r);
    if (p > 0) reduced.divideRow(r, p);
  }
}

/** The stderr line for a chart whose curves span more than SPAN_LIMIT, or null. */
export function spanSuggestion(span: number): string | null {
  if (!(span > SPAN_LIMIT)) return null;
  return `schedgpu: the curves' peaks span ${span >= 1e4 ? span.toExponential(1) : Math.round(span)}x, so the smaller ones lie flat: --normalize divides each curve by its own max, --facet kind draws one chart per kind`;
}
