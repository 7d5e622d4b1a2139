"""
noether.core.schedules from a checkout of Emmi-AI/noether (--src noether=DIR or
SCHEDGPU_SRC_NOETHER), with pydantic 2.

Imported: src/noether/core/schedules/*.py (its own __init__) and src/noether/core/schemas/schedules.py;
noether's other packages get empty __init__ files (they import torch models, trackers, ...).
A spec is built the way noether's factory builds it: the pydantic config class `<Kind>Config` of
noether.core.schemas.schedules validated from the spec (phase "config"), then the class
`noether.core.schedules.<Kind>` called with it (phase "construct"). SequentialPercent/StepSchedule
take dataclass entries {schedule, start_*, end_*} whose schedules are built the same way.
values[t] = schedule.get_value(t, steps); extras: value_at_steps = get_value(steps, steps), or
value_at_steps_error "<Type>: <message>" when that raises.
"""
import importlib
import math
import os

import staging

CHECKOUT_NAME = 'noether'
ENV = 'SCHEDGPU_SRC_NOETHER'
SEQUENTIAL = ('SequentialPercentSchedule', 'SequentialStepSchedule')
schedules = None  # noether.core.schedules
configs = None  # noether.core.schemas.schedules


def load(root):
    global schedules, configs
    root = staging.checkout(ENV, root, 'src/noether/core/schedules/base.py')
    import pydantic

    if not pydantic.VERSION.startswith('2.'):
        raise staging.Unavailable(f'noether needs pydantic 2; this python has {pydantic.VERSION}')
    folder = os.path.join(root, 'src', 'noether', 'core', 'schedules')
    files = [('src', os.path.join('noether', 'core', 'schedules', f)) for f in sorted(os.listdir(folder)) if f.endswith('.py')]
    files.append(('src', os.path.join('noether', 'core', 'schemas', 'schedules.py')))
    staging.stage(root, files)
    schedules = importlib.import_module('noether.core.schedules')
    configs = importlib.import_module('noether.core.schemas.schedules')


def configure(spec):
    """(kind, validated config) or, for the sequential schedules, (kind, [(entry fields, child)], other fields)."""
    kind = spec['kind'].rsplit('.', 1)[1]
    if kind in SEQUENTIAL:
        rest = {k: v for k, v in spec.items() if k not in ('kind', 'schedule_configs')}
        entries = [({k: v for k, v in e.items() if k != 'schedule'}, configure(e['schedule'])) for e in spec['schedule_configs']]
        return (kind, entries, rest)
    return (kind, getattr(configs, kind + 'Config').model_validate(spec))


def build(cfg):
    kind = cfg[0]
    if kind in SEQUENTIAL:
        _, entries, rest = cfg
        entry_class = getattr(schedules, kind + 'Config')  # a dataclass in noether.core.schedules.base
        built = [entry_class(schedule=build(child), **fields) for fields, child in entries]
        return getattr(schedules, kind)(schedule_configs=built, **rest)
    return getattr(schedules, kind)(cfg[1])


def construct(cfg, steps):
    schedule = build(cfg)
    return (schedule.get_value(t, steps) for t in range(steps))


def extras(cfg, steps):
    try:
        value = float(build(cfg).get_value(steps, steps))
    except Exception as e:  # recorded: noether refuses step == total for some schedules
        return {'value_at_steps_error': f'{type(e).__name__}: {e}'}
    return {'value_at_steps': value} if math.isfinite(value) else {'value_at_steps_error': repr(value)}
