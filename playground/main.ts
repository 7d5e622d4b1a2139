/**
 * The playground: edit specs or a sweep file in a YAML editor that completes and checks against the
 * project's JSON Schema, see every curve (a sweep as percentile bands) and its statistics update
 * live, compare two kinds and their difference, share the view as a link, export the table. Values
 * come from the library's own pipeline (spec -> plan -> backend): WebGPU when the browser has an
 * adapter, the CPU backend otherwise. `window.schedgpu` exposes the last result for tests.
 */
import { basicSetup, EditorView } from 'codemirror';
import { yamlLanguage } from '@codemirror/lang-yaml';
import { yamlSchema } from 'codemirror-json-schema/yaml';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import {
  chartSpec,
  collectTable,
  ColumnReducer,
  compilePlan,
  computePartials,
  InlineCpuBackend,
  npyHeader,
  parseSpecText,
  rangeSet,
  rowStats,
  validateSpecs,
  WebGpuBackend,
  type Backend,
  type Plan,
  type Table,
} from '../src/browser.js';
import { specJsonSchema } from '../src/spec/json-schema.js';
import { expandSweep } from '../src/sweep/expand.js';
import { compileSweepPlan } from '../src/sweep/plan.js';
import { kindCompletion, kindFields } from './complete.js';
import { COMPARE, COMPARE_STEPS, EXAMPLE, SWEEP } from './presets.js';
import { decodeState, encodeState } from './state.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const stepsBox = $<HTMLInputElement>('steps');
const logY = $<HTMLInputElement>('logy');
const diffBox = $<HTMLInputElement>('diff');

declare global {
  interface Window {
    schedgpu: {
      backend: string;
      table: Table | null;
      error: string | null;
      runs: number;
      /** First row minus second, when "difference" is on and there are two rows. */
      diff: number[] | null;
      sweep: boolean;
    };
  }
}
window.schedgpu = { backend: '', table: null, error: null, runs: 0, diff: null, sweep: false };

/** The JSON Schema for the editor: its completion and checks read draft-07, so no 2020-12 marker. */
function editorSchema(): Record<string, unknown> {
  const { $schema: _draft, ...schema } = specJsonSchema();
  return schema;
}

const editor = new EditorView({
  parent: $('spec'),
  extensions: [
    basicSetup,
    yamlSchema(editorSchema() as never),
    yamlLanguage.data.of({ autocomplete: kindCompletion(kindFields(specJsonSchema())) }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) schedule();
    }),
  ],
});
const specText = () => editor.state.doc.toString();
const setSpec = (text: string) => editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });

async function pickBackend(): Promise<Backend> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  if (adapter) {
    const device = await adapter.requestDevice();
    const info = adapter.info;
    return new WebGpuBackend(device, { adapter: `${info.vendor} ${info.architecture} ${info.description}`.trim() });
  }
  return new InlineCpuBackend();
}

const backendReady = pickBackend();

/** A spec file compiles over the steps box; a sweep file brings its own steps. */
function planOf(raw: unknown): { plan: Plan; sweep: boolean } {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && ('base' in raw || 'bases' in raw)) {
    const expanded = expandSweep(raw);
    return { plan: compileSweepPlan(expanded.variants, expanded.steps), sweep: true };
  }
  return { plan: compilePlan(validateSpecs(raw).runs, Number(stepsBox.value)), sweep: false };
}

async function draw(container: string, reduced: ColumnReducer, ids: string[], title: string, field: string) {
  const spec = chartSpec(reduced, { ids, field, title, logY: logY.checked && field === 'lr', width: 700 });
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'svg', container });
  await view.runAsync();
}

async function update(): Promise<void> {
  const backend = await backendReady;
  try {
    const { plan, sweep } = planOf(parseSpecText(specText()));
    const table = await collectTable(plan, backend);
    const reduced = new ColumnReducer(plan.rows, plan.steps, 700);
    reduced.add({ row0: 0, rows: plan.rows, step0: 0, steps: plan.steps, data: table.values });
    await draw('#chart', reduced, plan.ids, `${plan.rows} schedules x ${plan.steps} steps`, 'lr');
    let diff: number[] | null = null;
    $('diffchart').innerHTML = '';
    if (diffBox.checked && plan.rows >= 2) {
      const n = plan.steps;
      diff = Array.from({ length: n }, (_, t) => table.values[t] - table.values[n + t]);
      const one = new ColumnReducer(1, n, 700);
      one.add({ row0: 0, rows: 1, step0: 0, steps: n, data: Float64Array.from(diff) });
      const worst = Math.max(...diff.map(Math.abs));
      const label = `${plan.ids[0]} - ${plan.ids[1]}`;
      await draw('#diffchart', one, [label], `difference: max |${label}| = ${worst.toPrecision(3)}`, 'difference');
    }
    const set = rangeSet(plan.steps);
    const stats = rowStats(plan.ids, set, await computePartials(plan, set, backend));
    $('stats').innerHTML =
      '<tr><th>id</th><th>first</th><th>last</th><th>min</th><th>max</th><th>mean</th><th>discontinuities</th></tr>' +
      stats
        .slice(0, 50)
        .map(
          (s) =>
            `<tr><td>${s.id}</td>${[s.first, s.last, s.min, s.max, s.mean].map((v) => `<td>${v.toPrecision(6)}</td>`).join('')}<td>${s.discontinuities}</td></tr>`,
        )
        .join('');
    $('error').textContent = '';
    window.schedgpu = { backend: backend.describe(), table, error: null, runs: window.schedgpu.runs + 1, diff, sweep };
  } catch (e) {
    // bad specs show their one-line message; the last good chart stays
    $('error').textContent = (e as Error).message;
    window.schedgpu = { ...window.schedgpu, error: (e as Error).message, runs: window.schedgpu.runs + 1 };
  }
  // the URL always holds what is shown, so the address bar is a link to this view
  const hash = encodeState({
    spec: specText(),
    steps: Number(stepsBox.value),
    logY: logY.checked,
    diff: diffBox.checked,
  });
  history.replaceState(null, '', hash);
  $<HTMLAnchorElement>('share').href = hash;
  $('backend').textContent = `backend: ${backend.describe()}`;
}

function download(name: string, parts: BlobPart[], type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(parts, { type }));
  a.download = name;
  a.click();
}

$('npy').onclick = () => {
  const t = window.schedgpu.table;
  if (t) download('table.npy', [npyHeader(t.dtype, [t.rows, t.steps]), t.values], 'application/octet-stream');
};
$('csv').onclick = () => {
  const t = window.schedgpu.table;
  if (!t) return;
  const lines = [['step', ...t.ids].join(',')];
  for (let s = 0; s < t.steps; s++) lines.push([s, ...t.ids.map((_, r) => t.values[r * t.steps + s])].join(','));
  download('table.csv', [lines.join('\n') + '\n'], 'text/csv');
};
$('compare').onclick = () => {
  stepsBox.value = String(COMPARE_STEPS);
  diffBox.checked = true;
  setSpec(COMPARE);
};
$('sweep').onclick = () => setSpec(SWEEP);

let pending: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(pending);
  pending = setTimeout(update, 250);
}
stepsBox.addEventListener('input', schedule);
logY.addEventListener('change', schedule);
diffBox.addEventListener('change', schedule);

const shared = decodeState(location.hash);
if (shared?.steps) stepsBox.value = String(shared.steps);
logY.checked = shared?.logY ?? false;
diffBox.checked = shared?.diff ?? false;
setSpec(shared?.spec ?? EXAMPLE);
clearTimeout(pending);
void update();
