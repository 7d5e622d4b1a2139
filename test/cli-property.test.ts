/**
 * Every kind's random configs through the CLI (dist/cli.js eval) in mixed batches: exit 0 or 2, never
 * 1 (issue 20: one CyclicLR config crashed with "internal error" and took its whole file down).
 * Each batch draws specs from every framework's arbitraries at one --steps. The library sorts them
 * in-process into "refused" (SpecError or StepError: the framework refuses them) and the rest; the
 * rest go through the CLI together and must exit 0, and again with one refused spec placed among
 * them, which must exit 2 with one line naming that spec.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePlan } from '../src/plan/compile.js';
import { SpecError, StepError } from '../src/errors.js';
import { validateSpecs } from '../src/spec/validate.js';
import { optaxSpec } from './frameworks/optax/arbitraries.js';
import { pytorchAcceleratedSpec } from './frameworks/pytorch-accelerated/arbitraries.js';
import { timmSpec } from './frameworks/timm/arbitraries.js';
import { torchSpec } from './frameworks/torch/arbitraries.js';
import { transformersSpec } from './frameworks/transformers/arbitraries.js';
import { triggerSpec } from './frameworks/triggers/arbitraries.js';
import { topLevelSpec } from './helpers/arbitraries.js';
import { runCli } from './helpers/cli.js';

type Spec = Record<string, unknown>;

const BATCHES = Number(process.env.SCHEDGPU_CLI_PROPERTY_BATCHES ?? 16);
const SEED = Number(process.env.SCHEDGPU_PROPERTY_SEED ?? 2020);
const PER_BATCH = 24;

const anySpec: fc.Arbitrary<Spec> = fc.oneof(
  topLevelSpec,
  torchSpec,
  timmSpec,
  pytorchAcceleratedSpec,
  optaxSpec,
  transformersSpec,
  triggerSpec,
);
const batch = fc.record({
  steps: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 3000 })),
  specs: fc.array(anySpec, { minLength: PER_BATCH, maxLength: PER_BATCH }),
  at: fc.nat(),
});

/** Whether the library refuses this spec over `steps` as the framework would (bad input: exit 2). */
function refused(spec: Spec, steps: number): boolean {
  try {
    compilePlan(validateSpecs(spec).runs, steps);
    return false;
  } catch (e) {
    if (e instanceof SpecError || e instanceof StepError) return true;
    return false; // anything else is a defect: leave it among the accepted, where the CLI must exit 0
  }
}

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-cli-property-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evalFile(specs: Spec[], steps: number, name: string) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(specs));
  return runCli(['eval', file, '--steps', String(steps), '--backend', 'cpu', '--workers', '1', '--quiet']);
}

describe('the CLI on mixed batches of every kind', () => {
  it('exits 0 on the configs the frameworks accept and 2 with one line on a refused one', () => {
    const batches = fc.sample(batch, { numRuns: BATCHES, seed: SEED });
    // issue 20.1: an empty falling half of a CyclicLR cycle was an internal error (exit 1)
    batches[0].specs.push({ kind: 'CyclicLR', base_lr: 1.0, max_lr: 2.0, step_size_up: 15, step_size_down: 1 });
    batches[0].steps = Math.max(batches[0].steps, 17);
    let accepted = 0;
    let refusals = 0;
    batches.forEach(({ steps, specs, at }, b) => {
      const ok = specs.filter((s) => !refused(s, steps));
      const bad = specs.filter((s) => refused(s, steps));
      accepted += ok.length;
      if (ok.length > 0) {
        const r = evalFile(ok, steps, `ok${b}`);
        expect(r.code, `batch ${b} (${ok.length} specs, --steps ${steps}): ${r.errLines.join(' | ')}`).toBe(0);
      }
      if (bad.length > 0) {
        const i = at % (ok.length + 1);
        const mixed = [...ok.slice(0, i), bad[0], ...ok.slice(i)];
        const r = evalFile(mixed, steps, `bad${b}`);
        expect(r.code, `batch ${b} with ${JSON.stringify(bad[0])} at [${i}]: ${r.errLines.join(' | ')}`).toBe(2);
        expect(r.errLines).toHaveLength(1);
        expect(r.errLines[0].startsWith(`[${i}]`)).toBe(true);
        refusals++;
      }
    });
    console.log(
      `cli property: ${BATCHES} mixed batches (seed ${SEED}): ${accepted} accepted specs exited 0, ${refusals} batches with a refused spec exited 2`,
    );
    expect(accepted).toBeGreaterThan(BATCHES * PER_BATCH * 0.5);
  }, 300_000);
});
