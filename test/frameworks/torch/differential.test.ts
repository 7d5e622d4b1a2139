/**
 * The differential tool (tools/differential/run.sh, see CONTRIBUTING.md) on a few torch configs
 * against the installed torch: it runs end to end and finds nothing. torch is the one source with
 * no checkout to find, so it runs wherever a python with torch does (SCHEDGPU_DIFFERENTIAL_PYTHON,
 * default /usr/bin/python3); skipped with the reason printed otherwise, as in CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const PYTHON = process.env.SCHEDGPU_DIFFERENTIAL_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
const missing = probe.status === 0 ? null : `${PYTHON} cannot import torch`;
/** Classes the tool finds that are open, each with why (none today). */
const KNOWN: string[] = [];
if (missing) console.log(`torch differential skipped: ${missing}`);

describe.skipIf(missing !== null)('the differential tool against torch', () => {
  it('draws, runs both sides and reports no mismatch on 96 configs', () => {
    const out = mkdtempSync(join(tmpdir(), 'schedgpu-differential-'));
    try {
      const r = spawnSync(
        join(ROOT, 'tools', 'differential', 'run.sh'),
        ['--only', 'torch', '--configs', '96', '--seed', '3', '--webgpu', 'no', '--python', PYTHON, '--out', out],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      expect(report).toMatch(/^96 configs in 3 mixed batches \(torch 96\); 96 compared/m);
      const classes = [...report.matchAll(/^## (.*) \(\d+\)$/gm)].map((m) => m[1]);
      expect(
        classes.filter((c) => !KNOWN.includes(c)),
        `${report}\n${r.stderr}`,
      ).toEqual([]);
      expect(r.status).toBe(classes.length ? 1 : 0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
