/** `schedgpu triggers <spec-file> --steps N`: each trigger's firing updates, runs compressed. */
import type { Command } from 'commander';
import { CpuBackend } from '../../backends/cpu.js';
import { Shown, SpecError } from '../../errors.js';
import { compilePlan } from '../../plan/compile.js';
import type { CommandContext, Io, Opts } from '../io.js';
import { loadRuns } from '../load.js';
import { readSteps, stepsOption } from '../options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('triggers')
    .description("print each trigger's firing updates (1-based, as the trainer counts them), compressed into runs")
    .argument('<spec-file>', 'YAML or JSON file: trigger specs (PAMIQ interval schedulers, noether PeriodicCallback)')
    .addOption(stepsOption('updates in the run'))
    .addHelpText(
      'after',
      examples([
        'schedgpu triggers examples/triggers.yaml --steps 20000',
        'schedgpu triggers examples/triggers.yaml --steps 100000 | grep checkpoint',
      ]),
    )
    .action((file: string, opts: Opts) => triggersCommand(file, opts, io));
}

/** Increasing numbers as arithmetic runs: "100, 200, ... 10000 (100 times)". */
export class RunWriter {
  private readonly parts: string[] = [];
  private first = 0;
  private last = 0;
  private diff = 0;
  private count = 0;
  total = 0;

  push(x: number): void {
    this.total++;
    if (this.count === 0) {
      this.first = this.last = x;
      this.count = 1;
    } else if (this.count === 1) {
      this.diff = x - this.first;
      this.last = x;
      this.count = 2;
    } else if (x - this.last === this.diff) {
      this.last = x;
      this.count++;
    } else if (this.count === 2) {
      // two numbers do not make a run: keep the first, try a run from the second
      this.parts.push(String(this.first));
      this.first = this.last;
      this.diff = x - this.first;
      this.last = x;
    } else {
      this.flush();
      this.first = this.last = x;
      this.count = 1;
    }
  }

  private flush(): void {
    if (this.count >= 3)
      this.parts.push(`${this.first}, ${this.first + this.diff}, ... ${this.last} (${this.count} times)`);
    else if (this.count === 2) this.parts.push(String(this.first), String(this.last));
    else if (this.count === 1) this.parts.push(String(this.first));
    this.count = 0;
  }

  toString(): string {
    const count = this.count;
    const saved = [this.first, this.last, this.diff];
    this.flush();
    const text = this.parts.join(', ');
    [this.first, this.last, this.diff] = saved;
    this.count = count;
    this.parts.length -= count >= 3 ? 1 : count;
    return text;
  }
}

async function triggersCommand(file: string, opts: Opts, io: Io): Promise<void> {
  if (opts.steps === undefined) throw new SpecError('--steps', 'is required', undefined);
  const steps = readSteps(opts.steps);
  const runs = loadRuns(file, io);
  const plan = compilePlan(runs, steps);
  const writers = runs.map(() => new RunWriter());
  let notTrigger: { row: number; step: number; value: number } | null = null;
  const backend = new CpuBackend();
  try {
    await backend.run(plan, (tile) => {
      for (let r = 0; r < tile.rows; r++)
        for (let i = 0; i < tile.steps; i++) {
          const v = tile.data[r * tile.steps + i];
          if (v === 1) writers[tile.row0 + r].push(tile.step0 + i + 1);
          else if (v !== 0 && notTrigger === null) notTrigger = { row: tile.row0 + r, step: tile.step0 + i, value: v };
        }
    });
  } finally {
    await backend.dispose();
  }
  const bad = notTrigger as { row: number; step: number; value: number } | null;
  if (bad)
    throw new SpecError(
      [...runs[bad.row].path, 'kind'],
      `is not a trigger (its value at step ${bad.step} is neither 0 nor 1)`,
      new Shown(String(bad.value)),
    );
  runs.forEach((run, r) => {
    const w = writers[r];
    io.out(
      w.total === 0
        ? `${run.id}: never fires in ${steps} updates`
        : `${run.id}: fires ${w.total} times, at updates ${w.toString()}`,
    );
  });
}
