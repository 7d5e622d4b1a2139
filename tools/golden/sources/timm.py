"""
timm.scheduler from a checkout of huggingface/pytorch-image-models (--src timm=DIR or
SCHEDGPU_SRC_TIMM), on the installed torch 1.13.

Only timm/scheduler/{scheduler,cosine_lr,poly_lr,step_lr,multistep_lr,tanh_lr}.py are imported (timm's
package __init__ pulls in the models, which want torch 2). values[t] is the lr after
scheduler.step(t) (t_in_epochs, the default; no noise unless the spec asks for it).
"""
import importlib
import os

import staging

CHECKOUT_NAME = 'timm'
ENV = 'SCHEDGPU_SRC_TIMM'
MODULES = ['scheduler', 'cosine_lr', 'poly_lr', 'step_lr', 'multistep_lr', 'tanh_lr']
classes = {}  # class name -> timm's scheduler class
torch = None


def load(root):
    global torch
    root = staging.checkout(ENV, root, 'timm/scheduler/scheduler.py')
    try:
        import torch
    except ImportError as e:
        raise staging.Unavailable(f'timm runs on torch, which is not importable ({e})') from e
    staging.stage(root, [('', os.path.join('timm', 'scheduler', m + '.py')) for m in MODULES])
    for m in MODULES[1:]:
        module = importlib.import_module(f'timm.scheduler.{m}')
        classes.update({k: v for k, v in vars(module).items() if k.endswith('LRScheduler')})


def configure(spec):
    return spec  # timm validates in the constructors (asserts)


def construct(spec, steps):
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=spec['base_lr'])
    cls = classes[spec['kind'].rsplit('.', 1)[1]]
    scheduler = cls(optimizer, **{k: v for k, v in spec.items() if k not in ('kind', 'base_lr')})
    return _lrs(optimizer, scheduler)


def _lrs(optimizer, scheduler):
    t = 0
    while True:
        scheduler.step(t)
        yield optimizer.param_groups[0]['lr']
        t += 1
