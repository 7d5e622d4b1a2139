/**
 * The docs' Slurm recipe on a real Slurm: a one-node cluster on this host (Debian's slurm-wlm and
 * munge, started here as root, stopped by pid at the end), the job-array script taken from
 * docs/sweeps.md unchanged, 4 shards merged into a table byte-identical to an unsharded run; then
 * one array task cancelled mid-run (Slurm sends SIGTERM: the sweep stops after its tile with the
 * manifest flushed) and requeued, and the requeued task resumes from the tiles it had.
 * Skipped with the reason where this is not root or the packages are missing (.ci/run installs them).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from './helpers/cli.js';
import { ROOT } from './helpers/markdown.js';

const NEEDED = ['slurmctld', 'slurmd', 'sbatch', 'munged'];
const missing = NEEDED.filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0);
const reason =
  process.getuid?.() !== 0
    ? 'not root (starting munged and slurmd needs root)'
    : missing.length
      ? `${missing.join(', ')} not installed (apt-get install slurm-wlm munge; .ci/run does)`
      : null;
if (reason) console.log(`slurm.test: skipped: ${reason}`);

/** The job-array script exactly as docs/sweeps.md shows it. */
function docsScript(): string {
  const doc = readFileSync(join(ROOT, 'docs/sweeps.md'), 'utf8');
  const m = /As a Slurm job array[^\n]*[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/sweeps.md: no Slurm job-array script after "As a Slurm job array:"');
  return m[1];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started: string[] = []; // pid files of the daemons this test started
const T = mkdtempSync(join(tmpdir(), 'schedgpu-slurm-'));
const env = { ...process.env, SLURM_CONF: join(T, 'slurm.conf'), PATH: `${join(T, 'bin')}:${process.env.PATH}` };

function sh(cmd: string, cwd = T): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', cmd], { cwd, env, encoding: 'utf8' });
}
function ok(cmd: string, cwd = T): string {
  const r = sh(cmd, cwd);
  if (r.status !== 0) throw new Error(`${cmd}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}
async function until(what: string, test: () => boolean, seconds: number): Promise<void> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(250)) if (test()) return;
  throw new Error(`timed out after ${seconds} s waiting for ${what}\n${sh(`squeue; tail -5 ${T}/*.log`).stdout}`);
}

async function startCluster(): Promise<void> {
  const host = hostname().split('.')[0];
  for (const d of ['state', 'spool', 'bin']) mkdirSync(join(T, d));
  // the node has one "gpu" (no device behind it) so that the script's --gpus=1 can be granted
  writeFileSync(
    join(T, 'slurm.conf'),
    [
      'ClusterName=schedgputest',
      `SlurmctldHost=${host}`,
      'SlurmUser=root',
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      'AuthType=auth/munge',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      'KillWait=10',
      // a requeued job waits cred_expire (120 s by default) before it starts again
      'AuthInfo=cred_expire=10',
      `StateSaveLocation=${T}/state`,
      `SlurmdSpoolDir=${T}/spool`,
      `SlurmctldPidFile=${T}/slurmctld.pid`,
      `SlurmdPidFile=${T}/slurmd.pid`,
      `SlurmctldLogFile=${T}/slurmctld.log`,
      `SlurmdLogFile=${T}/slurmd.log`,
      'GresTypes=gpu',
      `NodeName=${host} CPUs=${cpus().length} Gres=gpu:1 State=UNKNOWN`,
      `PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(T, 'gres.conf'), `NodeName=${host} Name=gpu File=/dev/null\n`);
  writeFileSync(join(T, 'bin/schedgpu'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_PATH}" "$@"\n`);
  chmodSync(join(T, 'bin/schedgpu'), 0o755);

  if (sh('munge -n | unmunge').status !== 0) {
    // a key of our own only where the package left none
    if (!existsSync('/etc/munge/munge.key'))
      ok(
        'dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null && chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key',
      );
    ok('mkdir -p /run/munge && chown munge:munge /run/munge && runuser -u munge -- munged --force');
    started.push('/run/munge/munged.pid');
    await until('munged', () => sh('munge -n | unmunge').status === 0, 20);
  }
  ok('slurmctld -i');
  started.push(join(T, 'slurmctld.pid'));
  ok('slurmd');
  started.push(join(T, 'slurmd.pid'));
  await until('the node to be idle', () => /idle/.test(sh('sinfo -h -o %T').stdout), 60);
}

afterAll(async () => {
  if (reason) return;
  sh('scancel --user=root');
  for (const pidFile of started.reverse()) {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(pid) && pid > 0)
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
  }
  await sleep(500);
});

function writeSweep(dir: string, schedules: number, steps: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'job.sh'), docsScript());
  writeFileSync(
    join(dir, 'sweep.yaml'),
    [
      `steps: ${steps}`,
      'base: {kind: LinearWarmupCosineDecaySchedule, max_value: 1.0e-3, end_value: 1.0e-6, warmup_percent: 0.05}',
      'grid:',
      `  max_value: {linspace: [1.0e-4, 1.0e-3, ${schedules}]}`,
      '',
    ].join('\n'),
  );
}

const state = (job: string) => /JobState=(\w+)/.exec(sh(`scontrol show job ${job}`).stdout)?.[1] ?? 'gone';
const finished = (job: string) => ['COMPLETED', 'FAILED', 'CANCELLED', 'gone'].includes(state(job));
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

describe.skipIf(reason !== null)('the docs Slurm job array on a one-node Slurm', () => {
  it('runs 4 shards that merge into the unsharded table, byte for byte', async () => {
    await startCluster();
    const W = join(T, 'plain');
    writeSweep(W, 30, 20000);
    // --array on the command line overrides the script's 0-15; the script reads the count itself
    const job = ok('sbatch --parsable --array=0-3 job.sh', W).trim();
    await until('the array to finish', () => [0, 1, 2, 3].every((i) => finished(`${job}_${i}`)), 240);
    for (const i of [0, 1, 2, 3]) expect(state(`${job}_${i}`), `task ${i}`).toBe('COMPLETED');
    ok('schedgpu merge sweep-out shards/*', W);
    ok('schedgpu sweep sweep.yaml --out full', W);
    const merged = readFileSync(join(W, 'sweep-out/table.npy'));
    expect(merged.length).toBeGreaterThan(30 * 20000 * 4);
    expect(merged.equals(readFileSync(join(W, 'full/table.npy')))).toBe(true);
  }, 400_000);

  it('a task cancelled mid-run stops with its manifest flushed, and the requeued task resumes', async () => {
    const W = join(T, 'cancel');
    // 200 schedules a shard x 200k steps: 10 tiles of 4M values, so the cancel lands mid-run
    writeSweep(W, 800, 200000);
    const job = ok('sbatch --parsable --array=0-3 job.sh', W).trim();
    const task = `${job}_1`;
    ok(`scancel ${job}_0 ${job}_2 ${job}_3`); // only shard 1 matters here
    const log = join(W, 'shards/1/status.log');
    await until('shard 1 to finish a tile', () => existsSync(log) && / tile /.test(readFileSync(log, 'utf8')), 240);
    ok(`scancel ${task}`);
    // the job reads CANCELLED at once; its processes end after the SIGTERM is handled
    const outFile = join(W, `slurm-${job}_1.out`);
    await until(
      'the cancelled task to end',
      () => finished(task) && sh(`squeue -h -j ${task}`).stdout.trim() === '',
      60,
    );
    await until('the sweep to say it stopped', () => /interrupted by/.test(readFileSync(outFile, 'utf8')), 30);
    expect(state(task)).toBe('CANCELLED');
    const out = readFileSync(outFile, 'utf8');
    expect(out).toMatch(/schedgpu: interrupted by SIGTERM after \d+ of 10 tiles/);
    const before = manifest(join(W, 'shards/1'));
    const kept = before.tiles.filter((t: { done: boolean }) => t.done).length;
    expect(before.complete).toBe(false);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(10);
    expect(existsSync(join(W, 'shards/1/sweep.lock'))).toBe(false);

    // resubmit the same task; it waits until its old credential expires (cred_expire, set short above)
    ok(`scontrol requeue ${task}`);
    await until('the requeued task to finish', () => state(task) === 'COMPLETED' || state(task) === 'FAILED', 240);
    expect(state(task)).toBe('COMPLETED');
    expect(readFileSync(log, 'utf8')).toContain(`resume: ${kept} tiles verified, ${10 - kept} to compute`);
    expect(manifest(join(W, 'shards/1')).complete).toBe(true);
    ok('schedgpu sweep sweep.yaml --out ref --shard 1/4', W);
    expect(readFileSync(join(W, 'shards/1/table.npy')).equals(readFileSync(join(W, 'ref/table.npy')))).toBe(true);
  }, 600_000);
});
