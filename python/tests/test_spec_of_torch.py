"""spec_of on real torch schedulers: random configs of every torch kind schedgpu supports, each
stepped in torch and evaluated by schedgpu (cpu backend), compared within 1e-9 of max|v|."""
import random

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")
import torch.optim.lr_scheduler as S  # noqa: E402

import schedgpu  # noqa: E402
from schedgpu import UnsupportedScheduler, spec_of  # noqa: E402

from conftest import max_rel_err  # noqa: E402

STEPS = 300
CONFIGS_PER_KIND = 4


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)


def _lr(r):
    return 10 ** r.uniform(-4, 0)


def make(kind, r):
    """A random config of `kind`, built on a fresh optimizer."""
    opt = optimizer(_lr(r))
    if kind == "StepLR":
        return S.StepLR(opt, step_size=r.randint(1, 60), gamma=r.uniform(0.1, 1))
    if kind == "MultiStepLR":
        return S.MultiStepLR(opt, milestones=[r.randint(0, STEPS) for _ in range(r.randint(1, 4))], gamma=r.uniform(0.1, 1))
    if kind == "ConstantLR":
        return S.ConstantLR(opt, factor=r.uniform(0.05, 1), total_iters=r.randint(0, 100))
    if kind == "LinearLR":
        return S.LinearLR(opt, start_factor=r.uniform(0.01, 1), end_factor=r.uniform(0, 1), total_iters=r.randint(1, 200))
    if kind == "ExponentialLR":
        return S.ExponentialLR(opt, gamma=r.uniform(0.98, 1))
    if kind == "PolynomialLR":
        return S.PolynomialLR(opt, total_iters=r.randint(1, 400), power=r.uniform(0.5, 3))
    if kind == "CosineAnnealingLR":
        return S.CosineAnnealingLR(opt, T_max=r.randint(1, 400), eta_min=r.uniform(0, 1e-4))
    if kind == "CosineAnnealingWarmRestarts":
        return S.CosineAnnealingWarmRestarts(opt, T_0=r.randint(1, 80), T_mult=r.randint(1, 3), eta_min=r.uniform(0, 1e-5))
    if kind == "CyclicLR":
        lo = _lr(r)
        return S.CyclicLR(opt, base_lr=lo, max_lr=lo * r.uniform(1, 10), step_size_up=r.randint(1, 50),
                          step_size_down=r.choice([None, r.randint(1, 50)]),
                          mode=r.choice(["triangular", "triangular2", "exp_range"]), gamma=r.uniform(0.99, 1))
    if kind == "OneCycleLR":
        return S.OneCycleLR(opt, max_lr=_lr(r), total_steps=r.randint(STEPS - 1, 2 * STEPS), pct_start=r.uniform(0.05, 0.5),
                            anneal_strategy=r.choice(["cos", "linear"]), three_phase=r.random() < 0.5,
                            div_factor=r.uniform(5, 50), final_div_factor=r.uniform(10, 1e4))
    if kind == "SequentialLR":
        first = S.LinearLR(opt, start_factor=r.uniform(0.01, 1), total_iters=r.randint(1, 50))
        second = S.CosineAnnealingLR(opt, T_max=r.randint(50, 300))
        third = S.ExponentialLR(opt, gamma=r.uniform(0.98, 1))
        m1 = r.randint(1, 100)
        return S.SequentialLR(opt, [first, second, third], milestones=[m1, m1 + r.randint(1, 150)])
    if kind == "ChainedScheduler":
        return S.ChainedScheduler([S.ConstantLR(opt, factor=r.uniform(0.1, 1), total_iters=r.randint(0, 60)),
                                   S.ExponentialLR(opt, gamma=r.uniform(0.98, 1)),
                                   S.StepLR(opt, step_size=r.randint(1, 80), gamma=r.uniform(0.1, 1))])
    raise AssertionError(kind)


KINDS = ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "CosineAnnealingLR",
         "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "SequentialLR", "ChainedScheduler"]
if hasattr(S, "PolynomialLR"):
    KINDS.append("PolynomialLR")


def stepped(scheduler, steps):
    """The lr after construction and after each of steps - 1 rounds of optimizer.step(); scheduler.step()."""
    opt = scheduler.optimizer
    values = [opt.param_groups[0]["lr"]]
    for _ in range(steps - 1):
        opt.step()
        scheduler.step()
        values.append(opt.param_groups[0]["lr"])
    return values


@pytest.mark.parametrize("kind", KINDS)
def test_spec_of_matches_torch(kind, cli):
    r = random.Random(f"spec_of-{kind}")
    schedulers = [make(kind, r) for _ in range(CONFIGS_PER_KIND)]
    specs = [spec_of(s) for s in schedulers]
    for spec in specs:
        assert spec["kind"] == f"torch.optim.lr_scheduler.{kind}"
    want = [stepped(s, STEPS) for s in schedulers]
    got = schedgpu.evaluate(specs, STEPS, backend="cpu")
    for i, spec in enumerate(specs):
        assert max_rel_err(got[i], want[i]) <= 1e-9, spec


def test_spec_of_after_steps_reads_the_constructor():
    s = S.CosineAnnealingWarmRestarts(optimizer(0.1), T_0=7, T_mult=2)
    before = spec_of(s)
    stepped(s, 40)
    assert spec_of(s) == before == {"kind": "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts", "base_lr": 0.1,
                                      "T_0": 7, "T_mult": 2, "eta_min": 0}


def test_repeated_milestones_kept():
    s = S.MultiStepLR(optimizer(1.0), milestones=[30, 10, 30], gamma=0.5)
    assert spec_of(s)["milestones"] == [10, 30, 30]


def test_refuses_naming_the_class():
    opt = optimizer(0.1)
    with pytest.raises(UnsupportedScheduler, match=r"torch\.optim\.lr_scheduler\.LambdaLR"):
        spec_of(S.LambdaLR(opt, lambda t: 0.9 ** t))
    with pytest.raises(UnsupportedScheduler, match=r"MultiplicativeLR"):
        spec_of(S.MultiplicativeLR(optimizer(0.1), lambda t: 0.9))
    with pytest.raises(UnsupportedScheduler, match=r"ReduceLROnPlateau"):
        spec_of(S.ReduceLROnPlateau(optimizer(0.1)))
    with pytest.raises(UnsupportedScheduler, match=r"scale_fn"):
        spec_of(S.CyclicLR(optimizer(0.1), base_lr=0.01, max_lr=0.1, scale_fn=lambda x: 1.0))

    class Mine:
        pass

    with pytest.raises(UnsupportedScheduler, match=r"Mine"):
        spec_of(Mine())


def test_group_picks_the_param_group(cli):
    opt = torch.optim.SGD([{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.1},
                           {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.02}])
    s = S.StepLR(opt, step_size=5)
    assert spec_of(s, group=1)["base_lr"] == 0.02
    with pytest.raises(ValueError, match="group"):
        spec_of(s, group=2)
