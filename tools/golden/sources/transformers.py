"""
HF transformers' schedule functions (transformers/optimization.py) from a checkout of
huggingface/transformers or an unpacked transformers wheel (--src transformers=DIR or
SCHEDGPU_SRC_TRANSFORMERS: the folder holding src/transformers/ or transformers/), on the installed
torch 1.13.

Imported: optimization.py alone. Stubbed: transformers.trainer_pt_utils and .trainer_utils (only
get_scheduler and the LayerWise dummies use them) and .utils (its logger). The functions build a
torch LambdaLR; values[t] is the lr of an SGD optimizer (lr = base_lr) after t calls of
scheduler.step(), values[0] the lr right after the function returns.
"""
import importlib
import os

import staging
from sources.stepping import sgd, stepped_lrs

CHECKOUT_NAME = 'transformers'
ENV = 'SCHEDGPU_SRC_TRANSFORMERS'
optimization = None  # transformers.optimization
torch = None


def load(root):
    global optimization, torch
    root = staging.checkout(ENV, root, '')
    prefix = 'src' if os.path.exists(os.path.join(root, 'src', 'transformers', 'optimization.py')) else ''
    if not os.path.exists(os.path.join(root, prefix, 'transformers', 'optimization.py')):
        raise staging.Unavailable(f'{root} holds neither src/transformers/optimization.py nor transformers/optimization.py')
    try:
        import torch
    except ImportError as e:
        raise staging.Unavailable(f'the schedule functions build torch schedulers; torch is not importable ({e})') from e
    staging.stage(root, [(prefix, os.path.join('transformers', 'optimization.py'))])
    for name in ('transformers.trainer_pt_utils', 'transformers.trainer_utils', 'transformers.utils'):
        staging.stub(name)
    optimization = importlib.import_module('transformers.optimization')


def configure(spec):
    return spec  # plain functions: they check their arguments when called


def construct(spec, steps):
    optimizer = sgd(torch, spec['base_lr'])
    function = getattr(optimization, spec['kind'].rsplit('.', 1)[1])
    scheduler = function(optimizer, **{k: v for k, v in spec.items() if k not in ('kind', 'base_lr')})
    return stepped_lrs(optimizer, scheduler)
