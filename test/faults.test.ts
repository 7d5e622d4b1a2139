/**
 * Faults around a sweep, each produced for real: SIGINT / SIGTERM mid-run (and a second Ctrl-C), a
 * second writer on the same directory (a live one refused, a dead one's lock taken over, merge too),
 * a disk that fills mid-run (a small tmpfs mounted here as root) and a disk too small to start on,
 * and a manifest cut mid-file. After each, nothing the manifest claims is missing and `--resume`
 * ends byte-identical to an uninterrupted run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../src/sweep/lock.js';
import { CLI_PATH, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'schedgpu-faults-'));
const LWCD = { kind: 'LinearWarmupCosineDecaySchedule', max_value: 1e-3, end_value: 1e-6, warmup_percent: 0.05 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sweepFile(name: string, schedules: number, steps: number, base: object = LWCD): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ steps, base, grid: { max_value: { linspace: [1e-4, 1e-3, schedules] } } }));
  return path;
}

// many small tiles: a run lasts seconds, so a fault lands mid-run
const MANY = sweepFile('many.json', 400, 50000);
const manyArgs = (out: string) => [
  'sweep',
  MANY,
  '--out',
  out,
  '--backend',
  'cpu',
  '--dtype',
  'f32',
  '--tile-values',
  '1024',
  '--workers',
  '1',
  '--quiet',
];

function start(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stderr: string }>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

async function until(what: string, test: () => boolean, seconds = 120): Promise<void> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(20)) if (test()) return;
  throw new Error(`timed out waiting for ${what}`);
}
const tilesLogged = (out: string) => {
  const log = join(out, 'status.log');
  return existsSync(log) ? (readFileSync(log, 'utf8').match(/ tile /g) ?? []).length : 0;
};
const manifestOf = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every tile the manifest calls done holds, in table.npy, the bytes its sha256 says. */
function expectManifestHonest(out: string): number {
  const m = manifestOf(out);
  const table = readFileSync(join(out, 'table.npy'));
  const item = m.table.dtype === 'float64' ? 8 : 4;
  let done = 0;
  for (const t of m.tiles) {
    if (!t.done) continue;
    done++;
    const parts = [];
    for (let r = 0; r < t.rows; r++) {
      const at = m.table.dataOffset + ((t.row0 + r) * m.table.steps + t.step0) * item;
      parts.push(table.subarray(at, at + t.steps * item));
    }
    expect(sha(Buffer.concat(parts)), `tile at row ${t.row0} step ${t.step0}`).toBe(t.sha256);
  }
  return done;
}

const references = new Map<string, Buffer>();
/** The table of an uninterrupted run with these arguments (computed once). */
function reference(args: (out: string) => string[]): Buffer {
  const key = args('X').join(' ');
  if (!references.has(key)) {
    const out = join(dir, `ref-${references.size}`);
    const r = runCli(args(out));
    expect(r.code, r.stderr).toBe(0);
    references.set(key, readFileSync(join(out, 'table.npy')));
  }
  return references.get(key)!;
}

function expectResumesToReference(out: string, args: (out: string) => string[]): void {
  const r = runCli([...args(out), '--resume']);
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(join(out, 'table.npy')).equals(reference(args))).toBe(true);
}

describe('signals', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    it(`${signal} stops after the tile in hand, flushes the manifest, says how to resume, exits ${code}`, async () => {
      const out = join(dir, `sig-${signal}`);
      const run = start(manyArgs(out));
      await until('a few tiles', () => tilesLogged(out) >= 20);
      run.child.kill(signal);
      const { code: exit, stderr } = await run.done;
      expect(exit, stderr).toBe(code);
      const last = stderr.trim().split('\n').at(-1)!;
      expect(last).toMatch(
        new RegExp(
          `^schedgpu: interrupted by ${signal} after \\d+ of 19600 tiles .*; continue with: schedgpu sweep .* --resume$`,
        ),
      );
      const m = manifestOf(out);
      expect(m.complete).toBe(false);
      // the manifest was flushed at the stop: it records every tile the log says was written
      const done = expectManifestHonest(out);
      expect(done).toBe(tilesLogged(out));
      expect(Number(/after (\d+) of/.exec(last)![1])).toBe(done);
      expect(existsSync(join(out, 'sweep.lock'))).toBe(false);
      expectResumesToReference(out, manyArgs);
    });

  it('a second Ctrl-C exits at once; the manifest stays valid and the run resumes', async () => {
    // big, slow tiles on worker threads (a fractional power by exp/log, --exact: no scaled copies),
    // so the first SIGINT waits for a tile and the second, sent once the first is acknowledged, does not
    const BIG = sweepFile('big.json', 200, 200000, {
      kind: 'PolynomialDecreasingSchedule',
      max_value: 1e-3,
      end_value: 0,
      power: 1.7,
    });
    const args = (out: string) => [
      'sweep',
      BIG,
      '--out',
      out,
      '--backend',
      'cpu',
      '--dtype',
      'f32',
      '--tile-values',
      String(2 ** 23),
      '--workers',
      '2',
      '--exact',
      '--quiet',
    ];
    const out = join(dir, 'sig-twice');
    const run = start(args(out));
    await until('the sweep to start', () => existsSync(join(out, 'manifest.json')));
    run.child.kill('SIGINT');
    await until('the first SIGINT to be acknowledged', () => run.stderr().includes('stopping after the tile in hand'));
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('schedgpu: SIGINT again: exiting now; continue with --resume');
    expect(manifestOf(out).complete).toBe(false);
    expectManifestHonest(out);
    // exited without its release: the lock of a dead process, taken over with a notice
    const r = runCli([...args(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/taking over .*sweep\.lock: its process \d+ on .* is gone/);
    expect(readFileSync(join(out, 'table.npy')).equals(reference(args))).toBe(true);
  });
});

describe('two writers', () => {
  it('a second sweep (or --resume) on a directory in use is refused, naming the other process', async () => {
    const out = join(dir, 'two');
    const run = start(manyArgs(out));
    await until('a tile', () => tilesLogged(out) >= 1);
    for (const extra of [[], ['--resume']]) {
      const r = runCli([...manyArgs(out), ...extra]);
      expect(r.code).toBe(1);
      expect(r.errLines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^schedgpu: ${out}: in use by process ${run.child.pid} on ${hostname()} \\(sweep, since .*\\); .*remove ${out}/sweep.lock$`,
          ),
        ),
      ]);
    }
    const { code } = await run.done;
    expect(code).toBe(0);
    expect(readFileSync(join(out, 'table.npy')).equals(reference(manyArgs))).toBe(true);
  });

  it('the lock of a process that is gone is taken over with a notice', () => {
    const out = join(dir, 'stale');
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    writeFileSync(
      join(out, 'sweep.lock'),
      JSON.stringify({ pid, host: hostname(), started: 'then', command: 'sweep' }),
    );
    const args = (o: string) => ['sweep', sweepFile('small.json', 4, 1000), '--out', o, '--backend', 'cpu'];
    const r = runCli(args(out));
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines[0]).toBe(
      `schedgpu: taking over ${out}/sweep.lock: its process ${pid} on ${hostname()} (started then) is gone`,
    );
    expect(existsSync(join(out, 'sweep.lock'))).toBe(false);
  });

  it('a lock holding our own pid is an earlier life of it (a restarted container): taken over', () => {
    const out = join(dir, 'own-pid');
    mkdirSync(out);
    writeFileSync(
      join(out, 'sweep.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), started: 'then', command: 'sweep' }),
    );
    const notices: string[] = [];
    const lock = acquireLock(out, 'sweep', (l) => notices.push(l));
    expect(notices).toEqual([
      `schedgpu: taking over ${out}/sweep.lock: its process ${process.pid} on ${hostname()} (started then) is gone`,
    ]);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).started).not.toBe('then');
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('merge into an output in use is refused; a lock from another host is never taken over', () => {
    const args = (o: string, s: string) => [
      'sweep',
      sweepFile('small.json', 4, 1000),
      '--out',
      o,
      '--backend',
      'cpu',
      '--shard',
      s,
    ];
    const a = join(dir, 'm0');
    const b = join(dir, 'm1');
    expect(runCli(args(a, '0/2')).code).toBe(0);
    expect(runCli(args(b, '1/2')).code).toBe(0);
    const out = join(dir, 'merged');
    mkdirSync(out);
    // this test's own process: alive, so the lock holds
    writeFileSync(
      join(out, 'sweep.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), started: 'now', command: 'merge' }),
    );
    const r = runCli(['merge', out, a, b]);
    expect(r.code).toBe(1);
    expect(r.errLines).toEqual([
      `schedgpu: ${out}: in use by process ${process.pid} on ${hostname()} (merge, since now); wait for it to end, or if it is gone for good, remove ${out}/sweep.lock`,
    ]);
    expect(existsSync(join(out, 'table.npy'))).toBe(false);
    // another host's process cannot be checked from here: refused, not taken over
    writeFileSync(
      join(out, 'sweep.lock'),
      JSON.stringify({ pid: 1, host: 'elsewhere', started: 'now', command: 'sweep' }),
    );
    expect(runCli(['merge', out, a, b]).errLines[0]).toContain('in use by process 1 on elsewhere');
    rmSync(join(out, 'sweep.lock'));
    expect(runCli(['merge', out, a, b]).code).toBe(0);
  });
});

describe('damaged outputs', () => {
  // 40 x 20000 float64 in tiles of 2 rows x 20000 steps: 20 tiles
  const args = (o: string) => [
    'sweep',
    sweepFile('forty.json', 40, 20000),
    '--out',
    o,
    '--backend',
    'cpu',
    '--tile-values',
    '40000',
  ];
  const finished = (name: string) => {
    const out = join(dir, name);
    expect(runCli(args(out)).code).toBe(0);
    return { out, table: join(out, 'table.npy') };
  };
  const resumeLog = (out: string) =>
    /resume: (\d+) tiles verified, (\d+) to compute/.exec(readFileSync(join(out, 'status.log'), 'utf8'));

  it('a truncated table.npy: --resume says so and recomputes only the tiles past the cut', () => {
    const { out, table } = finished('truncated');
    const data = manifestOf(out).table.dataOffset;
    // cut in the middle of tile 5 (rows 10-11)
    truncateSync(table, data + (10 * 20000 + 7000) * 8);
    const r = runCli([...args(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines[0]).toMatch(
      new RegExp(
        `^schedgpu: resume: ${table} is \\d+ bytes where this sweep's table is ${data + 40 * 20000 * 8}; tiles past its end are computed again$`,
      ),
    );
    expect(r.errLines[1]).toBe(
      `schedgpu: resume: 15 finished tiles no longer match their sha256 in ${table} (the first: rows 10-11, steps 0-19999); computing them again`,
    );
    expect(resumeLog(out)!.slice(1)).toEqual(['5', '15']);
    expect(readFileSync(table).equals(reference(args))).toBe(true);
  });

  it('a flipped byte in a finished tile: --resume names the tile and recomputes it alone', () => {
    const { out, table } = finished('flipped');
    const bytes = readFileSync(table);
    const at = manifestOf(out).table.dataOffset + (14 * 20000 + 123) * 8 + 3;
    bytes[at] ^= 0x10;
    writeFileSync(table, bytes);
    const r = runCli([...args(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines).toContain(
      `schedgpu: resume: 1 finished tile no longer matches its sha256 in ${table} (the first: rows 14-15, steps 0-19999); computing it again`,
    );
    expect(resumeLog(out)!.slice(1)).toEqual(['19', '1']);
    expect(readFileSync(table).equals(reference(args))).toBe(true);
  });

  it('a foreign file in place of table.npy: --resume names it and computes every tile again', () => {
    const { out, table } = finished('foreign-table');
    writeFileSync(table, 'not a table\n'.repeat(1000));
    const r = runCli([...args(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.errLines).toContain(
      `schedgpu: resume: ${table} does not start with this sweep's .npy header; rewriting it`,
    );
    expect(resumeLog(out)!.slice(1)).toEqual(['0', '20']);
    expect(readFileSync(table).equals(reference(args))).toBe(true);
  });

  it("a directory holding someone else's files (and no manifest) is refused with exit 2, untouched", () => {
    const out = join(dir, 'foreign-dir');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    for (const extra of [[], ['--resume']]) {
      const r = runCli([...args(out), ...extra]);
      expect(r.code).toBe(2);
      expect(r.errLines).toEqual([
        `--out: holds files that are not a sweep's (notes.txt); choose a new or empty directory, got "${out}"`,
      ]);
      expect(readdirSync(out)).toEqual(['notes.txt']);
    }
  });

  it('a manifest cut mid-file is refused with exit 2 (nothing in it can be trusted)', () => {
    const out = join(dir, 'cut');
    const args = (o: string) => ['sweep', sweepFile('small.json', 4, 1000), '--out', o, '--backend', 'cpu'];
    expect(runCli(args(out)).code).toBe(0);
    const path = join(out, 'manifest.json');
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const r = runCli([...args(out), '--resume']);
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(/^--resume: .*manifest\.json is not a whole manifest .*, got /);
  });
});

// a small tmpfs mounted here: needs root (and a kernel that lets this container mount)
const MNT = join(dir, 'mnt');
mkdirSync(MNT);
const mounted =
  process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=80m', 'tmpfs', MNT]).status === 0;
const diskReason =
  process.getuid?.() !== 0 ? 'not root (the test mounts a small tmpfs)' : mounted ? null : 'mount -t tmpfs failed here';
if (diskReason) console.log(`faults.test: disk-full tests skipped: ${diskReason}`);
afterAll(() => {
  if (mounted) spawnSync('umount', [MNT]);
});

describe.skipIf(!mounted)('a full disk (an 80 MB tmpfs)', () => {
  const FILLER = join(MNT, 'filler');
  const fill = () => spawnSync('sh', ['-c', `dd if=/dev/zero of=${FILLER} bs=1M 2>/dev/null; sync`]);
  // 300 x 50000 float32: a 60 MB table, written in 14,649 tiles
  const SIXTY = sweepFile('sixty.json', 300, 50000);
  const args = (o: string) => [
    'sweep',
    SIXTY,
    '--out',
    o,
    '--backend',
    'cpu',
    '--dtype',
    'f32',
    '--tile-values',
    '1024',
    '--workers',
    '1',
    '--quiet',
  ];

  it('filling mid-run: exit 1 naming the path and the space needed, an honest manifest, and --resume after freeing space finishes byte-identical', async () => {
    const out = join(MNT, 'sweep');
    const run = start(args(out));
    await until('a tile', () => tilesLogged(out) >= 1);
    fill();
    const { code, stderr } = await run.done;
    expect(code, stderr).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^schedgpu: ${out}/(table\\.npy|manifest\\.json|status\\.log): no space left on device; [\\d.]+ \\w+ more are needed to finish \\(.* free\\); free some space and run again with --resume$`,
      ),
    );
    expect(manifestOf(out).complete).toBe(false);
    expect(expectManifestHonest(out)).toBeLessThan(manifestOf(out).tiles.length);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    rmSync(FILLER);
    expectResumesToReference(out, args);
  });

  // full: the header finds no room; 2 MB free: the 8 MB table fills the disk part way
  for (const room of [0, 2 << 20])
    it(`eval --out with ${room} bytes free leaves no file, partial or temporary`, () => {
      fill();
      try {
        if (room) truncateSync(FILLER, statSync(FILLER).size - room);
        const spec = join(dir, 'one.json');
        writeFileSync(spec, JSON.stringify(LWCD));
        const before = readdirSync(MNT).sort();
        const target = join(MNT, 'eval.npy');
        const r = runCli(['eval', spec, '--steps', '1000000', '--backend', 'cpu', '--out', target]);
        expect(r.code).toBe(1);
        expect(r.errLines).toEqual([`schedgpu: ${target}: no space left on device`]);
        expect(readdirSync(MNT).sort()).toEqual(before);
      } finally {
        rmSync(FILLER);
      }
    });

  it('a table the disk cannot hold is refused before anything is written', () => {
    const out = join(MNT, 'too-big');
    const r = runCli(['sweep', sweepFile('big2.json', 400, 50000), '--out', out, '--backend', 'cpu', '--dtype', 'f32']);
    expect(r.code).toBe(1);
    expect(r.errLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^schedgpu: ${out}/table\\.npy: needs 8\\d\\.\\d MB and ${out} has [\\d.]+ \\w+ free; free some space or choose another --out$`,
        ),
      ),
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
