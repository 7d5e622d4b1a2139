"""spec_of for pytorch_accelerated.schedulers' CosineLrScheduler and WSDLrScheduler."""
import math

from .errors import UnsupportedScheduler

PA = "pytorch_accelerated.schedulers."


def pta_spec(s, group):
    name = type(s).__name__
    where = f"{type(s).__module__}.{type(s).__qualname__}"
    groups = s.optimizer.param_groups
    if not 0 <= group < len(groups):
        raise ValueError(f"group: the optimizer has {len(groups)} param groups, got {group}")
    spec = {"kind": PA + name, "base_lr": float(s.base_lr_values[group]), "param_group_field": s.param_group_field}
    if name == "CosineLrScheduler":
        # the scheduler keeps only epochs x steps-per-epoch products; any factorization with the same
        # products is the same schedule: steps per epoch = their gcd
        total, warmup, cooldown = s.total_iterations, s.warmup_iterations, s.num_cooldown_iterations
        per_epoch = math.gcd(math.gcd(total, warmup), cooldown)
        spec.update(
            total_num_epochs=total // per_epoch,
            num_update_steps_per_epoch=per_epoch,
            k_decay=s.k_decay,
            lr_min=s.lr_min,
            min_lr_ratio=s.lr_min_ratio,
            num_warmup_epochs=warmup // per_epoch,
            warmup_starting_lr=s.warmup_lr_init,
            warmup_starting_lr_ratio=s.warmup_lr_ratio,
            num_cooldown_epochs=cooldown // per_epoch,
        )
        return spec
    if name == "WSDLrScheduler":
        if s.is_continuation_from_checkpoint:
            # its values then depend on the state loaded into it, which a spec does not hold
            raise UnsupportedScheduler(f"spec_of: cannot read {where}: is_continuation_from_checkpoint=True")
        spec.update(
            total_steps=s.total_steps,
            num_warmup_steps=s.num_warmup_steps,
            decay_phase_ratio=s.decay_phase_ratio,
            lr_min=s.lr_min,
            warmup_starting_lr=s.warmup_starting_lr,
            use_inverse_sqrt_decay=s.use_inverse_sqrt_decay,
            num_checkpoints=s.num_checkpoints,
            is_continuation_from_checkpoint=False,
        )
        return spec
    raise UnsupportedScheduler(f"spec_of: cannot read {where}: schedgpu has no such pytorch_accelerated kind")
