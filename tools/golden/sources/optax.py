"""
optax's schedules (optax/schedules/_schedule.py and _join.py) from a checkout of google-deepmind/optax
or an unpacked optax wheel (--src optax=DIR or SCHEDGPU_SRC_OPTAX: the folder holding optax/).

jax is not needed: the schedule code only calls jax.numpy functions that numpy has under the same
name and meaning (clip, cos, cumprod, floor, logical_and, maximum, minimum, pi, power, sign,
stack, where) plus jax.tree.map over a flat tuple, so `jax.numpy` is numpy here and `jax.tree.map`
maps a function over a tuple. What this gives is optax's arithmetic in float64, i.e. optax under
`jax_enable_x64`; optax's default float32 results differ by ~1e-7 relative, which schedgpu states
as the kinds' divergence. Also stubbed: absl.logging (a warning) and optax._src.base (types only).
A spec's keys are the constructor's keyword arguments (boundaries_and_scales keys, strings in JSON,
become ints; join_schedules' `schedules` are specs). values[t] = float(schedule(t)), t a Python int.
"""
import importlib
import os
import sys
import types

import staging

CHECKOUT_NAME = 'optax'
ENV = 'SCHEDGPU_SRC_OPTAX'
schedules = {}  # function name -> optax's schedule constructor
# what optax 0.2.8's schedule code calls; a name not listed raises AttributeError when optax calls it
JNP_NAMES = ('clip', 'cos', 'cumprod', 'floor', 'logical_and', 'maximum', 'minimum', 'pi', 'power', 'sign', 'stack', 'where')


def load(root):
    root = staging.checkout(ENV, root, 'optax/schedules/_schedule.py')
    try:
        import numpy
    except ImportError as e:
        raise staging.Unavailable(f'numpy stands in for jax.numpy and is not importable ({e})') from e
    staging.stage(root, [('', os.path.join('optax', 'schedules', f)) for f in ('_join.py', '_schedule.py')])
    numpy_as_jnp = types.ModuleType('jax.numpy')  # only the names checked to mean the same in numpy
    for name in JNP_NAMES:
        setattr(numpy_as_jnp, name, getattr(numpy, name))
    jax = staging.stub('jax', numpy=numpy_as_jnp)
    jax.tree = types.SimpleNamespace(map=lambda f, tree: tuple(f(x) for x in tree))
    sys.modules['jax.numpy'] = numpy_as_jnp
    staging.stub('absl.logging')
    staging.stub('optax._src.base')
    for name in ('_schedule', '_join'):
        module = importlib.import_module(f'optax.schedules.{name}')
        schedules.update({k: v for k, v in vars(module).items() if callable(v) and not k.startswith('_')})


def configure(spec):
    return spec  # the constructors check their arguments


def _schedule(spec):
    function = schedules[spec['kind'].rsplit('.', 1)[1]]
    kwargs = {k: v for k, v in spec.items() if k != 'kind'}
    if 'schedules' in kwargs:  # join_schedules holds schedule specs
        kwargs['schedules'] = [_schedule(child) for child in kwargs['schedules']]
    if isinstance(kwargs.get('boundaries_and_scales'), dict):  # JSON keys are strings; optax's are ints
        kwargs['boundaries_and_scales'] = {int(k): v for k, v in kwargs['boundaries_and_scales'].items()}
    return function(**kwargs)


def construct(spec, steps):
    schedule = _schedule(spec)
    return (float(schedule(t)) for t in range(steps))
