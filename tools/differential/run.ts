/**
 * The differential tool: seeded random configs of every framework with a golden source, run by the
 * real framework (frameworks.py, through tools/golden/sources/) and by schedgpu (cpu and webgpu, in
 * mixed batches), then a report by mismatch class, each with the smallest config that shows it.
 * Usage (see CONTRIBUTING.md): tools/differential/run.sh [--configs N] [--seed S] [--out DIR] ...
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createBackend } from '../../src/backends/index.js';
import type { Backend } from '../../src/backends/types.js';
import { SpecError, StepError } from '../../src/errors.js';
import { lookupKind } from '../../src/frameworks/registry.js';
import { compilePlan } from '../../src/plan/compile.js';
import { collectTable } from '../../src/sinks/table.js';
import { validateSpecs } from '../../src/spec/validate.js';
import { optaxSpec } from '../../test/frameworks/optax/arbitraries.js';
import { pytorchAcceleratedSpec } from '../../test/frameworks/pytorch-accelerated/arbitraries.js';
import { timmSpec } from '../../test/frameworks/timm/arbitraries.js';
import { torchSpec } from '../../test/frameworks/torch/arbitraries.js';
import { transformersSpec } from '../../test/frameworks/transformers/arbitraries.js';

type Spec = Record<string, unknown>;

/** The repository root (run.sh runs the bundle from there). */
const ROOT = process.cwd();

/** Each golden source with its random specs (the property tests' arbitraries, widened below). */
const SOURCES: Record<string, fc.Arbitrary<Spec>> = {
  torch: torchSpec,
  timm: timmSpec,
  pytorch_accelerated: pytorchAcceleratedSpec,
  transformers: transformersSpec,
  optax: optaxSpec,
};

// fields whose value is a learning rate (scaled together, so a config stays as valid as it was)
const LR_FIELD =
  /^(base_lr|max_lr|min_lr|lr_min|eta_min|warmup_lr_init|init_value|peak_value|end_value|value|init_lr|lr_end|decay_to)$/;

/** Wide ranges: one common power of ten over every lr field (1e-8 .. 1e8), sometimes. */
function widen(spec: Spec, exponent: number): Spec {
  const scale = 10 ** exponent;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Spec).map(([k, x]) => [k, LR_FIELD.test(k) && typeof x === 'number' ? x * scale : walk(x)]),
    );
  };
  return walk(spec) as Spec;
}

/** A spec with every mapping (nested ones too) passed through `edit`. */
const everyMapping = (v: unknown, edit: (m: Spec) => Spec): unknown => {
  if (Array.isArray(v)) return v.map((x) => everyMapping(x, edit));
  if (v === null || typeof v !== 'object') return v;
  return edit(Object.fromEntries(Object.entries(v as Spec).map(([k, x]) => [k, everyMapping(x, edit)])));
};

/**
 * Documented divergences, drawn without: timm's noise is not torch's generator; torch's OneCycleLR
 * wants a float pct_start, and a JSON 0 or 1 reaches Python as an int (schedgpu's numbers cannot
 * tell 0 from 0.0: "integral floats pass as ints"), so an integral pct_start is left at its default.
 */
const DIVERGES: Record<string, (spec: Spec) => Spec> = {
  timm: (spec) => Object.fromEntries(Object.entries(spec).filter(([k]) => !k.startsWith('noise_'))),
  torch: (spec) =>
    everyMapping(spec, (m) =>
      String(m.kind).endsWith('OneCycleLR') && Number.isInteger(m.pct_start)
        ? Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'pct_start'))
        : m,
    ) as Spec,
};

/** Every kind fully qualified, as the golden sources read it. */
function qualify(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(qualify);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Spec).map(([k, x]) => {
      if (k === 'kind' && typeof x === 'string') {
        const found = lookupKind(x);
        return [k, 'entry' in found ? found.entry.kind : x];
      }
      return [k, qualify(x)];
    }),
  );
}

interface Case {
  source: string;
  spec: Spec;
  steps: number;
}

const runLength = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 400 }) },
  { weight: 3, arbitrary: fc.integer({ min: 400, max: 4000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 4000, max: 40000 }) },
);

/** Batches of mixed sources sharing one --steps. */
function generate(configs: number, perBatch: number, seed: number, only: string[], divergences: boolean): Case[][] {
  const names = only.length ? only : Object.keys(SOURCES);
  const one = fc
    .constantFrom(...names)
    .chain((source) =>
      fc.tuple(fc.constant(source), SOURCES[source], fc.oneof(fc.constant(0), fc.integer({ min: -8, max: 8 }))),
    );
  const batch = fc.tuple(runLength, fc.array(one, { minLength: perBatch, maxLength: perBatch }));
  const batches = fc.sample(batch, { numRuns: Math.ceil(configs / perBatch), seed });
  return batches.map(([steps, specs]) =>
    specs.map(([source, spec, e]) => ({
      source,
      steps,
      spec: qualify(widen(divergences ? spec : (DIVERGES[source] ?? ((s: Spec) => s))(spec), e)) as Spec,
    })),
  );
}

type Ours =
  | { values: Float64Array | Float32Array }
  | { refused: 'spec' | 'step'; step?: number; message: string }
  | { crash: string };

function refusal(spec: Spec, steps: number): Ours | null {
  try {
    compilePlan(validateSpecs(spec).runs, steps);
    return null;
  } catch (e) {
    if (e instanceof StepError) return { refused: 'step', step: e.step, message: e.message };
    if (e instanceof SpecError) return { refused: 'spec', message: e.message };
    return { crash: (e as Error).message };
  }
}

/** schedgpu's values of a batch on one backend: the accepted specs together, one by one if that fails. */
async function evaluateBatch(cases: Case[], backend: Backend): Promise<Ours[]> {
  const out: Ours[] = cases.map((c) => refusal(c.spec, c.steps) ?? { values: new Float64Array(0) });
  const accepted = out.flatMap((o, i) => ('values' in o ? [i] : []));
  if (accepted.length === 0) return out;
  const steps = cases[0].steps;
  const together = async (idx: number[]) => {
    const table = await collectTable(compilePlan(validateSpecs(idx.map((i) => cases[i].spec)).runs, steps), backend);
    idx.forEach((i, r) => (out[i] = { values: table.values.slice(r * steps, (r + 1) * steps) }));
  };
  try {
    await together(accepted);
  } catch {
    for (const i of accepted)
      try {
        await together([i]);
      } catch (e) {
        // a backend's refusal (webgpu: values beyond float32) is bad input for that backend, exit 2
        out[i] =
          e instanceof SpecError
            ? { refused: 'spec', message: e.message }
            : { crash: `${(e as Error).constructor.name}: ${(e as Error).message}` };
      }
  }
  return out;
}

interface Theirs {
  n: number;
  error?: { phase: string; step: number | null; type: string; message: string };
  unavailable?: string;
}

interface Finding {
  cls: string;
  c: Case;
  detail: string;
  /** A step that shows it (the worst, or where one side raises): a run of at + 1 steps may show it too. */
  at?: number;
}

function compare(c: Case, fw: Theirs, values: Float64Array, cpu: Ours, gpu: Ours | null, tally: Tally): Finding[] {
  const kind = String(c.spec.kind).split('.').pop();
  const f = (what: string, detail: string, at?: number): Finding => ({
    cls: `${c.source} ${kind}: ${what}`,
    c,
    detail,
    at,
  });
  if ('crash' in cpu) return [f('schedgpu internal error', cpu.crash)];
  const raises = fw.error && (fw.error.phase !== 'evaluate' || (fw.error.step ?? 0) < c.steps);
  if (raises) {
    const e = fw.error!;
    const theirs = `${e.phase}${e.phase === 'evaluate' ? ` step ${e.step}` : ''} ${e.type}: ${e.message}`;
    if ('values' in cpu) return [f('the framework raises, schedgpu evaluates', theirs, e.step ?? undefined)];
    if (e.phase === 'evaluate' && cpu.refused === 'step' && cpu.step !== e.step)
      return [
        f(
          'refused at another step',
          `framework ${theirs}; schedgpu ${cpu.message}`,
          Math.max(e.step ?? 0, cpu.step ?? 0),
        ),
      ];
    return [];
  }
  if (!('values' in cpu)) return [f('schedgpu refuses what the framework runs', cpu.message, cpu.step)];
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const worst = (ours: ArrayLike<number>) => {
    let w = 0;
    let at = -1;
    for (let t = 0; t < c.steps; t++) {
      const a = values[t];
      const b = ours[t];
      const d = Number.isFinite(a) || Number.isFinite(b) ? (a === b ? 0 : Math.abs(a - b) / (max || 1)) : 0;
      if (!(d <= w)) [w, at] = [Number.isNaN(d) ? Infinity : d, t];
    }
    return { w, at };
  };
  const out: Finding[] = [];
  const cw = worst(cpu.values);
  if (cw.w > 1e-9)
    out.push(
      f(
        'cpu values',
        `${cw.w.toExponential(2)} of max|v| at step ${cw.at}: framework ${values[cw.at]}, cpu ${cpu.values[cw.at]}`,
        cw.at,
      ),
    );
  if (gpu && 'refused' in gpu) tally.webgpuRefused++;
  else if (gpu && 'crash' in gpu) out.push(f('webgpu error', gpu.crash.split('\n')[0]));
  else if (gpu && 'values' in gpu) {
    const gw = worst(gpu.values);
    if (gw.w > 1e-6)
      out.push(
        f(
          'webgpu values',
          `${gw.w.toExponential(2)} of max|v| at step ${gw.at}: framework ${values[gw.at]}, webgpu ${gpu.values[gw.at]}`,
          gw.at,
        ),
      );
  }
  return out;
}

function size(c: Case): number {
  return c.steps * 1000 + JSON.stringify(c.spec).length;
}

type Tally = {
  cases: number;
  compared: number;
  frameworkRaises: number;
  webgpuRefused: number;
  unavailable: Map<string, string>;
};

/** The frameworks' results for `cases` (frameworks.py), with their values. */
function runFrameworks(python: string, out: string, name: string, cases: Case[], src: string[]) {
  writeFileSync(join(out, `${name}-cases.json`), JSON.stringify(cases));
  const py = spawnSync(
    python,
    [
      join(ROOT, 'tools', 'differential', 'frameworks.py'),
      join(out, `${name}-cases.json`),
      join(out, `${name}.json`),
      join(out, `${name}.f64`),
      ...src,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (py.status !== 0) throw new Error(`frameworks.py exited ${py.status}`);
  const results: Theirs[] = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'));
  const raw = readFileSync(join(out, `${name}.f64`));
  const all = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
  let offset = 0;
  return results.map((r) => ({ ...r, values: all.subarray(offset, (offset += r.n)) }));
}

/** schedgpu on each batch (cpu, webgpu) against the frameworks' results, in the same order. */
async function check(
  batches: Case[][],
  theirs: (Theirs & { values: Float64Array })[],
  cpu: Backend,
  gpu: Backend | null,
  tally: Tally,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  let k = 0;
  for (const batch of batches) {
    const ours = await evaluateBatch(batch, cpu);
    const oursGpu = gpu ? await evaluateBatch(batch, gpu) : null;
    batch.forEach((c, i) => {
      const fw = theirs[k++];
      tally.cases++;
      if (fw.unavailable) return void tally.unavailable.set(c.source, fw.unavailable);
      tally.compared++;
      if (fw.error) tally.frameworkRaises++;
      findings.push(...compare(c, fw, fw.values, ours[i], oursGpu?.[i] ?? null, tally));
    });
  }
  return findings;
}

async function main() {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const configs = Number(arg('configs', '2000'));
  const seed = Number(arg('seed', '20'));
  const perBatch = Number(arg('batch', '32'));
  const out = arg('out', 'differential-report');
  const python = arg('python', '/usr/bin/python3');
  const webgpu = arg('webgpu', 'yes') !== 'no';
  const only = arg('only', '').split(',').filter(Boolean);
  const src = process.argv.flatMap((a, i) => (a === '--src' ? ['--src', process.argv[i + 1]] : []));
  mkdirSync(out, { recursive: true });

  const batches = generate(configs, perBatch, seed, only, process.argv.includes('--divergences'));
  const cases = batches.flat();
  const started = Date.now();
  const theirs = runFrameworks(python, out, 'frameworks', cases, src);
  const frameworkSeconds = (Date.now() - started) / 1000;

  const cpu = await createBackend('cpu', { workers: 1 });
  const gpu = webgpu ? await createBackend('webgpu').catch(() => null) : null;
  const tally = { cases: 0, compared: 0, frameworkRaises: 0, webgpuRefused: 0, unavailable: new Map<string, string>() };
  const findings = await check(batches, theirs, cpu, gpu, tally);

  // Shrink each class's smallest config to the steps that show it, if the shorter run still does
  const firstOf = new Map<string, Finding>();
  for (const f of findings) {
    const had = firstOf.get(f.cls);
    if (!had || size(f.c) < size(had.c)) firstOf.set(f.cls, f);
  }
  const shorter = [...firstOf.values()].filter((f) => f.at !== undefined && f.at + 1 < f.c.steps);
  const shrunk = new Map<string, Finding>();
  if (shorter.length) {
    const candidates = shorter.map((f) => [{ ...f.c, steps: f.at! + 1 }]);
    const again = runFrameworks(python, out, 'shrink', candidates.flat(), src);
    const quiet = {
      cases: 0,
      compared: 0,
      frameworkRaises: 0,
      webgpuRefused: 0,
      unavailable: new Map<string, string>(),
    };
    for (const f of await check(candidates, again, cpu, gpu, quiet))
      if (shorter.some((g) => g.cls === f.cls && g.c.spec === f.c.spec)) shrunk.set(f.cls, f);
  }
  await cpu.dispose();
  await gpu?.dispose();

  const classes = new Map<string, Finding[]>();
  for (const f of findings) classes.set(f.cls, [...(classes.get(f.cls) ?? []), f]);
  const perSource = new Map<string, number>();
  for (const c of cases) perSource.set(c.source, (perSource.get(c.source) ?? 0) + 1);
  const lines = [
    `# schedgpu differential run (seed ${seed})`,
    '',
    `${tally.cases} configs in ${batches.length} mixed batches (${[...perSource].map(([s, n]) => `${s} ${n}`).join(', ')}); ` +
      `${tally.compared} compared against the framework (${tally.frameworkRaises} where it raises), ` +
      `schedgpu on cpu${gpu ? ` and webgpu (which refused ${tally.webgpuRefused}: values beyond float32)` : ' only (webgpu not run or no adapter)'}; frameworks ran ${frameworkSeconds.toFixed(0)} s.`,
    ...[...tally.unavailable].map(([s, why]) => `- ${s} not compared: ${why}`),
    '',
    `${findings.length} mismatching configs in ${classes.size} classes` + (classes.size ? ':' : '.'),
  ];
  for (const [cls, fs] of [...classes].sort((a, b) => b[1].length - a[1].length)) {
    const smallest = shrunk.get(cls) ?? fs.reduce((a, b) => (size(b.c) < size(a.c) ? b : a));
    lines.push(
      '',
      `## ${cls} (${fs.length})`,
      '',
      `smallest: \`${JSON.stringify(smallest.c.spec)}\`, ${smallest.c.steps} steps`,
      '',
      `${smallest.detail}`,
    );
  }
  writeFileSync(join(out, 'report.md'), lines.join('\n') + '\n');
  writeFileSync(
    join(out, 'findings.json'),
    JSON.stringify(findings.map((f) => ({ class: f.cls, spec: f.c.spec, steps: f.c.steps, detail: f.detail }))),
  );
  console.log(lines.join('\n'));
  process.exitCode = findings.length ? 1 : 0;
}

await main();
