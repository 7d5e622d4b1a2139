"""spec_of(scheduler): the schedgpu spec of a live scheduler object, read from its attributes.

Every reader returns the constructor's arguments as the scheduler holds them; a scheduler (or a
LambdaLR's function) that no reader knows is refused with UnsupportedScheduler naming it, never
approximated."""
import functools
import math
from collections import Counter

from .errors import UnsupportedScheduler

TORCH = "torch.optim.lr_scheduler."
HF = "transformers.optimization."


def _qualname(obj):
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _refuse(obj, why):
    raise UnsupportedScheduler(f"spec_of: cannot read {_qualname(obj)}: {why}")


def _base_lr(scheduler, group):
    groups = scheduler.optimizer.param_groups
    if not 0 <= group < len(groups):
        raise ValueError(f"group: the optimizer has {len(groups)} param groups, got {group}")
    return float(groups[group]["initial_lr"])


def _whole(x):
    """A float that holds an integer (CyclicLR stores its step sizes as floats) as that integer."""
    r = round(x)
    return int(r) if abs(x - r) <= 1e-9 * max(1.0, abs(x)) else x


# ---- torch.optim.lr_scheduler ---------------------------------------------------------------------

def _torch_fields(s, group):
    name = type(s).__name__
    if name == "StepLR":
        return {"step_size": s.step_size, "gamma": s.gamma}
    if name == "MultiStepLR":
        # torch keeps a Counter: a milestone given twice applies gamma twice
        return {"milestones": sorted(Counter(s.milestones).elements()), "gamma": s.gamma}
    if name == "ConstantLR":
        return {"factor": s.factor, "total_iters": s.total_iters}
    if name == "LinearLR":
        return {"start_factor": s.start_factor, "end_factor": s.end_factor, "total_iters": s.total_iters}
    if name == "ExponentialLR":
        return {"gamma": s.gamma}
    if name == "PolynomialLR":
        return {"total_iters": s.total_iters, "power": s.power}
    if name == "CosineAnnealingLR":
        return {"T_max": s.T_max, "eta_min": s.eta_min}
    if name == "CosineAnnealingWarmRestarts":
        return {"T_0": s.T_0, "T_mult": s.T_mult, "eta_min": s.eta_min}
    if name == "CyclicLR":
        return _cyclic(s, group)
    if name == "OneCycleLR":
        return _one_cycle(s, group)
    return None


def _cyclic(s, group):
    if hasattr(s, "_scale_fn_custom"):
        custom = s._scale_fn_custom is not None
    else:  # older torch kept scale_fn itself: one of its own methods unless the user gave one
        custom = getattr(getattr(s, "scale_fn", None), "__self__", None) is not s
    if custom:
        _refuse(s, "a custom scale_fn (a Python callable) has no spec")
    up = s.total_size * s.step_ratio
    fields = {
        "max_lr": float(s.max_lrs[group]),
        "step_size_up": _whole(up),
        "step_size_down": _whole(s.total_size - up),
        "mode": s.mode,
        "gamma": s.gamma,
        "cycle_momentum": bool(s.cycle_momentum),
    }
    if s.cycle_momentum:
        fields["base_momentum"] = float(s.base_momentums[group])
        fields["max_momentum"] = float(s.max_momentums[group])
    # CyclicLR writes its own base_lr into the optimizer: that is the spec's base_lr
    fields["base_lr"] = float(s.base_lrs[group])
    return fields


def _one_cycle(s, group):
    g = s.optimizer.param_groups[group]
    phases = s._schedule_phases
    first_end = phases[0]["end_step"]
    strategy = getattr(s, "_anneal_func_type", None)
    if strategy is None:
        fn = getattr(getattr(s, "anneal_func", None), "__name__", "")
        strategy = {"_annealing_cos": "cos", "_annealing_linear": "linear"}.get(fn)
    if strategy not in ("cos", "linear"):
        _refuse(s, "its anneal function is neither cos nor linear")
    fields = {
        "max_lr": float(g["max_lr"]),
        "total_steps": int(s.total_steps),
        "pct_start": (first_end + 1) / s.total_steps,
        "anneal_strategy": strategy,
        "three_phase": len(phases) == 3,
        "div_factor": g["max_lr"] / g["initial_lr"],
        "final_div_factor": g["initial_lr"] / g["min_lr"],
        "cycle_momentum": bool(s.cycle_momentum),
    }
    if s.cycle_momentum:
        fields["base_momentum"] = float(g["base_momentum"])
        fields["max_momentum"] = float(g["max_momentum"])
    return fields


def _torch_spec(s, group, child=False):
    name = type(s).__name__
    if name == "SequentialLR":
        spec = {
            "kind": TORCH + name,
            "schedulers": [_torch_spec(c, group, child=True) for c in s._schedulers],
            "milestones": list(s._milestones),
        }
    elif name == "ChainedScheduler":
        spec = {"kind": TORCH + name, "schedulers": [_torch_spec(c, group, child=True) for c in s._schedulers]}
    elif name == "LambdaLR":
        spec = _lambda_spec(s, group)
    else:
        fields = _torch_fields(s, group)
        if fields is None:
            _refuse(s, "schedgpu has no such torch kind (see docs/kinds.md)")
        spec = {"kind": TORCH + name, **fields}
    if child:
        # children share the parent's optimizer: the parent's spec carries base_lr
        spec.pop("base_lr", None)
    elif "base_lr" not in spec:
        spec = {"kind": spec["kind"], "base_lr": _base_lr(s, group), **{k: v for k, v in spec.items() if k != "kind"}}
    return spec


# ---- LambdaLR built by HF transformers' get_*_schedule* -----------------------------------------

# the lambda's function name -> the get_* function (the kind); keywords pass through unchanged
_HF_PARTIALS = {
    "_get_constant_schedule_with_warmup_lr_lambda": "get_constant_schedule_with_warmup",
    "_get_linear_schedule_with_warmup_lr_lambda": "get_linear_schedule_with_warmup",
    "_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda": "get_cosine_with_hard_restarts_schedule_with_warmup",
    "_get_polynomial_decay_schedule_with_warmup_lr_lambda": "get_polynomial_decay_schedule_with_warmup",
    "_get_inverse_sqrt_schedule_lr_lambda": "get_inverse_sqrt_schedule",
    "_get_wsd_scheduler_lambda": "get_wsd_schedule",
}


def _lambda_spec(s, group):
    fn = s.lr_lambdas[group]
    base_lr = _base_lr(s, group)
    if getattr(fn, "__name__", None) == "_get_constant_lambda" and _from_hf(fn):
        return {"kind": HF + "get_constant_schedule", "base_lr": base_lr}
    if not isinstance(fn, functools.partial):
        _refuse(s, f"its lr_lambda {getattr(fn, '__qualname__', repr(fn))} is not a functools.partial of a known schedule")
    inner = fn.func
    name = getattr(inner, "__name__", "")
    if fn.args or not _from_hf(inner):
        _refuse(s, f"its lr_lambda is a partial of {getattr(inner, '__module__', '?')}.{name}, which schedgpu does not know")
    kw = dict(fn.keywords)
    if name == "_get_cosine_schedule_with_warmup_lr_lambda":
        # one function name serves both: get_cosine_with_min_lr_schedule_with_warmup passes min_lr_rate
        if "min_lr_rate" in kw:
            return {"kind": HF + "get_cosine_with_min_lr_schedule_with_warmup", "base_lr": base_lr, **kw}
        return {"kind": HF + "get_cosine_schedule_with_warmup", "base_lr": base_lr, **kw}
    kind = _HF_PARTIALS.get(name)
    if kind is None:
        _refuse(s, f"its lr_lambda is a partial of transformers' {name}, which schedgpu does not know")
    if kind == "get_polynomial_decay_schedule_with_warmup":
        # HF divides by the optimizer's default lr; the spec's base_lr must be that lr
        lr_init = kw.pop("lr_init")
        if lr_init != base_lr:
            _refuse(s, f"param group {group} starts at lr {base_lr}, but its polynomial lambda divides by lr_init {lr_init}")
    if kind == "get_wsd_schedule":
        if "warmup_type" not in kw:
            # older transformers: cosine decay, and a warmup from 0 rather than from min_lr_ratio, which
            # is the current curve only when there is no warmup or no floor
            if kw.get("num_warmup_steps", 0) > 0 and kw.get("min_lr_ratio", 0) != 0:
                _refuse(s, "an older transformers' WSD lambda (no warmup_type) with a warmup and min_lr_ratio != 0")
            kw.update(warmup_type="linear", decay_type="cosine")
        kw["num_training_steps"] = None
    return {"kind": HF + kind, "base_lr": base_lr, **kw}


def _from_hf(fn):
    module = getattr(fn, "__module__", "") or ""
    return module == "transformers.optimization" or module.startswith("transformers.")


# ---- entry point ----------------------------------------------------------------------------------

def spec_of(scheduler, group=0):
    """The schedgpu spec (a dict) of `scheduler`, for param group `group`: its kind, its constructor's
    arguments, and base_lr, the optimizer's initial lr (`initial_lr` in the param group). Raises
    UnsupportedScheduler, naming the class, for anything it cannot read exactly."""
    module = type(scheduler).__module__ or ""
    if module.startswith("torch.optim"):
        return _torch_spec(scheduler, group)
    if module.startswith("timm.scheduler"):
        from ._spec_timm import timm_spec

        return timm_spec(scheduler, group)
    if module.startswith("pytorch_accelerated"):
        from ._spec_pta import pta_spec

        return pta_spec(scheduler, group)
    _refuse(scheduler, "not a torch, timm, pytorch_accelerated or HF transformers scheduler schedgpu knows")
