"""numpy peer for the schedgpu benchmark: the same workloads (bench/workloads.mjs), evaluated with
numpy vectorised over rows and steps, in row chunks of at most 2^22 values. Written for this
comparison. Usage: python3 numpy_peer.py '{"workload": "b", "rows": 100, "steps": 100000, "repeats": 3}'
Prints one JSON line: seconds (best repeat), values/s, peak RSS and a few sample values. With
"out": "table.npy" the float64 table is written there as .npy chunk by chunk (numpy's header, then
each chunk's tofile, in row order), never held whole: on the bench machine first touches of fresh
memory are slow (about 10 us a page), and np.save of the whole table took 4 s there against 0.1 s
for tofile, so the peer streams as schedgpu does."""
import json
import math
import resource
import sys
import time

import numpy as np

# the fastest chunk measured on the 2-core bench machine (2^18 .. 2^24, workloads a, b, c): larger
# chunks make each temporary a fresh mapping whose page faults cost more than the arithmetic (2^24
# took 2-7x the time of 2^22), smaller ones pay numpy's per-call overhead
CHUNK_VALUES = 1 << 22


def workload_a(rows, t, steps):
    peaks = 1e-4 * (1 + (rows % 97))
    d = max(1, steps - 1)
    # CosineDecreasing(max=peak, end=0): max + (1 - (1 + cos(pi p)) / 2) * (0 - max)
    shape = 1 - (1 + np.cos(np.pi * (t / d))) / 2
    return peaks[:, None] + shape[None, :] * (-peaks[:, None])


def structural_params(rows, steps):
    peak = 1e-4 * (1 + (rows % 10))
    warmup = 1 + ((rows * 37) % max(1, steps // 10))
    length = steps - ((rows * 101) % (steps // 2))
    floor = 1e-6 * (1 + (rows % 13))
    shape = rows % 3
    power = 0.5 + (rows % 7) * 0.5
    return peak, warmup, length, floor, shape, power


def workload_b(rows, t, steps):
    peak, warmup, length, floor, shape, power = structural_params(rows, steps)
    out = np.empty((len(rows), len(t)))
    for k in range(3):
        sel = shape == k
        if not sel.any():
            continue
        pk, w, L, fl = peak[sel, None], warmup[sel, None], length[sel, None], floor[sel, None]
        n = L - w
        d = np.maximum(1, n - 1)
        # past its end the decay holds its last value (local step n - 1)
        s = np.minimum(t[None, :] - w, n - 1)
        p = s / d
        if k == 0:
            decay = pk + (1 - (1 + np.cos(np.pi * p)) / 2) * (fl - pk)
        elif k == 1:
            decay = pk + p * (fl - pk)
        else:
            decay = pk + (1 - np.abs(1 - p) ** power[sel, None]) * (fl - pk)
        warm = (t[None, :] + 1) / w * pk
        out[sel] = np.where(t[None, :] < w, warm, decay)
    return out


def linear(s, n):
    return s / np.maximum(1, n - 1)


def workload_c(rows, t, steps):
    out = np.empty((len(rows), len(t)))
    peak_all = 1e-4 * (1 + (rows % 10))
    T = steps
    for k in range(10):
        sel = rows % 10 == k
        if not sel.any():
            continue
        pk = peak_all[sel, None]
        tt = t[None, :]
        if k == 0:
            v = np.broadcast_to(pk, (pk.shape[0], len(t)))
        elif k == 1:
            v = pk + linear(tt, T) * (pk / 100 - pk)
        elif k == 2:
            v = pk + (1 - (1 + np.cos(np.pi * linear(tt, T))) / 2) * (0 - pk)
        elif k == 3:
            v = 0 + (1 - (1 - linear(tt, T)) ** 2) * pk
        elif k == 4:
            idx = np.trunc(np.round((tt / T) / 0.1, 10))
            v = pk + (1 - 0.5 ** idx) * (0 - pk)
        elif k == 5:
            idx = np.searchsorted(np.array([0.3, 0.6, 0.9]), tt / T, side='right')
            v = pk * 0.3 ** idx
        elif k == 6:
            idx = np.trunc(np.round((tt / T) / 0.02, 10))
            v = pk * 0.9 ** idx
        elif k == 7:
            w = int(0.05 * (T - 1))
            warm = (tt + 1) / max(1, w + 1) * pk
            n = T - w
            cos = pk + (1 - (1 + np.cos(np.pi * linear(tt - w, n))) / 2) * (1e-6 - pk)
            v = np.where(tt < w, warm, cos)
        elif k == 8:
            a, b = int(0.05 * (T - 1)), int(0.8 * (T - 1))
            warm = (tt + 1) / max(1, a) * pk
            decay = pk + linear(tt - b, T - b) * (0 - pk)
            v = np.where(tt < a, warm, np.where(tt < b, pk, decay))
        else:
            warm = (tt + 1) / 100 * pk
            n = T - 100
            idx = np.trunc(np.round(((tt - 100) / n) / 0.25, 10))
            v = np.where(tt < 100, warm, pk * 0.5 ** idx)
        out[sel] = v
    return out


WORKLOADS = {'a': workload_a, 'b': workload_b, 'c': workload_c}


def main():
    job = json.loads(sys.argv[1])
    rows, steps, repeats = job['rows'], job['steps'], job.get('repeats', 1)
    fn = WORKLOADS[job['workload']]
    chunk = max(1, CHUNK_VALUES // steps)
    best = math.inf
    samples = {}
    want = sorted({(0, 0), (0, steps // 3), (rows - 1, steps - 1), (rows // 2, steps // 2), (rows // 2, steps - 1)})
    out = job.get('out')
    for _ in range(repeats):
        start = time.perf_counter()
        t = np.arange(steps, dtype=np.float64)
        table = open(out, 'wb') if out else None
        if table is not None:
            np.lib.format.write_array_header_1_0(table, {'descr': '<f8', 'fortran_order': False, 'shape': (rows, steps)})
        for r0 in range(0, rows, chunk):
            idx = np.arange(r0, min(rows, r0 + chunk))
            block = fn(idx, t, steps)
            if table is not None:
                np.ascontiguousarray(block, dtype=np.float64).tofile(table)
            for (r, s) in want:
                if r0 <= r < r0 + len(idx):
                    samples[f'{r},{s}'] = float(block[r - r0, s])
        if table is not None:
            table.close()
        best = min(best, time.perf_counter() - start)
    print(json.dumps({
        **job,
        'values': rows * steps,
        'seconds': best,
        'valuesPerSecond': rows * steps / best,
        'peakRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        'samples': samples,
        'device': f'numpy {np.__version__}, 1 thread',
    }))


if __name__ == '__main__':
    main()
