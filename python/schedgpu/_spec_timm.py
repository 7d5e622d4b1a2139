"""spec_of for timm.scheduler's schedulers: their constructor arguments, kept as attributes."""
from .errors import UnsupportedScheduler

TIMM = "timm.scheduler."
_WARMUP = ("warmup_t", "warmup_lr_init", "warmup_prefix")
_NOISE = ("t_in_epochs", "noise_range_t", "noise_pct", "noise_std", "noise_seed")
_CYCLES = ("t_initial", "lr_min", "cycle_mul", "cycle_decay", "cycle_limit")
FIELDS = {
    "CosineLRScheduler": _CYCLES + _WARMUP + _NOISE + ("k_decay",),
    "PolyLRScheduler": _CYCLES + ("power",) + _WARMUP + _NOISE + ("k_decay",),
    "TanhLRScheduler": _CYCLES + ("lb", "ub") + _WARMUP + _NOISE,
    "StepLRScheduler": ("decay_t", "decay_rate") + _WARMUP + _NOISE,
    "MultiStepLRScheduler": ("decay_t", "decay_rate") + _WARMUP + _NOISE,
}


def timm_spec(s, group):
    name = type(s).__name__
    where = f"{type(s).__module__}.{type(s).__qualname__}"
    if name not in FIELDS:
        raise UnsupportedScheduler(f"spec_of: cannot read {where}: schedgpu has no such timm kind")
    if getattr(s, "param_group_field", "lr") != "lr":
        raise UnsupportedScheduler(f"spec_of: cannot read {where}: it schedules {s.param_group_field!r}, not lr")
    if getattr(s, "noise_type", "normal") != "normal":
        raise UnsupportedScheduler(f"spec_of: cannot read {where}: noise_type {s.noise_type!r} (schedgpu draws normal noise)")
    groups = s.optimizer.param_groups
    if not 0 <= group < len(groups):
        raise ValueError(f"group: the optimizer has {len(groups)} param groups, got {group}")
    if "lr_scale" in groups[group]:
        # newer timm multiplies each group's value by its lr_scale, which a spec cannot carry
        raise UnsupportedScheduler(f"spec_of: cannot read {where}: param group {group} has an lr_scale")
    spec = {"kind": TIMM + name, "base_lr": float(s.base_values[group])}
    for field in FIELDS[name]:
        value = getattr(s, field)
        if isinstance(value, tuple):
            value = list(value)
        spec[field] = value
    return spec
