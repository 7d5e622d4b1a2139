"""
noether's PeriodicCallback firing, from a checkout of Emmi-AI/noether (the same --src noether=DIR or
SCHEDGPU_SRC_NOETHER as the schedules), with pydantic 2 and the installed torch.

Imported: core/callbacks/{base,periodic}.py, core/schemas/callbacks.py and
core/utils/training/{counter,training_iteration}.py. Stubbed: what those import only for the
trainer's other work (models, data, trackers, writers, distributed helpers, tqdm, logging, timing).
The spec (minus updates_per_epoch) is validated as noether's CallBackBaseConfig; the callback is a
PeriodicCallback subclass whose periodic_callback records that it ran; an UpdateCounter from
update 0 to update `steps` drives it the way noether's trainer loop does per update: add_samples
(batch_size), next_update, next_epoch at a full epoch, then after_update, then after_epoch at a full
epoch. values[t] = 1.0 if the callback ran during update t + 1, else 0.0.
"""
import importlib

import staging

CHECKOUT_NAME = 'noether'
ENV = 'SCHEDGPU_SRC_NOETHER'
FILES = [
    'noether/core/callbacks/base.py',
    'noether/core/callbacks/periodic.py',
    'noether/core/schemas/callbacks.py',
    'noether/core/utils/training/counter.py',
    'noether/core/utils/training/training_iteration.py',
]
STUBBED = [
    'tqdm',
    'noether.core.distributed',
    'noether.core.distributed.config',
    'noether.core.models',
    'noether.core.providers',
    'noether.core.providers.metric_property',
    'noether.core.providers.path',
    'noether.core.trackers',
    'noether.core.utils.common',
    'noether.core.utils.common.stopwatch',
    'noether.core.utils.logging',
    'noether.core.utils.torch',
    'noether.core.writers',
    'noether.data.base.dataset',
    'noether.data.samplers',
]
Config = Recorder = UpdateCounter = TrainingIteration = None


def load(root):
    global Config, Recorder, UpdateCounter, TrainingIteration
    root = staging.checkout(ENV, root, 'src/noether/core/callbacks/periodic.py')
    import pydantic

    if not pydantic.VERSION.startswith('2.'):
        raise staging.Unavailable(f'noether needs pydantic 2; this python has {pydantic.VERSION}')
    try:
        import torch  # noqa: F401 (periodic.py decorates with torch.no_grad and imports torch.utils.data)
    except ImportError as e:
        raise staging.Unavailable(f"noether's callbacks import torch, which is not importable ({e})") from e
    staging.stage(root, [('src', f) for f in FILES])
    for name in STUBBED:
        staging.stub(name)
    Config = importlib.import_module('noether.core.schemas.callbacks').CallBackBaseConfig
    periodic = importlib.import_module('noether.core.callbacks.periodic')
    UpdateCounter = importlib.import_module('noether.core.utils.training.counter').UpdateCounter
    TrainingIteration = importlib.import_module('noether.core.utils.training.training_iteration').TrainingIteration

    class Recording(periodic.PeriodicCallback):
        ran = False

        def periodic_callback(self, **kwargs):
            self.ran = True

    Recorder = Recording


def configure(spec):
    return (Config.model_validate({k: v for k, v in spec.items() if k != 'updates_per_epoch'}), spec)


def construct(cfg, steps):
    config, spec = cfg
    callback = Recorder(config, *([None] * 7))  # trainer, model, data, tracker, writers, providers: unused
    counter = UpdateCounter(
        start_iteration=TrainingIteration(epoch=0, update=0, sample=0),
        end_iteration=TrainingIteration(update=steps),
        updates_per_epoch=spec['updates_per_epoch'],
        effective_batch_size=spec['batch_size'],
    )
    return _firings(callback, counter, spec['batch_size'], steps)


def _firings(callback, counter, batch_size, steps):
    for _ in range(steps):
        counter.add_samples(batch_size)
        counter.next_update()
        full_epoch = counter.is_full_epoch
        if full_epoch:
            counter.next_epoch()
        callback.ran = False
        callback.after_update(counter)
        if full_epoch:
            callback.after_epoch(counter)
        yield 1.0 if callback.ran else 0.0
