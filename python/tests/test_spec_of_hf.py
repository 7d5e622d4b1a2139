"""spec_of on the LambdaLRs of HF transformers' get_*_schedule* functions. With transformers
installed: the real functions, stepped and compared with schedgpu. Without it: LambdaLRs holding
functools.partials shaped as transformers.optimization builds them (function name and keywords; the
stand-in functions compute nothing), checking what spec_of reads and that schedgpu accepts it."""
import functools
import importlib.util

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")
from torch.optim.lr_scheduler import LambdaLR  # noqa: E402

import schedgpu  # noqa: E402
from schedgpu import UnsupportedScheduler, spec_of  # noqa: E402

from conftest import max_rel_err  # noqa: E402

HF = "transformers.optimization."
HAVE_HF = importlib.util.find_spec("transformers") is not None


def optimizer(lr=3e-4):
    return torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)


# (get_* function, its keyword arguments, the spec fields expected besides kind and base_lr)
CASES = [
    ("get_constant_schedule", {}, {}),
    ("get_constant_schedule_with_warmup", {"num_warmup_steps": 20}, {"num_warmup_steps": 20}),
    ("get_linear_schedule_with_warmup", {"num_warmup_steps": 10, "num_training_steps": 150},
     {"num_warmup_steps": 10, "num_training_steps": 150}),
    ("get_cosine_schedule_with_warmup", {"num_warmup_steps": 10, "num_training_steps": 150, "num_cycles": 0.7},
     {"num_warmup_steps": 10, "num_training_steps": 150, "num_cycles": 0.7}),
    ("get_cosine_with_hard_restarts_schedule_with_warmup", {"num_warmup_steps": 5, "num_training_steps": 180, "num_cycles": 3},
     {"num_warmup_steps": 5, "num_training_steps": 180, "num_cycles": 3}),
    ("get_polynomial_decay_schedule_with_warmup", {"num_warmup_steps": 8, "num_training_steps": 160, "lr_end": 1e-6, "power": 2.0},
     {"num_warmup_steps": 8, "num_training_steps": 160, "lr_end": 1e-6, "power": 2.0}),
    ("get_inverse_sqrt_schedule", {"num_warmup_steps": 12}, {"num_warmup_steps": 12, "timescale": 12}),
    ("get_cosine_with_min_lr_schedule_with_warmup", {"num_warmup_steps": 10, "num_training_steps": 150, "min_lr_rate": 0.1},
     {"num_warmup_steps": 10, "num_training_steps": 150, "num_cycles": 0.5, "min_lr_rate": 0.1}),
    ("get_wsd_schedule", {"num_warmup_steps": 10, "num_decay_steps": 50, "num_training_steps": 180, "decay_type": "linear",
                          "min_lr_ratio": 0.1},
     {"num_warmup_steps": 10, "num_stable_steps": 120, "num_decay_steps": 50, "num_training_steps": None,
      "warmup_type": "linear", "decay_type": "linear", "min_lr_ratio": 0.1, "num_cycles": 0.5}),
]

# the partials transformers.optimization builds (function name, keywords it passes), as read from its source
PARTIAL_OF = {
    "get_constant_schedule_with_warmup": "_get_constant_schedule_with_warmup_lr_lambda",
    "get_linear_schedule_with_warmup": "_get_linear_schedule_with_warmup_lr_lambda",
    "get_cosine_schedule_with_warmup": "_get_cosine_schedule_with_warmup_lr_lambda",
    "get_cosine_with_hard_restarts_schedule_with_warmup": "_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda",
    "get_polynomial_decay_schedule_with_warmup": "_get_polynomial_decay_schedule_with_warmup_lr_lambda",
    "get_inverse_sqrt_schedule": "_get_inverse_sqrt_schedule_lr_lambda",
    "get_cosine_with_min_lr_schedule_with_warmup": "_get_cosine_schedule_with_warmup_lr_lambda",
    "get_wsd_schedule": "_get_wsd_scheduler_lambda",
}


def stand_in(name):
    def fn(current_step, **_):
        return 1.0

    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = "transformers.optimization"
    return fn


def built_like_hf(get, kwargs, opt):
    """The LambdaLR `get(opt, **kwargs)` returns, with stand-in functions of the same names."""
    if get == "get_constant_schedule":
        return LambdaLR(opt, stand_in("_get_constant_lambda"))
    kw = dict(kwargs)
    if get == "get_polynomial_decay_schedule_with_warmup":
        kw["lr_init"] = opt.defaults["lr"]
    if get == "get_inverse_sqrt_schedule":
        kw["timescale"] = kw.get("timescale") or kw["num_warmup_steps"] or 10_000
    if get == "get_cosine_with_min_lr_schedule_with_warmup":
        kw.setdefault("num_cycles", 0.5)
    if get == "get_cosine_schedule_with_warmup":
        kw.setdefault("num_cycles", 0.5)
    if get == "get_wsd_schedule":
        stable = kw.pop("num_training_steps") - kw["num_warmup_steps"] - kw["num_decay_steps"]
        kw = {"num_warmup_steps": kw["num_warmup_steps"], "num_stable_steps": stable, "num_decay_steps": kw["num_decay_steps"],
              "warmup_type": "linear", "decay_type": kw["decay_type"], "min_lr_ratio": kw["min_lr_ratio"], "num_cycles": 0.5}
    return LambdaLR(opt, functools.partial(stand_in(PARTIAL_OF[get]), **kw))


@pytest.mark.parametrize("get,kwargs,fields", CASES, ids=[c[0] for c in CASES])
def test_reads_hf_partials(get, kwargs, fields, cli):
    opt = optimizer()
    if HAVE_HF:
        import transformers.optimization as hf

        sched = getattr(hf, get)(opt, **kwargs)
    else:
        sched = built_like_hf(get, kwargs, opt)
    spec = spec_of(sched)
    assert spec == {"kind": HF + get, "base_lr": 3e-4, **fields}
    table = schedgpu.evaluate(spec, 200, backend="cpu")  # schedgpu accepts it
    if HAVE_HF:
        want = [opt.param_groups[0]["lr"]]
        for _ in range(199):
            opt.step()
            sched.step()
            want.append(opt.param_groups[0]["lr"])
        assert max_rel_err(table[0], want) <= 1e-9


def test_refuses_unknown_partials_and_plain_lambdas():
    with pytest.raises(UnsupportedScheduler, match="LambdaLR.*not a functools.partial"):
        spec_of(LambdaLR(optimizer(), lambda t: 1.0))

    def mine(step, *, warmup):
        return 1.0

    with pytest.raises(UnsupportedScheduler, match="LambdaLR.*mine"):
        spec_of(LambdaLR(optimizer(), functools.partial(mine, warmup=3)))
    with pytest.raises(UnsupportedScheduler, match="_get_something_new"):
        spec_of(LambdaLR(optimizer(), functools.partial(stand_in("_get_something_new"), warmup=3)))


def test_older_wsd_lambda():
    # transformers before warmup_type/decay_type: the same curve unless both a warmup and a floor
    kw = {"num_warmup_steps": 0, "num_stable_steps": 50, "num_decay_steps": 40, "min_lr_ratio": 0.1, "num_cycles": 0.5}
    spec = spec_of(LambdaLR(optimizer(), functools.partial(stand_in("_get_wsd_scheduler_lambda"), **kw)))
    assert spec["warmup_type"] == "linear" and spec["decay_type"] == "cosine"
    kw["num_warmup_steps"] = 10
    with pytest.raises(UnsupportedScheduler, match="older transformers"):
        spec_of(LambdaLR(optimizer(), functools.partial(stand_in("_get_wsd_scheduler_lambda"), **kw)))


def test_polynomial_refuses_a_group_whose_lr_is_not_lr_init():
    opt = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(1))]},
                             {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 1e-4}], lr=3e-4)
    kw = {"num_warmup_steps": 8, "num_training_steps": 160, "lr_end": 1e-7, "power": 1.0, "lr_init": 3e-4}
    sched = LambdaLR(opt, functools.partial(stand_in(PARTIAL_OF["get_polynomial_decay_schedule_with_warmup"]), **kw))
    assert spec_of(sched, group=0)["base_lr"] == 3e-4
    with pytest.raises(UnsupportedScheduler, match="lr_init"):
        spec_of(sched, group=1)
