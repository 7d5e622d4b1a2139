/**
 * A schedule stepped live inside a training loop or dashboard: `value` is the framework's value
 * after `stepCount` steps, for one or several parameter groups, from a spec (any kind) or from a
 * precomputed table. The state is plain JSON; resuming from it continues the exact same sequence.
 */
import { createHash } from 'node:crypto';
import { SpecError } from '../errors.js';
import { checkSteps } from '../plan/compile.js';
import type { Table } from '../sinks/table.js';
import { validateSpecs } from '../spec/validate.js';
import { CurveSource, NpyRowSource, TableRowSource, type ValueSource } from './source.js';

/** A parameter group: its own spec, or the main schedule times `scale` (e.g. a group at half the lr). */
export interface ParamGroup {
  name?: string;
  spec?: unknown;
  scale?: number;
}

export interface SchedulerOptions {
  /** Steps in the run (the value is defined for steps 0 .. totalSteps - 1). */
  totalSteps: number;
  /** The hyperparameter scheduled: lr, weight_decay, momentum, ema_decay, ... (a label). */
  field?: string;
  /** Parameter groups (default: one group, the spec itself). */
  groups?: ParamGroup[];
}

export interface TableGroup {
  name?: string;
  /** Row of the table, by index or id (default: the first row). */
  row?: number | string;
  scale?: number;
}

export interface SchedulerState {
  format: 'schedgpu-scheduler/1';
  field: string;
  stepCount: number;
  totalSteps: number;
  /** sha256 of what the values come from: resuming into a different schedule is refused. */
  fingerprint: string;
}

interface Group {
  name: string;
  source: ValueSource;
  scale: number;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

export class Scheduler {
  private count = 0;

  private constructor(
    private readonly groups: Group[],
    readonly field: string,
    readonly totalSteps: number,
    private readonly fingerprint: string,
  ) {}

  /** A scheduler computing `spec`'s values (any kind schedgpu supports). */
  static fromSpec(spec: unknown, options: SchedulerOptions): Scheduler {
    let totalSteps: number;
    try {
      totalSteps = checkSteps(options.totalSteps);
    } catch (e) {
      // the caller's name for the run length
      throw e instanceof SpecError ? e.renamed('totalSteps') : e;
    }
    const groupOptions = options.groups?.length ? options.groups : [{}];
    const main = validateSpecs(spec).runs;
    if (main.length !== 1)
      throw new SpecError([], 'must be one spec (give parameter groups their own specs in `groups`)', main.length);
    const groups = groupOptions.map((g, i): Group => {
      const run = g.spec !== undefined ? validateSpecs(g.spec).runs[0] : main[0];
      if (g.scale !== undefined && !Number.isFinite(g.scale))
        throw new SpecError(['groups', i, 'scale'], 'must be a finite number', g.scale);
      return { name: g.name ?? `group${i}`, source: new CurveSource(run, totalSteps), scale: g.scale ?? 1 };
    });
    const fingerprint = createHash('sha256')
      .update(
        canonical({ totalSteps, groups: groupOptions.map((g) => ({ spec: g.spec ?? spec, scale: g.scale ?? 1 })) }),
      )
      .digest('hex');
    return new Scheduler(groups, options.field ?? 'lr', totalSteps, fingerprint);
  }

  /** A scheduler reading precomputed values: an in-memory table, or an .npy file written by `schedgpu eval`. */
  static fromTable(table: Table | string, options: { field?: string; groups?: TableGroup[] } = {}): Scheduler {
    const groupOptions = options.groups?.length ? options.groups : [{}];
    const rowOf = (row: number | string | undefined): number => {
      if (row === undefined) return 0;
      if (typeof row === 'number') return row;
      if (typeof table === 'string')
        throw new SpecError('row', 'must be an index for an .npy table (it holds no ids)', row);
      const index = table.ids.indexOf(row);
      if (index < 0)
        throw new SpecError('row', `is not an id of the table (${table.ids.slice(0, 5).join(', ')}...)`, row);
      return index;
    };
    const groups = groupOptions.map((g, i): Group => {
      const row = rowOf(g.row);
      const source = typeof table === 'string' ? new NpyRowSource(table, row) : new TableRowSource(table, row);
      if (typeof table !== 'string' && !(row >= 0 && row < table.rows))
        throw new SpecError(['groups', i, 'row'], `must be in [0, ${table.rows})`, row);
      return { name: g.name ?? `group${i}`, source, scale: g.scale ?? 1 };
    });
    const what = typeof table === 'string' ? { file: table } : { ids: table.ids, rows: table.rows, steps: table.steps };
    const fingerprint = createHash('sha256')
      .update(canonical({ table: what, groups: groupOptions.map((g) => ({ row: g.row ?? 0, scale: g.scale ?? 1 })) }))
      .digest('hex');
    return new Scheduler(groups, options.field ?? 'lr', groups[0].source.steps, fingerprint);
  }

  /** Steps taken so far: `value` is the value after this many steps. */
  get stepCount(): number {
    return this.count;
  }

  /** The first group's value. */
  get value(): number {
    return this.valueOf(this.groups[0]);
  }

  /** Every group's value, in group order. */
  get values(): number[] {
    return this.groups.map((g) => this.valueOf(g));
  }

  /** The groups' values by name. */
  get named(): Record<string, number> {
    return Object.fromEntries(this.groups.map((g) => [g.name, this.valueOf(g)]));
  }

  /** One step further (like torch's scheduler.step()). */
  step(): void {
    if (this.count + 1 >= this.totalSteps)
      throw new RangeError(`step ${this.count + 1} is past the end of the run (${this.totalSteps} steps)`);
    this.count++;
  }

  stateDict(): SchedulerState {
    return {
      format: 'schedgpu-scheduler/1',
      field: this.field,
      stepCount: this.count,
      totalSteps: this.totalSteps,
      fingerprint: this.fingerprint,
    };
  }

  loadStateDict(state: SchedulerState): void {
    if (state?.format !== 'schedgpu-scheduler/1')
      throw new SpecError('state.format', 'is not a schedgpu scheduler state', state?.format);
    if (state.fingerprint !== this.fingerprint || state.totalSteps !== this.totalSteps)
      throw new SpecError(
        'state.fingerprint',
        'belongs to a different schedule (spec, groups or run length differ)',
        state.fingerprint,
      );
    if (!(Number.isInteger(state.stepCount) && state.stepCount >= 0 && state.stepCount < this.totalSteps))
      throw new SpecError('state.stepCount', `must be an integer in [0, ${this.totalSteps})`, state.stepCount);
    this.count = state.stepCount;
  }

  /** Release the table file a table-backed scheduler reads. */
  close(): void {
    for (const g of this.groups) if (g.source instanceof NpyRowSource) g.source.close();
  }

  private valueOf(g: Group): number {
    return g.source.valueAt(this.count) * g.scale;
  }
}
