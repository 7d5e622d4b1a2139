/** The golden cases produced by running the real frameworks' code (../shared/golden beside the checkout). */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GoldenCase {
  id: string;
  source: string;
  spec: Record<string, unknown>;
  steps: number;
  values: number[];
  sample_steps?: number[];
  value_at_steps?: number;
  value_at_steps_error?: string;
}

export interface RejectCase {
  id: string;
  source: string;
  spec: Record<string, unknown>;
  phase: 'config' | 'construct' | 'evaluate';
  error_type: string;
  error: string;
  steps?: number;
  at_step?: number;
}

export const GOLDEN_DIR =
  process.env.SCHEDGPU_GOLDEN ?? fileURLToPath(new URL('../../../shared/golden', import.meta.url));

export function loadGolden(source: string): GoldenCase[] {
  const path = resolve(GOLDEN_DIR, `${source}.json`);
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing (set SCHEDGPU_GOLDEN to its folder)`);
  return JSON.parse(readFileSync(path, 'utf8')) as GoldenCase[];
}

export function loadRejects(source: string): RejectCase[] {
  const all = JSON.parse(readFileSync(resolve(GOLDEN_DIR, 'rejects.json'), 'utf8')) as RejectCase[];
  return all.filter((c) => c.source === source);
}

/** Steps at which a case has values: every step, or the kept samples of a long case. */
export function caseSteps(c: GoldenCase): number[] {
  return c.sample_steps ?? c.values.map((_, i) => i);
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
