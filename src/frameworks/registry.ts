/**
 * Every schedule kind schedgpu evaluates. This one list drives spec validation, the oracle's
 * dispatch, the plan compiler, `schedgpu kinds`, the README table and the test matrix.
 */
import { NOETHER_KINDS, NOETHER_NOT_SCHEDULES } from './noether/kinds.js';
import { TORCH_KINDS } from './torch/kinds.js';
import { PYTORCH_ACCELERATED_KINDS } from './pytorch-accelerated/kinds.js';
import { TIMM_KINDS } from './timm/kinds.js';
import { TRIGGER_KINDS } from './triggers/kinds.js';
import { TRANSFORMERS_KINDS } from './transformers/kinds.js';
import { OPTAX_KINDS } from './optax/kinds.js';
import { MEGATRON_KINDS } from './megatron/kinds.js';
import { TORCHTITAN_KINDS } from './torchtitan/kinds.js';
import { PYTORCH_OPTIMIZER_KINDS } from './pytorch-optimizer/kinds.js';
import type { KindEntry } from './types.js';
import { nearest } from '../spec/suggest.js';

export const KINDS: readonly KindEntry[] = [
  ...NOETHER_KINDS,
  ...TRIGGER_KINDS,
  ...TORCH_KINDS,
  ...PYTORCH_ACCELERATED_KINDS,
  ...TIMM_KINDS,
  ...TRANSFORMERS_KINDS,
  ...OPTAX_KINDS,
  ...MEGATRON_KINDS,
  ...TORCHTITAN_KINDS,
  ...PYTORCH_OPTIMIZER_KINDS,
];

const NOT_SCHEDULES: Readonly<Record<string, string>> = { ...NOETHER_NOT_SCHEDULES };

const byFullName = new Map(KINDS.map((k) => [k.kind, k]));
const byAlias = new Map(KINDS.flatMap((k) => (k.aliases ?? []).map((a) => [a, k] as const)));
const byShortName = new Map<string, KindEntry[]>();
for (const k of KINDS) byShortName.set(k.shortName, [...(byShortName.get(k.shortName) ?? []), k]);

export type KindLookup = { entry: KindEntry } | { problem: string };

/**
 * The entry for a fully-qualified name (`noether.core.schedules.CosineDecreasingSchedule`), the same
 * through its module file (`noether.core.schedules.cosine.CosineDecreasingSchedule`, which noether's
 * factory also imports), or an unambiguous short name (`CosineDecreasingSchedule`).
 */
export function lookupKind(name: string): KindLookup {
  const exact = byFullName.get(name) ?? byAlias.get(name);
  if (exact) return { entry: exact };
  const parts = name.split('.');
  if (parts.length > 2) {
    const viaModule = byFullName.get([...parts.slice(0, -2), parts[parts.length - 1]].join('.'));
    if (viaModule) return { entry: viaModule };
  }
  const short = byShortName.get(name);
  if (short && short.length === 1) return { entry: short[0] };
  if (short && short.length > 1) return { problem: `is ambiguous; use one of ${short.map((k) => k.kind).join(', ')}` };
  const reason = NOT_SCHEDULES[name] ?? Object.entries(NOT_SCHEDULES).find(([k]) => k.endsWith(`.${name}`))?.[1];
  if (reason) return { problem: `${reason}, so it cannot be evaluated` };
  const near = suggestKind(name);
  return {
    problem: near ? `is not a known kind (did you mean ${near}?)` : 'is not a known kind (`schedgpu kinds` lists them)',
  };
}

/**
 * The kind a misspelt name most likely meant: the nearest full name (or alias) by edit distance,
 * else the kind whose short name is nearest the name's last part (noether's short names included).
 */
function suggestKind(name: string): string | null {
  const full = nearest(name, [...byFullName.keys(), ...byAlias.keys()]);
  const short = nearest(name.slice(name.lastIndexOf('.') + 1), byShortName.keys());
  const kinds = full.length
    ? full.map((n) => (byFullName.get(n) ?? byAlias.get(n))!)
    : short.flatMap((n) => byShortName.get(n)!);
  return kinds.length ? [...new Set(kinds.map((k) => k.kind))].join(' or ') : null;
}

export function kindEntry(fullName: string): KindEntry {
  const entry = byFullName.get(fullName);
  if (!entry) throw new Error(`internal: no kind ${fullName}`);
  return entry;
}
