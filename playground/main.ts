/**
 * The playground: edit specs, see every curve and its statistics update live, export the table.
 * Values come from the library's own pipeline (spec -> plan -> backend): WebGPU when the browser
 * has an adapter, the CPU backend otherwise. `window.schedgpu` exposes the last result for tests.
 */
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
  type Table,
} from '../src/browser.js';

const EXAMPLE = `- id: warmup-cosine
  kind: LinearWarmupCosineDecaySchedule
  max_value: 1.0e-3
  warmup_percent: 0.05
- id: steps
  kind: StepFixedSchedule
  start_value: 1.0e-3
  factor: 0.3
  steps: [0.5, 0.75]
`;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const specBox = $<HTMLTextAreaElement>('spec');
const stepsBox = $<HTMLInputElement>('steps');
const logY = $<HTMLInputElement>('logy');

declare global {
  interface Window {
    schedgpu: { backend: string; table: Table | null; error: string | null; runs: number };
  }
}
window.schedgpu = { backend: '', table: null, error: null, runs: 0 };

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

async function update(): Promise<void> {
  const backend = await backendReady;
  try {
    const steps = Number(stepsBox.value);
    const plan = compilePlan(validateSpecs(parseSpecText(specBox.value)).runs, steps);
    const table = await collectTable(plan, backend);
    const reduced = new ColumnReducer(plan.rows, plan.steps, 700);
    reduced.add({ row0: 0, rows: plan.rows, step0: 0, steps: plan.steps, data: table.values });
    const spec = chartSpec(reduced, {
      ids: plan.ids,
      field: 'lr',
      title: `${plan.rows} schedules x ${steps} steps`,
      logY: logY.checked,
      width: 700,
    });
    const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'svg', container: '#chart' });
    await view.runAsync();
    const set = rangeSet(plan.steps);
    const stats = rowStats(plan.ids, set, await computePartials(plan, set, backend));
    $('stats').innerHTML =
      '<tr><th>id</th><th>first</th><th>last</th><th>min</th><th>max</th><th>mean</th><th>discontinuities</th></tr>' +
      stats
        .map(
          (s) =>
            `<tr><td>${s.id}</td>${[s.first, s.last, s.min, s.max, s.mean].map((v) => `<td>${v.toPrecision(6)}</td>`).join('')}<td>${s.discontinuities}</td></tr>`,
        )
        .join('');
    $('error').textContent = '';
    window.schedgpu = { backend: backend.describe(), table, error: null, runs: window.schedgpu.runs + 1 };
  } catch (e) {
    // bad specs show their one-line message; the last good chart stays
    $('error').textContent = (e as Error).message;
    window.schedgpu = { ...window.schedgpu, error: (e as Error).message, runs: window.schedgpu.runs + 1 };
  }
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

let pending: ReturnType<typeof setTimeout> | undefined;
const schedule = () => {
  clearTimeout(pending);
  pending = setTimeout(update, 250);
};
specBox.addEventListener('input', schedule);
stepsBox.addEventListener('input', schedule);
logY.addEventListener('change', schedule);
specBox.value = EXAMPLE;
void update();
