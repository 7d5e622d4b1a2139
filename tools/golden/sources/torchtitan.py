"""
torchtitan's LRSchedulersContainer (torchtitan/components/optimizer/lr_scheduler.py) from a
checkout of pytorch/torchtitan (--src torchtitan=DIR or SCHEDGPU_SRC_TORCHTITAN: the repository
root), on the installed torch 1.13.

Imported: lr_scheduler.py alone. Stubbed: torchtitan.config (Configurable: the Config base class
and build() plumbing; LRSchedulersContainer.Config defines its own build, which is what runs),
torchtitan.tools.logging (the clamps' warnings), the sibling .optimizer module (OptimizersContainer,
a type only) and torch.distributed.checkpoint.stateful (Stateful, a checkpoint protocol base).
Aliased: torch 1.13 names the scheduler base class `_LRScheduler`; torch 2's `LRScheduler` (only
imported for a type annotation) is set to it. The optimizers are one torch SGD with lr = base_lr;
Config.build gets training_steps = the case's steps (torchtitan passes training.steps), which is
what total_steps null means. values[t] is the SGD's lr after t calls of the container's step().
"""
import importlib

import staging
from sources.stepping import sgd, stepped_lrs

CHECKOUT_NAME = 'torchtitan'
ENV = 'SCHEDGPU_SRC_TORCHTITAN'
MODULE = 'torchtitan/components/optimizer/lr_scheduler.py'
module = None
torch = None


class _Configurable:
    class Config:
        pass


class _Stateful:
    pass


def load(root):
    global module, torch
    root = staging.checkout(ENV, root, MODULE)
    try:
        import torch
        import torch.optim.lr_scheduler as schedulers
    except ImportError as e:
        raise staging.Unavailable(f'the container builds torch LambdaLRs; torch is not importable ({e})') from e
    if not hasattr(schedulers, 'LRScheduler'):
        schedulers.LRScheduler = schedulers._LRScheduler
    staging.stage(root, [('', MODULE)])
    staging.stub('torch.distributed.checkpoint.stateful', Stateful=_Stateful)
    staging.stub('torchtitan.config', Configurable=_Configurable)
    staging.stub('torchtitan.tools.logging', logger=_Quiet())
    staging.stub('torchtitan.components.optimizer.optimizer', OptimizersContainer=list)
    module = importlib.import_module('torchtitan.components.optimizer.lr_scheduler')


class _Quiet:
    def warning(self, *args, **kwargs):
        pass

    info = warning


def configure(spec):
    fields = {k: v for k, v in spec.items() if k not in ('kind', 'base_lr')}
    return spec, module.LRSchedulersContainer.Config(**fields)


def construct(cfg, steps):
    spec, config = cfg
    optimizer = sgd(torch, spec['base_lr'])
    container = config.build(optimizers=[optimizer], training_steps=steps)
    return stepped_lrs(optimizer, container)
