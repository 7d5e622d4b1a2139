"""
torch.optim.lr_scheduler, from the installed torch (Debian bookworm's python3-torch, 1.13).

values[0] is the lr right after construction; values[t] the lr after t rounds of
optimizer.step(); scheduler.step() on SGD over one parameter whose lr is the spec's base_lr.
SequentialLR / ChainedScheduler take `schedulers: [spec, ...]` (children without base_lr), built on
the same optimizer in order, as a user would.
"""
import inspect

from sources.stepping import sgd, stepped_lrs
from staging import Unavailable

CHECKOUT_NAME = None
torch = None


def load(root):
    global torch
    try:
        import torch as installed
    except ImportError as e:
        raise Unavailable(f'torch is not importable ({e}); apt-get install python3-torch') from e
    if not installed.__version__.startswith('1.13'):
        raise Unavailable(f'torch {installed.__version__}: the golden values are from torch 1.13')
    torch = installed


def configure(spec):
    return spec  # torch validates in the constructors


def _scheduler(spec, optimizer):
    cls = getattr(torch.optim.lr_scheduler, spec['kind'].rsplit('.', 1)[1])
    kwargs = {k: v for k, v in spec.items() if k not in ('kind', 'base_lr')}
    if 'schedulers' in kwargs:
        kwargs['schedulers'] = [_scheduler(child, optimizer) for child in kwargs['schedulers']]
    params = inspect.signature(cls.__init__).parameters
    if 'base_lr' in params and 'base_lr' in spec:  # CyclicLR takes the lower lr itself
        kwargs['base_lr'] = spec['base_lr']
    takes_optimizer = 'optimizer' in params  # ChainedScheduler does not
    return cls(optimizer, **kwargs) if takes_optimizer else cls(**kwargs)


def construct(spec, steps):
    optimizer = sgd(torch, spec['base_lr'])
    scheduler = _scheduler(spec, optimizer)
    return stepped_lrs(optimizer, scheduler)
