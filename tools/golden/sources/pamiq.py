"""
PAMIQ's StepIntervalScheduler, from a checkout of MLShukai/pamiq-core (--src pamiq=DIR or
SCHEDGPU_SRC_PAMIQ). pamiq-core is written for Python >= 3.12 (`type` statements, typing.override):
run this source with such a python (it needs nothing else).

Imported: src/pamiq_core/utils/schedulers.py; pamiq_core.time (used only by TimeIntervalScheduler)
is stubbed. A callback that records its calls is registered; values[t] = 1.0 if the (t+1)-th
update() ran it, else 0.0.
"""
import importlib
import os
import sys

import staging

CHECKOUT_NAME = 'pamiq'
ENV = 'SCHEDGPU_SRC_PAMIQ'
classes = {}  # class name -> pamiq's scheduler class


def load(root):
    root = staging.checkout(ENV, root, 'src/pamiq_core/utils/schedulers.py')
    if sys.version_info < (3, 12):
        raise staging.Unavailable(f'pamiq-core needs python >= 3.12; this is {sys.version.split()[0]}')
    staging.stage(root, [('src', os.path.join('pamiq_core', 'utils', 'schedulers.py'))])
    staging.stub('pamiq_core.time')
    module = importlib.import_module('pamiq_core.utils.schedulers')
    classes.update({k: v for k, v in vars(module).items() if k.endswith('Scheduler')})


def configure(spec):
    return spec  # validated by the constructor


def construct(spec, steps):
    calls = []
    cls = classes[spec['kind'].rsplit('.', 1)[1]]
    scheduler = cls(callbacks=[lambda: calls.append(1)], **{k: v for k, v in spec.items() if k != 'kind'})
    return _firings(scheduler, calls)


def _firings(scheduler, calls):
    while True:
        before = len(calls)
        scheduler.update()
        yield 1.0 if len(calls) > before else 0.0
