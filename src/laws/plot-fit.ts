/** A chart of observed loss (points) against a law's fitted curve (lines), one colour per run. */
import { renderSvg } from '../plot/chart.js';

export interface FitCurve {
  id: string;
  at: ArrayLike<number>;
  observed: ArrayLike<number>;
  fitted: ArrayLike<number>;
}

export function fitChartSpec(curves: readonly FitCurve[], title: string): Record<string, unknown> {
  const observed = curves.flatMap((c) => Array.from(c.at, (s, i) => ({ step: s, loss: c.observed[i], run: c.id })));
  const fitted = curves.flatMap((c) => Array.from(c.at, (s, i) => ({ step: s, loss: c.fitted[i], run: c.id })));
  const x = { field: 'step', type: 'quantitative', title: 'step', axis: { format: '~s' } };
  const y = { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } };
  const color = { field: 'run', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 400 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: 'points: observed loss; lines: the fitted law' },
    width: 800,
    height: 400,
    background: 'white',
    layer: [
      { data: { values: observed }, mark: { type: 'point', size: 10, opacity: 0.6 }, encoding: { x, y, color } },
      { data: { values: fitted }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
    ],
  };
}

export async function renderFitChart(curves: readonly FitCurve[], title: string): Promise<string> {
  return renderSvg(fitChartSpec(curves, title));
}
