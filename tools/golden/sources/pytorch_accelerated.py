"""
pytorch_accelerated.schedulers from a checkout of Chris-hughes10/pytorch-accelerated
(--src pytorch_accelerated=DIR or SCHEDGPU_SRC_PYTORCH_ACCELERATED), on the installed torch 1.13.

Imported: schedulers/{scheduler_base,cosine_scheduler,wsd_scheduler}.py. The package __init__ and
pytorch_accelerated.trainer (accelerate, the Trainer) are stubbed: the schedulers take only
TrainerPlaceholderValues from them, as defaults of create_scheduler_fn, which we do not call.
values[t] = get_updated_values(t) for the one parameter group (an SGD optimizer with lr = base_lr).
"""
import importlib
import os

import staging

CHECKOUT_NAME = 'pytorch_accelerated'
ENV = 'SCHEDGPU_SRC_PYTORCH_ACCELERATED'
MODULES = ['scheduler_base', 'cosine_scheduler', 'wsd_scheduler']
classes = {}  # class name -> the framework's scheduler class
torch = None


def load(root):
    global torch
    root = staging.checkout(ENV, root, 'pytorch_accelerated/schedulers/scheduler_base.py')
    try:
        import torch
    except ImportError as e:
        raise staging.Unavailable(f'pytorch_accelerated runs on torch, which is not importable ({e})') from e
    staging.stage(root, [('', os.path.join('pytorch_accelerated', 'schedulers', m + '.py')) for m in MODULES])
    package = importlib.import_module('pytorch_accelerated')
    package.TrainerPlaceholderValues = staging.stub('pytorch_accelerated.trainer').TrainerPlaceholderValues
    for m in MODULES[1:]:
        module = importlib.import_module(f'pytorch_accelerated.schedulers.{m}')
        classes.update({k: v for k, v in vars(module).items() if k.endswith('LrScheduler')})


def configure(spec):
    return spec  # validated by the constructors' asserts


def construct(spec, steps):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=spec['base_lr'])
    cls = classes[spec['kind'].rsplit('.', 1)[1]]
    scheduler = cls(optimizer, **{k: v for k, v in spec.items() if k not in ('kind', 'base_lr')})
    return _values(scheduler)


def _values(scheduler):
    t = 0
    while True:
        values = scheduler.get_updated_values(t)
        yield values[0] if isinstance(values, (list, tuple)) else values
        t += 1
