"""PyTorch peer for the schedgpu benchmark: what users do without schedgpu, a torch scheduler
stepping loop per configuration, recording the lr after every step. Written for this comparison;
workloads a (CosineAnnealingLR) and b (SequentialLR of a LinearLR warmup and a decay). Usage:
python3 torch_peer.py '{"workload": "a", "rows": 10, "steps": 10000}'"""
import json
import resource
import sys
import time


def main():
    job = json.loads(sys.argv[1])
    try:
        import torch
    except ImportError as e:
        print(json.dumps({**job, 'skipped': f'torch is not installed ({e})'}))
        return
    rows, steps = job['rows'], job['steps']
    if job['workload'] not in ('a', 'b'):
        print(json.dumps({**job, 'skipped': 'no torch scheduler composition for this workload'}))
        return
    param = torch.nn.Parameter(torch.zeros(1))
    start = time.perf_counter()
    for i in range(rows):
        opt = torch.optim.SGD([param], lr=1e-4 * (1 + i % 97))
        if job['workload'] == 'a':
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, steps - 1), eta_min=0.0)
        else:
            warmup = 1 + (i * 37) % max(1, steps // 10)
            decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, steps - warmup), eta_min=1e-6)
            warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0 / warmup, total_iters=warmup)
            sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, decay], milestones=[warmup])
        values = [0.0] * steps
        for t in range(steps):
            values[t] = opt.param_groups[0]['lr']
            opt.step()
            sched.step()
    seconds = time.perf_counter() - start
    print(json.dumps({
        **job,
        'values': rows * steps,
        'seconds': seconds,
        'valuesPerSecond': rows * steps / seconds,
        'peakRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        'device': f'torch {torch.__version__} stepping loop',
    }))


if __name__ == '__main__':
    main()
