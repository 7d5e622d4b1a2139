/**
 * Typos answered with the right name: kinds (full and short) and fields by edit distance, and an
 * ignored unknown field named in the error it causes (issue 21, item 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.js';
import { KINDS, lookupKind } from '../src/frameworks/registry.js';
import { validateSpecs } from '../src/spec/validate.js';
import { editDistance, nearest } from '../src/spec/suggest.js';
import { fieldNames } from '../src/spec/unknown-fields.js';
import { runCli } from './helpers/cli.js';

function problemOf(raw: unknown): string {
  try {
    validateSpecs(raw);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error('validated');
}

/** `name` with its letter at `i` removed. */
const drop = (name: string, i: number) => name.slice(0, i) + name.slice(i + 1);

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and swaps, ignoring case', () => {
    expect(editDistance('CosineAnealingLR', 'CosineAnnealingLR')).toBe(1);
    expect(editDistance('warmup_precent', 'warmup_percent')).toBe(1);
    expect(editDistance('T_mxa', 'T_max')).toBe(1);
    expect(editDistance('steplr', 'StepLR')).toBe(0);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(nearest('zzz', ['T_max', 'eta_min'])).toEqual([]);
  });
});

describe('kind suggestions', () => {
  it('names the kind a one-letter typo of any full name meant', () => {
    for (const k of KINDS) {
      const typo = drop(k.kind, k.kind.length - 3);
      const found = lookupKind(typo);
      expect('problem' in found && found.problem, typo).toMatch(/did you mean /);
      if ('problem' in found) expect(found.problem.split(/did you mean |\?| or /), typo).toContain(k.kind);
    }
  });

  it('names the kind a one-letter typo of any short name meant', () => {
    for (const k of KINDS) {
      const typo = drop(k.shortName, Math.floor(k.shortName.length / 2));
      const found = lookupKind(typo);
      if ('entry' in found) continue; // the typo is itself another kind's name
      const mine = editDistance(typo, k.shortName);
      if (KINDS.some((o) => editDistance(typo, o.shortName) < mine)) continue; // nearer another kind
      expect(found.problem.split(/did you mean |\?| or /), typo).toContain(k.kind);
    }
  });

  it('says the issue example: CosineAnealingLR', () => {
    expect(problemOf({ kind: 'torch.optim.lr_scheduler.CosineAnealingLR', T_max: 10, base_lr: 0.1 })).toBe(
      'kind: is not a known kind (did you mean torch.optim.lr_scheduler.CosineAnnealingLR?), got "torch.optim.lr_scheduler.CosineAnealingLR"',
    );
  });

  it('suggests nothing for a name far from every kind', () => {
    expect(problemOf({ kind: 'TotallyUnrelatedThing' })).toBe(
      'kind: is not a known kind (`schedgpu kinds` lists them), got "TotallyUnrelatedThing"',
    );
  });
});

describe('field suggestions', () => {
  it('names the misspelt field in the error it causes (noether ignores unknown keys)', () => {
    expect(problemOf({ kind: 'LinearWarmupCosineDecaySchedule', max_value: 1.0e-3, warmup_precent: 0.05 })).toBe(
      'spec: define exactly one of warmup_steps or warmup_percent (warmup_precent is an unknown field, ignored: did you mean warmup_percent?), got warmup_steps=null, warmup_percent=null',
    );
  });

  it('warns, with the suggestion, where the framework ignores the key and nothing fails', () => {
    const { warnings } = validateSpecs([{ kind: 'CosineDecreasingSchedule', max_value: 1, end_valeu: 0.1 }]);
    expect(warnings).toEqual([
      '[0].end_valeu: unknown field of CosineDecreasingSchedule (did you mean end_value?), ignored (noether ignores unknown keys)',
    ]);
  });

  it('refuses the key first, with the suggestion, where the framework refuses it', () => {
    // T_max is also missing: torch raises TypeError for the unexpected keyword before anything else
    expect(problemOf({ kind: 'CosineAnnealingLR', T_mxa: 10, base_lr: 0.1 })).toBe(
      'T_mxa: is not an argument of the constructor (it would raise TypeError; did you mean T_max?), got 10',
    );
  });

  it('suggests a field of every kind from a one-letter typo of it', () => {
    for (const k of KINDS) {
      const fields = fieldNames(k).filter((f) => f !== 'kind' && f.length >= 4);
      for (const field of fields) {
        const typo = drop(field, 1);
        if (fields.includes(typo)) continue;
        const raw = { kind: k.kind, [typo]: 1 };
        let text: string;
        try {
          text = validateSpecs(raw).warnings.join('\n');
        } catch (e) {
          text = (e as Error).message;
        }
        expect(text, `${k.kind} ${typo}`).toContain(`did you mean ${field}?`);
      }
    }
  });

  it('reads the same through the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedgpu-suggest-'));
    const path = join(dir, 'typo.yaml');
    writeFileSync(path, 'kind: LinearWarmupCosineDecaySchedule\nmax_value: 1.0e-3\nwarmup_precent: 0.05\n');
    const r = runCli(['validate', path]);
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toContain('did you mean warmup_percent?');
  });
});
