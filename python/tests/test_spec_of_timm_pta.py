"""spec_of on timm's and pytorch_accelerated's schedulers, stepped and compared with schedgpu
(cpu backend, 1e-9 of max|v|). Needs the libraries or copies of their sources (framework_sources)."""
import random

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")

import schedgpu  # noqa: E402
from schedgpu import UnsupportedScheduler, spec_of  # noqa: E402

from conftest import max_rel_err  # noqa: E402
from framework_sources import pta_modules, timm_modules  # noqa: E402

STEPS = 300


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def timm_make(kind, r, timm):
    opt = optimizer(10 ** r.uniform(-4, 0))
    warm = dict(warmup_t=r.choice([0, r.randint(1, 30)]), warmup_lr_init=r.uniform(0, 1e-5))
    cycles = dict(t_initial=r.randint(20, 200), lr_min=r.uniform(0, 1e-5), cycle_decay=r.uniform(0.5, 1),
                  cycle_limit=r.randint(1, 4), cycle_mul=r.choice([1.0, 2.0]))
    if kind == "CosineLRScheduler":
        return timm.CosineLRScheduler(opt, **cycles, **warm, k_decay=r.uniform(0.5, 2))
    if kind == "PolyLRScheduler":
        return timm.PolyLRScheduler(opt, **cycles, **warm, power=r.uniform(0.3, 2))
    if kind == "TanhLRScheduler":
        return timm.TanhLRScheduler(opt, **cycles, **warm, warmup_prefix=True)
    if kind == "StepLRScheduler":
        return timm.StepLRScheduler(opt, decay_t=r.randint(5, 80), decay_rate=r.uniform(0.1, 1), **warm)
    if kind == "MultiStepLRScheduler":
        return timm.MultiStepLRScheduler(opt, decay_t=sorted(r.sample(range(1, STEPS), 3)), decay_rate=r.uniform(0.1, 1), **warm)
    raise AssertionError(kind)


TIMM_KINDS = ["CosineLRScheduler", "PolyLRScheduler", "TanhLRScheduler", "StepLRScheduler", "MultiStepLRScheduler"]


@pytest.mark.parametrize("kind", TIMM_KINDS)
def test_timm(kind, cli):
    timm = timm_modules()
    r = random.Random(f"timm-{kind}")
    schedulers = [timm_make(kind, r, timm) for _ in range(4)]
    specs = [spec_of(s) for s in schedulers]
    got = schedgpu.evaluate(specs, STEPS, backend="cpu")
    for i, s in enumerate(schedulers):
        want = []
        for t in range(STEPS):
            s.step(t)  # timm's epoch API: the lr for epoch t
            want.append(s.optimizer.param_groups[0]["lr"])
        assert max_rel_err(got[i], want) <= 1e-9, specs[i]


def test_pta_cosine_and_wsd(cli):
    pta = pta_modules()
    r = random.Random("pta")
    schedulers = []
    for _ in range(4):
        schedulers.append(pta.CosineLrScheduler(optimizer(r.uniform(1e-3, 1e-1)), total_num_epochs=r.randint(3, 10),
                                                num_update_steps_per_epoch=r.randint(10, 30),
                                                num_warmup_epochs=r.randint(0, 2), num_cooldown_epochs=r.randint(0, 1),
                                                k_decay=r.uniform(0.5, 2), lr_min=r.uniform(0, 1e-4)))
        schedulers.append(pta.WSDLrScheduler(optimizer(r.uniform(1e-3, 1e-1)), total_steps=STEPS,
                                             num_warmup_steps=r.randint(0, 30), decay_phase_ratio=r.uniform(0.05, 0.3),
                                             lr_min=r.uniform(0, 0.1), use_inverse_sqrt_decay=r.random() < 0.5,
                                             num_checkpoints=r.randint(1, 3)))
    specs = [spec_of(s) for s in schedulers]
    got = schedgpu.evaluate(specs, STEPS, backend="cpu")
    for i, s in enumerate(schedulers):
        want = []
        for t in range(STEPS):
            s.step()  # the k-th step() applies t = k - 1
            want.append(s.optimizer.param_groups[0]["lr"])
        assert max_rel_err(got[i], want) <= 1e-9, specs[i]
    with pytest.raises(UnsupportedScheduler, match="WSDLrScheduler.*continuation"):
        spec_of(pta.WSDLrScheduler(optimizer(0.1), total_steps=100, is_continuation_from_checkpoint=True))
