/** The library's one-call entry: specs + steps -> table, on the backend of your choice. */
import { createBackend, type BackendChoice, type CreateBackendOptions } from './backends/index.js';
import type { Backend } from './backends/types.js';
import { compilePlan, type Plan } from './plan/compile.js';
import { collectTable, type Table } from './sinks/table.js';
import { validateSpecs, type RunSpec } from './spec/validate.js';

export interface EvaluateOptions extends CreateBackendOptions {
  /** 'cpu', 'webgpu', 'auto' (default 'cpu': no GPU is touched unless asked), or a backend you made. */
  backend?: BackendChoice | Backend;
}

/** Spec objects (one or a list, as in a spec file) or validated runs -> a plan for `steps` steps. */
export function compile(specs: unknown, steps: number): Plan {
  const runs: RunSpec[] = isRuns(specs) ? specs : validateSpecs(specs).runs;
  return compilePlan(runs, steps);
}

/** Evaluate specs over `steps` steps into an in-memory table. */
export async function evaluate(specs: unknown, steps: number, options: EvaluateOptions = {}): Promise<Table> {
  const plan = compile(specs, steps);
  const given = typeof options.backend === 'object' ? options.backend : null;
  const backend = given ?? (await createBackend((options.backend as BackendChoice) ?? 'cpu', options));
  try {
    return await collectTable(plan, backend);
  } finally {
    if (!given) await backend.dispose();
  }
}

function isRuns(v: unknown): v is RunSpec[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((r) => typeof r === 'object' && r !== null && 'spec' in r && 'interval' in r && 'path' in r)
  );
}
