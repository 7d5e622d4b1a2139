/**
 * base_lr optional where the framework's values do not read the optimizer's lr (issue 21, item 3):
 * every kind whose base_lr has a default gives the same values whatever base_lr is, and says so in
 * the generated kinds table; the others still require it.
 */
import { describe, expect, it } from 'vitest';
import { kindsMarkdown } from '../src/cli/kinds-table.js';
import { evaluate } from '../src/evaluate.js';
import { KINDS, lookupKind } from '../src/frameworks/registry.js';
import { validateSpecs } from '../src/spec/validate.js';

type Shape = Record<string, { safeParse(v: unknown): { success: boolean } }>;
const shapeOf = (kind: string) => (KINDS.find((k) => k.kind === kind)!.schema as unknown as { shape: Shape }).shape;
/** Kinds with a base_lr field that may be left out. */
const optional = KINDS.filter(
  (k) => 'base_lr' in shapeOf(k.kind) && shapeOf(k.kind).base_lr.safeParse(undefined).success,
);

describe('optional base_lr', () => {
  it('covers OneCycleLR, and CosineAnnealingLR still requires it', () => {
    expect(optional.map((k) => k.shortName)).toContain('OneCycleLR');
    expect(() => validateSpecs({ kind: 'CosineAnnealingLR', T_max: 10 })).toThrow(/^base_lr: is required/);
  });

  it('leaves the values unchanged whatever base_lr is', async () => {
    const specs: Record<string, Record<string, unknown>> = {
      'torch.optim.lr_scheduler.OneCycleLR': { max_lr: 0.1, total_steps: 100 },
    };
    for (const k of optional) {
      const fields = specs[k.kind];
      expect(fields, `add a spec for ${k.kind}`).toBeDefined();
      const without = await evaluate([{ kind: k.kind, ...fields }], 101, { backend: 'cpu' });
      for (const base_lr of [0.5, 1e-4]) {
        const withLr = await evaluate([{ kind: k.kind, ...fields, base_lr }], 101, { backend: 'cpu' });
        expect(Array.from(withLr.values), `${k.kind} base_lr ${base_lr}`).toEqual(Array.from(without.values));
      }
      expect(Math.max(...Array.from(without.values))).toBeCloseTo(0.1, 12);
    }
  });

  it('is documented per kind in the generated kinds table', () => {
    const rows = kindsMarkdown().split('\n');
    for (const k of KINDS) {
      const row = rows.find((r) => r.includes(`\`${k.kind}\``))!;
      expect(row.includes('`base_lr` optional'), k.kind).toBe(optional.includes(k));
    }
    expect('entry' in lookupKind('OneCycleLR')).toBe(true);
  });
});
