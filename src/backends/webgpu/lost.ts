/**
 * A WebGPU device lost mid-run (a driver reset, an unplugged or reassigned GPU, `device.destroy()`):
 * every later command on it is dropped and pending reads fail, so the run stops with this error
 * rather than whatever the read happened to reject with.
 */
import { RuntimeFailure } from '../../errors.js';

export class DeviceLost extends RuntimeFailure {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`webgpu: the device was lost (${reason}${detail ? `: ${detail}` : ''})`, { code: 'device-lost' });
    this.name = 'DeviceLost';
  }
}

/** Watch a device's `lost` promise; `check()` says whether it has resolved (waiting up to `ms` for it). */
export function watchLoss(device: GPUDevice): {
  now(): DeviceLost | null;
  check(ms: number): Promise<DeviceLost | null>;
} {
  let lost: DeviceLost | null = null;
  const settled = device.lost.then((info) => {
    lost = new DeviceLost(info.reason ?? 'unknown', info.message ?? '');
    return lost;
  });
  return {
    now: () => lost,
    // a failed read may reach us a turn before the lost promise does
    check: (ms) => Promise.race([settled, new Promise<null>((r) => setTimeout(() => r(null), ms).unref?.())]),
  };
}
