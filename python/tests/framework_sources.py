"""Loading timm's and pytorch_accelerated's scheduler modules for the tests: the installed package,
or a source checkout named by $SCHEDGPU_TIMM_SRC / $SCHEDGPU_PTA_SRC (a temporary copy of the
repository; only the scheduler modules are imported, with stand-ins for the packages' heavy
__init__s). Tests skip with the reason when neither is there."""
import enum
import importlib
import importlib.util
import os
import sys
import types
from pathlib import Path

import pytest


_loaded = {}


def _installed(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ValueError:  # a stand-in package of ours, from an earlier call
        return False


def _package(name, path):
    module = types.ModuleType(name)
    module.__path__ = [str(path)]
    sys.modules[name] = module
    return module


def timm_modules():
    if "timm" in _loaded:
        return _loaded["timm"]
    if _installed("timm"):
        return importlib.import_module("timm.scheduler")
    src = os.environ.get("SCHEDGPU_TIMM_SRC")
    if not src or not (Path(src) / "timm" / "scheduler").is_dir():
        pytest.skip("timm is not installed and $SCHEDGPU_TIMM_SRC names no copy of pytorch-image-models")
    _package("timm", Path(src) / "timm")
    sched = _package("timm.scheduler", Path(src) / "timm" / "scheduler")
    for module, cls in [("cosine_lr", "CosineLRScheduler"), ("poly_lr", "PolyLRScheduler"),
                        ("tanh_lr", "TanhLRScheduler"), ("step_lr", "StepLRScheduler"),
                        ("multistep_lr", "MultiStepLRScheduler")]:
        setattr(sched, cls, getattr(importlib.import_module(f"timm.scheduler.{module}"), cls))
    _loaded["timm"] = sched
    return sched


class _Placeholders(enum.Enum):
    # pytorch_accelerated.TrainerPlaceholderValues only supplies default arguments of the factories
    NUM_EPOCHS = "n"
    NUM_UPDATE_STEPS_PER_EPOCH = "s"
    PER_PROCESS_NUM_UPDATE_STEPS_PER_EPOCH = "p"


def pta_modules():
    if "pta" in _loaded:
        return _loaded["pta"]
    if _installed("pytorch_accelerated"):
        return importlib.import_module("pytorch_accelerated.schedulers")
    src = os.environ.get("SCHEDGPU_PTA_SRC")
    if not src or not (Path(src) / "pytorch_accelerated" / "schedulers").is_dir():
        pytest.skip("pytorch_accelerated is not installed and $SCHEDGPU_PTA_SRC names no copy of it")
    pkg = _package("pytorch_accelerated", Path(src) / "pytorch_accelerated")
    pkg.TrainerPlaceholderValues = _Placeholders
    trainer = types.ModuleType("pytorch_accelerated.trainer")
    trainer.TrainerPlaceholderValues = _Placeholders
    sys.modules["pytorch_accelerated.trainer"] = trainer
    _package("pytorch_accelerated.schedulers", Path(src) / "pytorch_accelerated" / "schedulers")
    _loaded["pta"] = types.SimpleNamespace(
        CosineLrScheduler=importlib.import_module("pytorch_accelerated.schedulers.cosine_scheduler").CosineLrScheduler,
        WSDLrScheduler=importlib.import_module("pytorch_accelerated.schedulers.wsd_scheduler").WSDLrScheduler,
    )
    return _loaded["pta"]
