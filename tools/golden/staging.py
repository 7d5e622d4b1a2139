"""
Import a few modules of a framework's source checkout without importing the rest of it.

The frameworks' package __init__ files pull in models, trainers, loggers, CUDA helpers: things that
need newer torch or packages we do not have, and that do not take part in any value we record. So
the modules a source needs are copied, unchanged, into a temporary folder with empty __init__ files
for their packages, that folder goes first on sys.path, and whatever else those modules import is
replaced by a stub module (stub()) that the source names explicitly.
"""
import atexit
import importlib
import os
import shutil
import sys
import tempfile
import types


class Unavailable(Exception):
    """A source cannot run here (missing checkout, missing package); the message says why."""


def checkout(env_var, flag_value, marker):
    """The source checkout named by --src or the environment, checked to hold `marker` (a relative path)."""
    root = flag_value or os.environ.get(env_var)
    if not root:
        raise Unavailable(f'no checkout given: set {env_var} or pass --src')
    if not os.path.exists(os.path.join(root, marker)):
        raise Unavailable(f'{root} does not hold {marker} ({env_var} names the checkout root)')
    return root


_staged = {}  # checkout root -> its temporary import folder


def stage(root, files, packages_with_init=()):
    """
    Copy `files` (paths relative to `root`, e.g. 'src/noether/core/schedules/base.py', with the part
    before the top package given as `prefix/`) into a temporary import root and put it on sys.path.
    Every package directory on the way gets an empty __init__.py unless its own __init__.py is one of
    `files`, or it is listed in `packages_with_init` (then its real __init__ is copied).
    Two sources staging from one checkout share its folder (a package imports from one place).
    Returns the temporary folder (removed at exit).
    """
    tmp = _staged.get(root)
    if tmp is None:
        tmp = _staged[root] = tempfile.mkdtemp(prefix='golden-src-')
        atexit.register(shutil.rmtree, tmp, True)
        sys.path.insert(0, tmp)
    for prefix, rel in files:
        src = os.path.join(root, prefix, rel)
        if not os.path.exists(src):
            raise Unavailable(f'{src} is missing (a newer or older checkout than this generator knows?)')
        dst = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        package = os.path.dirname(rel)
        while package:
            init = os.path.join(tmp, package, '__init__.py')
            if not os.path.exists(init):
                real = os.path.join(root, prefix, package, '__init__.py')
                if package in packages_with_init:
                    shutil.copyfile(real, init)
                elif (prefix, os.path.join(package, '__init__.py')) not in files:
                    open(init, 'w').close()
            package = os.path.dirname(package)
    importlib.invalidate_caches()  # files added to a folder already imported from
    return tmp


class _AnyAttribute(type):
    def __getattr__(cls, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return _Anything


class _Anything(metaclass=_AnyAttribute):
    """Stands in for any class, constant or decorator a stubbed module exports: callable, subclassable, inert."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return args[0] if len(args) == 1 and callable(args[0]) and not kwargs else _Anything()

    def __getattr__(self, name):
        return _Anything()


def stub(name, **attrs):
    """
    Register an inert module under `name` (and its parent packages, when absent). Names not given in
    `attrs` resolve to _Anything, so `from name import X` works for any X. Only for imports whose
    objects take no part in the values (loggers, trackers, type annotations, distributed helpers).
    """
    parts = name.split('.')
    for i in range(1, len(parts) + 1):
        sub = '.'.join(parts[:i])
        if i < len(parts):
            try:  # a real (staged) parent package stays real
                importlib.import_module(sub)
                continue
            except ImportError:
                pass
        module = types.ModuleType(sub)
        module.__path__ = []
        if i == len(parts):
            module.__dict__.update(attrs)
            module.__getattr__ = lambda attr: _Anything if not attr.startswith('__') else _raise(attr)
        sys.modules[sub] = module
        if i > 1 and sys.modules.get('.'.join(parts[: i - 1])) is not None:
            setattr(sys.modules['.'.join(parts[: i - 1])], parts[i - 1], module)
    return sys.modules[name]


def _raise(attr):
    raise AttributeError(attr)
