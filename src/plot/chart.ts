/**
 * One chart of many curves, as a Vega-Lite spec rendered by Vega to SVG (and by resvg to PNG), in
 * Node without a browser. Up to LINE_LIMIT curves are drawn as lines; more as percentile bands of
 * the per-column means, with the selected ids drawn on top as lines.
 */
import type { ColumnReducer } from './downsample.js';

export const LINE_LIMIT = 12;

export interface ChartOptions {
  ids: readonly string[];
  /** The scheduled field, for the y axis title (lr, weight_decay, ...). */
  field: string;
  title: string;
  logY?: boolean;
  /** Rows drawn as lines (all rows when there are few). */
  select?: readonly number[];
  /** Add each drawn curve's min and max to its legend label. */
  withStats?: boolean;
  width?: number;
  height?: number;
}

interface Point {
  step: number;
  value: number;
  curve: string;
}

/** A row's drawn points: per column its min and max, ordered to continue from the previous column. */
function linePoints(reduced: ColumnReducer, row: number, label: string): Point[] {
  const points: Point[] = [];
  let last = NaN;
  for (let c = 0; c < reduced.columns; c++) {
    if (!reduced.has(row, c)) continue;
    const k = row * reduced.columns + c;
    const [lo, hi] = [reduced.min[k], reduced.max[k]];
    const step = reduced.columnStep(c);
    const pair = Math.abs(hi - last) < Math.abs(lo - last) ? [hi, lo] : [lo, hi];
    points.push({ step, value: pair[0], curve: label });
    if (hi !== lo) points.push({ step, value: pair[1], curve: label });
    last = pair[1];
  }
  return points;
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const i = Math.floor(at);
  return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (at - i) : sorted[i];
}

/** Per column, quantiles of the rows' column means: the band a reader sees for thousands of curves. */
function bandRows(reduced: ColumnReducer) {
  const out: Record<string, number>[] = [];
  for (let c = 0; c < reduced.columns; c++) {
    const means: number[] = [];
    for (let r = 0; r < reduced.rows; r++) if (reduced.has(r, c)) means.push(reduced.mean(r, c));
    if (!means.length) continue;
    means.sort((a, b) => a - b);
    out.push({
      step: reduced.columnStep(c),
      p5: quantile(means, 0.05),
      p25: quantile(means, 0.25),
      p50: quantile(means, 0.5),
      p75: quantile(means, 0.75),
      p95: quantile(means, 0.95),
    });
  }
  return out;
}

const fmt = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2);

export function chartSpec(reduced: ColumnReducer, options: ChartOptions): Record<string, unknown> {
  const lines = options.select ?? (reduced.rows <= LINE_LIMIT ? Array.from({ length: reduced.rows }, (_, r) => r) : []);
  const label = (r: number) => {
    if (!options.withStats) return options.ids[r];
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < reduced.columns; c++) {
      const k = r * reduced.columns + c;
      if (reduced.min[k] < lo) lo = reduced.min[k];
      if (reduced.max[k] > hi) hi = reduced.max[k];
    }
    return `${options.ids[r]} (${fmt(lo)} .. ${fmt(hi)})`;
  };
  const y = {
    type: 'quantitative',
    title: options.field,
    scale: options.logY ? { type: 'log' } : { zero: false },
    axis: { format: '~g' },
  };
  const x = { field: 'step', type: 'quantitative', title: 'step', axis: { format: '~s' } };
  const positive = options.logY ? [{ filter: 'datum.value > 0' }] : [];
  const layers: Record<string, unknown>[] = [];
  if (reduced.rows > LINE_LIMIT) {
    const band = { values: bandRows(reduced) };
    const pos = options.logY ? [{ filter: 'datum.p5 > 0' }] : [];
    layers.push(
      {
        data: band,
        transform: pos,
        mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
        encoding: { x, y: { ...y, field: 'p5' }, y2: { field: 'p95' } },
      },
      {
        data: band,
        transform: pos,
        mark: { type: 'area', opacity: 0.45, color: '#4c78a8' },
        encoding: { x, y: { ...y, field: 'p25' }, y2: { field: 'p75' } },
      },
      {
        data: band,
        transform: pos,
        mark: { type: 'line', color: '#1f3b63', strokeWidth: 1.5 },
        encoding: { x, y: { ...y, field: 'p50' } },
      },
    );
  }
  if (lines.length)
    layers.push({
      data: { values: lines.flatMap((r) => linePoints(reduced, r, label(r))) },
      transform: positive,
      mark: { type: 'line', strokeWidth: 1.5, interpolate: 'linear' },
      encoding: {
        x,
        y: { ...y, field: 'value' },
        color: {
          field: 'curve',
          type: 'nominal',
          title: null,
          sort: null,
          legend: { orient: 'right', labelLimit: 400 },
          // over the blue bands, selected curves take warm colours
          ...(reduced.rows > LINE_LIMIT
            ? { scale: { range: ['#e45756', '#f58518', '#54a24b', '#b279a2', '#9d755d', '#eeca3b'] } }
            : {}),
        },
      },
    });
  const subtitle =
    reduced.rows > LINE_LIMIT
      ? `${reduced.rows} curves: median, 25-75% and 5-95% of the per-column means${lines.length ? ', selected ids as lines' : ''}`
      : `${reduced.rows} curve${reduced.rows === 1 ? '' : 's'}, min and max of every ${reduced.stepsPerColumn} steps drawn`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: options.title, subtitle },
    width: options.width ?? 800,
    height: options.height ?? 400,
    background: 'white',
    layer: layers,
  };
}

/** Vega-Lite -> Vega -> SVG text (no browser: Vega's headless view). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Rows grouped by kind (short names), in order of first appearance: the panels of `--facet kind`. */
export function facetGroups(kinds: readonly string[]): { name: string; rows: number[] }[] {
  const groups = new Map<string, number[]>();
  kinds.forEach((kind, r) => {
    const name = kind.slice(kind.lastIndexOf('.') + 1);
    groups.set(name, [...(groups.get(name) ?? []), r]);
  });
  return [...groups].map(([name, rows]) => ({ name, rows }));
}

/** Small multiples: one chart per group of rows, two to a row, each drawn as chartSpec draws it. */
export function facetSpec(
  reduced: ColumnReducer,
  groups: readonly { name: string; rows: number[] }[],
  options: ChartOptions,
): Record<string, unknown> {
  const width = Math.max(200, Math.floor((options.width ?? 800) / Math.min(2, groups.length)) - 60);
  const panels = groups.map(({ name, rows }) => {
    const select = options.select?.flatMap((r) => (rows.includes(r) ? [rows.indexOf(r)] : []));
    const panel = chartSpec(reduced.subset(rows), {
      ...options,
      ids: rows.map((r) => options.ids[r]),
      title: name,
      select: options.select ? select : undefined,
      width,
      height: Math.round((options.height ?? 400) / 1.6),
    });
    const { $schema: _schema, background: _background, ...rest } = panel;
    // each panel keeps its own colours and legend
    return { ...rest, resolve: { scale: { color: 'independent' } } };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: options.title, subtitle: `one chart per kind (${groups.length})` },
    background: 'white',
    columns: 2,
    concat: panels,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}
