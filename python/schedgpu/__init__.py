"""schedgpu from Python: evaluate() and sweep() run the schedgpu CLI; spec_of() reads a live
scheduler into a spec; schedgpu.torch.TableLR replays a table in a torch training loop (torch is
imported only by that module)."""
from .errors import CliError, CliNotFound, SchedgpuError, SpecError, UnsupportedScheduler
from .evaluate import evaluate, sweep
from .spec_of import spec_of

__version__ = "0.1.0"
__all__ = [
    "evaluate",
    "sweep",
    "spec_of",
    "SchedgpuError",
    "SpecError",
    "CliError",
    "CliNotFound",
    "UnsupportedScheduler",
]
