"""
pytorch_optimizer's lr schedulers (pytorch_optimizer/lr_scheduler/: wsd.py, rex.py,
cosine_anealing.py, linear_warmup.py, chebyshev.py) from a checkout of kozistr/pytorch_optimizer
(--src pytorch_optimizer=DIR or SCHEDGPU_SRC_PYTORCH_OPTIMIZER: the root, holding
pytorch_optimizer/lr_scheduler/), on the installed torch 1.13.

Imported: those five modules and base/scheduler.py, base/exception.py, unchanged, with empty package
__init__ files (the real ones import every optimizer). Aliased: torch 1.13 has no
torch.optim.lr_scheduler.LRScheduler (torch 2.0 renamed _LRScheduler to it), so LRScheduler =
_LRScheduler before the import; the schedulers only subclass it and call its __init__.

values[0] is the lr of an SGD optimizer right after the scheduler is built, values[t] its lr after t
rounds of optimizer.step(); scheduler.step(). The optimizer's lr is base_lr where the spec has one
(the LambdaLR functions); REXScheduler, CosineAnnealingWarmupRestarts and the linear-warmup
schedulers overwrite it with min_lr, so it is 1.0 there and enters no value.
"""
import importlib

import staging
from sources.stepping import sgd, stepped_lrs

CHECKOUT_NAME = 'pytorch_optimizer'
ENV = 'SCHEDGPU_SRC_PYTORCH_OPTIMIZER'
MODULES = ['wsd', 'rex', 'cosine_anealing', 'linear_warmup', 'chebyshev']
modules = {}
torch = None


def load(root):
    global torch
    root = staging.checkout(ENV, root, 'pytorch_optimizer/lr_scheduler/rex.py')
    try:
        import torch
        import torch.optim.lr_scheduler as lrs
        import numpy  # noqa: F401  (chebyshev.py, linear_warmup.py)
    except ImportError as e:
        raise staging.Unavailable(f'the schedulers need torch and numpy; not importable ({e})') from e
    if not hasattr(lrs, 'LRScheduler'):
        lrs.LRScheduler = lrs._LRScheduler
    files = [('', f'pytorch_optimizer/lr_scheduler/{m}.py') for m in MODULES]
    files += [('', 'pytorch_optimizer/base/scheduler.py'), ('', 'pytorch_optimizer/base/exception.py')]
    staging.stage(root, files)
    for m in MODULES:
        modules[m] = importlib.import_module(f'pytorch_optimizer.lr_scheduler.{m}')


def configure(spec):
    return spec  # plain constructors and functions: they check their arguments when called


def construct(spec, steps):
    optimizer = sgd(torch, spec.get('base_lr', 1.0))
    _, module, name = spec['kind'].rsplit('.', 2)
    make = getattr(modules[module], name)
    scheduler = make(optimizer, **{k: v for k, v in spec.items() if k not in ('kind', 'base_lr')})
    return stepped_lrs(optimizer, scheduler)
