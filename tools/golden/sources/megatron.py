"""
Megatron-LM's OptimizerParamScheduler (megatron/core/optimizer_param_scheduler.py) from a checkout
of NVIDIA/Megatron-LM (--src megatron=DIR or SCHEDGPU_SRC_MEGATRON: the repository root), on the
installed torch 1.13.

Imported: optimizer_param_scheduler.py alone. Stubbed: megatron.core.utils (log_single_rank, its
logging). The optimizer is a torch SGD over one parameter: the scheduler only reads and writes its
param_groups (no max_lr, min_lr or wd_mult overrides in the group, so the scheduler's own values
apply). values[0] is the group's `output` field (lr or weight_decay) after the constructor's
step(0), values[t] after t calls of step(increment). `increment` and `output` are schedgpu's keys,
not constructor arguments.
"""
import importlib

import staging

CHECKOUT_NAME = 'megatron'
ENV = 'SCHEDGPU_SRC_MEGATRON'
MODULE = 'megatron/core/optimizer_param_scheduler.py'
scheduler_module = None
torch = None
RUN_KEYS = ('kind', 'increment', 'output')


def load(root):
    global scheduler_module, torch
    root = staging.checkout(ENV, root, MODULE)
    try:
        import torch
    except ImportError as e:
        raise staging.Unavailable(f'the scheduler writes a torch optimizer; torch is not importable ({e})') from e
    staging.stage(root, [('', MODULE)])
    staging.stub('megatron.core.utils', log_single_rank=lambda *args, **kwargs: None)
    scheduler_module = importlib.import_module('megatron.core.optimizer_param_scheduler')


def configure(spec):
    return spec  # a plain constructor: it checks its arguments when called


def construct(spec, steps):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=0.0)
    kwargs = {k: v for k, v in spec.items() if k not in RUN_KEYS}
    scheduler = scheduler_module.OptimizerParamScheduler(optimizer, **kwargs)
    return _values(optimizer, scheduler, spec.get('increment', 1), spec.get('output', 'lr'))


def _values(optimizer, scheduler, increment, output):
    yield optimizer.param_groups[0][output]
    while True:
        scheduler.step(increment)
        yield optimizer.param_groups[0][output]
