/**
 * Fuzz at scale, in process: 10,000+ broken spec and sweep documents (wrong types, huge and tiny
 * numbers, unicode, deep nesting, duplicate keys, YAML anchors and aliases, cycles, a 10 MB string,
 * cut or spliced text) thrown at parse / validate / expand / compile / evaluate. Each must either
 * evaluate to finite values (NaN only past a ragged run's end) or be refused with a one-line
 * `path: problem, got value` SpecError: no other exception, no case slower than its bound, memory
 * bounded. The generator is seeded (SCHEDGPU_FUZZ_SEED); a failure prints its seed and case number,
 * and SCHEDGPU_FUZZ_TRACE=FILE keeps the case in hand in FILE (for a case that never returns).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/backends/index.js';
import { SpecError } from '../src/errors.js';
import { compile } from '../src/evaluate.js';
import { collectTable } from '../src/sinks/table.js';
import { parseSpecText } from '../src/spec/parse-text.js';
import { expandSweep } from '../src/sweep/expand.js';
import { compileSweepPlan } from '../src/sweep/plan.js';
import { ROOT } from './helpers/cli.js';

const SEED = Number(process.env.SCHEDGPU_FUZZ_SEED ?? 19);
const CASES = 10_000;
/** Per case: a hang runs for minutes; the slowest honest cases (a 10 MB string through YAML) took up to 2 s on a loaded 2-core machine. */
const CASE_MS = 5000;

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

type Doc = unknown;
const specSeeds = parseSpecText(readFileSync(join(ROOT, 'examples/warmup-cosine.yaml'), 'utf8')) as Doc[];
const sweepSeeds = ['sweep.yaml', 'sweep-random.yaml'].map((f) => {
  const s = parseSpecText(readFileSync(join(ROOT, 'examples', f), 'utf8')) as Record<string, unknown>;
  return { ...s, steps: 300 };
});

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** 1000 for specs; 40 for sweeps, which multiply lists (a grid of 1000 x the seeds' 330 variants is valid, and slow). */
let longList = 1000;

function nasty(r: ReturnType<typeof rng>, big: boolean): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => true,
    () => 0,
    () => -0,
    () => -1,
    () => 1e308,
    () => -1e308,
    () => 5e-324,
    () => 1e-320,
    () => Infinity,
    () => -Infinity,
    () => NaN,
    () => 2 ** 53 + 1,
    () => 1e15,
    () => -1e15,
    () => r.next() * 10 ** (r.int(40) - 20),
    () => '',
    () => 'ñ∂ƒ漢字😀',
    () => '\u0000\u202e',
    () => '1e-3',
    () => 'epoch',
    () => [],
    () => ({}),
    () => [1, 2, 3],
    () => [null],
    () => deep(r.int(3000), 1),
    () => Array.from({ length: longList }, (_, i) => i),
    () => ({ kind: 'LinearWarmupCosineDecaySchedule' }),
    () => r.pick(specSeeds),
  ];
  if (big) choices.push(() => 'x'.repeat(10 << 20));
  return r.pick(choices)();
}

const clone = (x: unknown): unknown => (x && typeof x === 'object' ? structuredClone(x) : x);

/** One random edit somewhere in the document. */
function mutate(r: ReturnType<typeof rng>, doc: unknown, big: boolean): unknown {
  if (!doc || typeof doc !== 'object' || r.int(12) === 0) return nasty(r, big);
  // walk to a random node
  let node = doc as Record<string, unknown>;
  for (let d = 0; d < 4 && r.int(2); d++) {
    const keys = Object.keys(node);
    const child = keys.length ? node[r.pick(keys)] : null;
    if (!child || typeof child !== 'object') break;
    node = child as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  // arrays take edits by index only: no JSON or YAML array carries a named field
  const op = Array.isArray(node) ? 3 : r.int(6);
  if (op === 0 && keys.length) delete node[r.pick(keys)];
  else if (op === 1)
    node[
      r.pick(['kind', 'steps', 'grid', 'zip', 'random', 'n', 'id', 'interval', 'extra', '__proto__', 'constructor'])
    ] = nasty(r, big);
  else if (op === 2 && keys.length)
    node[r.pick(keys)] = r.pick(['LinearWarmupCosineDecaySchedule', 'torch.optim.lr_scheduler.CyclicLR', 'Nope', '']);
  else if (keys.length) node[r.pick(keys)] = nasty(r, big);
  return doc;
}

const YAML_ATTACKS = [
  // an alias bomb: 9^7 strings from a few hundred bytes
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' +
    ['b', 'c', 'd', 'e', 'f', 'g']
      .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`)
      .join('\n'),
  'kind: &k LinearWarmupCosineDecaySchedule\nmax_value: 1\nkind: Other',
  'x: &x [*x]\nkind: LinearWarmupCosineDecaySchedule',
  '&s {kind: LinearWarmupCosineDecaySchedule, max_value: 1.0e-3, nested: *s}',
  '- &a {kind: LinearWarmupCosineDecaySchedule, max_value: 1.0e-3}\n- *a\n- *a',
  '!!binary aGVsbG8=',
  '? [a, b]\n: 1',
  'max_value: .nan\nkind: LinearWarmupCosineDecaySchedule',
  'max_value: .inf\nkind: LinearWarmupCosineDecaySchedule',
  '\t- kind: x',
  '['.repeat(5000) + ']'.repeat(5000),
  '{a: '.repeat(2000) + '1' + '}'.repeat(2000),
];

/** As text: YAML of the document, sometimes cut, spliced or given anchors. */
function asText(r: ReturnType<typeof rng>, doc: unknown): string {
  if (r.int(10) === 0) return r.pick(YAML_ATTACKS);
  let text: string;
  try {
    text = stringify(doc, { aliasDuplicateObjects: true });
  } catch {
    text = String(doc);
  }
  const cut = r.int(text.length + 1);
  switch (r.int(5)) {
    case 0:
      return text.slice(0, cut);
    case 1:
      return (
        text.slice(0, cut) + r.pick(['\n', ': ', '&a ', '*a', '"', '{', '- ', '\u0000', 'ñ', '\t']) + text.slice(cut)
      );
    case 2:
      return text + '\n' + text.split('\n')[0]; // a duplicate key
    default:
      return text;
  }
}

const LINE = /^[^\n]+: [^\n]+, got [^\n]*$/;

describe('fuzz at scale', () => {
  it(`${CASES} broken spec and sweep documents: finite values or a one-line refusal, each within ${CASE_MS} ms`, async () => {
    const r = rng(SEED);
    const backend = await createBackend('cpu', { workers: 1 });
    const rss0 = process.memoryUsage().rss;
    const tally = { evaluated: 0, refused: 0, text: 0 };
    let slowest = 0;
    let bigStrings = 0;
    try {
      for (let c = 0; c < CASES; c++) {
        const sweep = r.int(3) === 0;
        longList = sweep ? 40 : 1000;
        const big = bigStrings < 5 && r.int(500) === 0;
        if (big) bigStrings++;
        let doc: unknown = clone(sweep ? r.pick(sweepSeeds) : r.int(4) ? r.pick(specSeeds) : specSeeds);
        for (let k = 1 + r.int(3); k > 0; k--) doc = mutate(r, doc, big);
        const text = r.int(3) === 0 ? asText(r, doc) : null;
        const steps = r.pick([1, 2, 7, 100, 1000]);
        const where = `seed ${SEED} case ${c} (${sweep ? 'sweep' : 'spec'}${text !== null ? ', text' : ''})`;
        const started = performance.now();
        if (process.env.SCHEDGPU_FUZZ_TRACE)
          writeFileSync(process.env.SCHEDGPU_FUZZ_TRACE, `${where}\n${text ?? JSON.stringify(doc)?.slice(0, 2000)}`);
        try {
          const parsed = text !== null ? (tally.text++, parseSpecText(text, 'fuzz', 'yaml')) : doc;
          if (sweep) {
            const expanded = expandSweep(parsed);
            const plan = compileSweepPlan(expanded.variants, expanded.steps);
            if (plan.rows * plan.steps <= 2e6) {
              const table = await collectTable(plan, backend);
              expanded.variants.forEach((v, row) => {
                for (let t = 0; t < v.steps; t++)
                  if (!Number.isFinite(table.values[row * plan.steps + t]))
                    throw new Error(`${where}: row ${row} step ${t} is ${table.values[row * plan.steps + t]}`);
              });
            }
          } else {
            const plan = compile(parsed, steps);
            const table = await collectTable(plan, backend);
            const bad = table.values.findIndex((v) => !Number.isFinite(v));
            if (bad >= 0) throw new Error(`${where}: value ${bad} is ${table.values[bad]}`);
          }
          tally.evaluated++;
        } catch (e) {
          if (!(e instanceof SpecError)) {
            const shown = text ?? JSON.stringify(doc)?.slice(0, 300);
            throw new Error(
              `${where}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n${shown?.slice(0, 300)}\n${(e as Error).stack?.split('\n').slice(1, 6).join('\n')}`,
            );
          }
          if (!LINE.test(e.message))
            throw new Error(`${where}: not one path-addressed line: ${e.message.slice(0, 300)}`);
          if (e.message.length > 2000) throw new Error(`${where}: a ${e.message.length}-character message`);
          tally.refused++;
        }
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        if (ms > CASE_MS) throw new Error(`${where}: took ${ms.toFixed(0)} ms`);
      }
    } finally {
      await backend.dispose();
    }
    const grown = process.memoryUsage().rss - rss0;
    console.log(
      `fuzz: ${CASES} cases (${tally.text} as YAML text): ${tally.evaluated} evaluated, ${tally.refused} refused; ` +
        `slowest ${slowest.toFixed(0)} ms; rss grew ${(grown / 2 ** 20).toFixed(0)} MiB`,
    );
    // both outcomes are exercised: most mutations break a spec, a few hundred still evaluate
    expect(tally.evaluated).toBeGreaterThan(CASES / 100);
    expect(tally.refused).toBeGreaterThan(CASES / 2);
    expect(grown).toBeLessThan(1024 * 2 ** 20);
  }, 600_000);

  it('a YAML alias bomb is refused quickly, as bad input', () => {
    const started = performance.now();
    expect(() => parseSpecText(YAML_ATTACKS[0], 'bomb.yaml')).toThrow(SpecError);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
