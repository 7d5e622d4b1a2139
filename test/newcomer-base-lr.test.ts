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
    // each with its max_lr: the values peak near it (REX starts at min_lr and never reaches max_lr itself)
    const pto = 'pytorch_optimizer.lr_scheduler';
    const warmup = { t_max: 1000, max_lr: 0.1, warmup_steps: 10 };
    const specs: Record<string, [Record<string, unknown>, number | null]> = {
      'torch.optim.lr_scheduler.OneCycleLR': [{ max_lr: 0.1, total_steps: 100 }, 0.1],
      [`${pto}.rex.REXScheduler`]: [{ total_steps: 200, max_lr: 0.1 }, 0.1],
      [`${pto}.cosine_anealing.CosineAnnealingWarmupRestarts`]: [
        { first_cycle_steps: 50, max_lr: 0.1, min_lr: 1e-3, warmup_steps: 10 },
        0.1,
      ],
      [`${pto}.linear_warmup.LinearScheduler`]: [warmup, 0.1],
      [`${pto}.linear_warmup.CosineScheduler`]: [warmup, 0.1],
      // PolyScheduler grows past max_lr after its warmup ((t - W) ** poly_order, never divided by t_max)
      [`${pto}.linear_warmup.PolyScheduler`]: [warmup, null],
    };
    for (const k of optional) {
      expect(specs[k.kind], `add a spec for ${k.kind}`).toBeDefined();
      const [fields, peak] = specs[k.kind];
      const without = await evaluate([{ kind: k.kind, ...fields }], 101, { backend: 'cpu' });
      for (const base_lr of [0.5, 1e-4]) {
        const withLr = await evaluate([{ kind: k.kind, ...fields, base_lr }], 101, { backend: 'cpu' });
        expect(Array.from(withLr.values), `${k.kind} base_lr ${base_lr}`).toEqual(Array.from(without.values));
      }
      const top = Math.max(...Array.from(without.values));
      if (peak !== null) {
        expect(top, k.kind).toBeLessThanOrEqual(peak * (1 + 1e-12));
        expect(top, k.kind).toBeGreaterThan(peak / 2);
      }
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
