/**
 * Library errors carry a code and the library's own names; the CLI maps them to its flags and exit
 * codes. Capacity limits of a device are runtime failures (exit 1), not bad input.
 */
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../src/backends/webgpu/backend.js';
import { createBackend } from '../src/backends/index.js';
import { report } from '../src/cli/errors.js';
import { CapacityError, RuntimeFailure, SpecError, StepError } from '../src/errors.js';
import { compilePlan, checkSteps } from '../src/plan/compile.js';
import { validateSpecs } from '../src/spec/validate.js';
import { stats } from '../src/stats/index.js';
import { predictedLossCurveOnGpu } from '../src/stats/scan.js';
import { Scheduler } from '../src/runtime/scheduler.js';

function reported(e: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = report(e, { out: () => {}, err: (s) => lines.push(s) }, 'eval, stats');
  return { code, lines };
}

/** A device that only answers its limits: enough to reach the capacity checks, which come first. */
function tinyDevice(limits: Partial<GPUSupportedLimits>): GPUDevice {
  return {
    limits: { maxComputeWorkgroupsPerDimension: 4, maxStorageBufferBindingSize: 1024, maxBufferSize: 1024, ...limits },
    // a device that is never lost, as a real one's `lost` stays pending while it lives
    lost: new Promise(() => undefined),
  } as unknown as GPUDevice;
}

const plan = compilePlan(validateSpecs({ kind: 'ConstantSchedule', value: 1 }).runs, 100);

describe('library errors', () => {
  it('name the library option and carry a code', () => {
    expect(() => checkSteps(0)).toThrow(expect.objectContaining({ path: ['steps'], code: 'steps-out-of-range' }));
    expect(() => Scheduler.fromSpec({ kind: 'ConstantSchedule', value: 1 }, { totalSteps: 0 })).toThrow(
      expect.objectContaining({ path: ['totalSteps'], code: 'steps-out-of-range' }),
    );
    return expect(createBackend('tpu' as never)).rejects.toMatchObject({ path: ['backend'], code: 'unknown-backend' });
  });

  it('spec errors keep their field path and the code invalid; refused steps their own code', () => {
    const e = new SpecError(['schedule', 'end_value'], 'must be a number', 'x').under([2]);
    expect([e.message, e.code]).toEqual(['[2].schedule.end_value: must be a number, got "x"', 'invalid']);
    expect(new StepError('values', 'IndexError', 3, 5).under([1]).code).toBe('refused-step');
  });

  it('a device too small for the request is a CapacityError', async () => {
    const backend = new WebGpuBackend(tinyDevice({}));
    const err = await stats(plan, null, { backend, at: [1, 2, 3] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CapacityError);
    expect(err).toMatchObject({ code: 'capacity', limit: 4, requested: 6 });
    // 512 bytes hold 64 f64 steps
    const small = new WebGpuBackend(tinyDevice({ maxStorageBufferBindingSize: 512, maxBufferSize: 512 }));
    const curve = await predictedLossCurveOnGpu(plan, 0, 100, { L0: 1, A: 1, alpha: 0.5, C: 1 }, small).catch(
      (e: unknown) => e,
    );
    expect(curve).toMatchObject({ code: 'capacity', limit: 64, requested: 100 });
  });
});

describe('the CLI reports them', () => {
  it('as its flags, exit 2, one line', () => {
    expect(reported(new SpecError(['at', 0], 'must be a step in [0, 100)', 100, 'at-out-of-range'))).toEqual({
      code: 2,
      lines: ['--at[0]: must be a step in [0, 100), got 100'],
    });
    expect(reported(new SpecError(['windows', 1], 'must be a:b', '5:5', 'window-out-of-range')).lines).toEqual([
      '--window[1]: must be a:b, got "5:5"',
    ]);
    expect(reported(new SpecError(['dirs', 2], 'holds no sweep manifest', 'd', 'merge-shards')).lines).toEqual([
      '<dir>[2]: holds no sweep manifest, got "d"',
    ]);
  });

  it('leaves spec paths alone, even one named like an option', () => {
    // a sweep file's own `steps` field, not the --steps flag
    expect(
      reported(new SpecError('steps', 'differs from the run being resumed (5)', 6, 'resume-changed')).lines,
    ).toEqual(['steps: differs from the run being resumed (5), got 6']);
  });

  it('capacity limits and missing adapters as runtime failures, exit 1', () => {
    expect(reported(new CapacityError('webgpu stats: 6 ranges are more than 4', 4, 6))).toEqual({
      code: 1,
      lines: ['schedgpu: webgpu stats: 6 ranges are more than 4'],
    });
    expect(reported(new RuntimeFailure('webgpu: no WebGPU adapter', { code: 'no-adapter' })).lines).toEqual([
      'schedgpu: --backend webgpu: no WebGPU adapter',
    ]);
    expect(reported(new Error('boom'))).toEqual({ code: 1, lines: ['schedgpu: internal error: boom'] });
  });
});
