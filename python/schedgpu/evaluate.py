"""evaluate() and sweep(): the CLI's `eval` and `sweep` commands, from Python."""
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ._cli import run_cli

BACKENDS = ("auto", "cpu", "webgpu")


def _plain(value):
    """numpy scalars and arrays, torch tensors (a gamma given as np.float32, a tensor lr) as JSON values."""
    if getattr(value, "ndim", None) == 0 and callable(getattr(value, "item", None)):
        return value.item()
    if callable(getattr(value, "tolist", None)):
        return value.tolist()
    raise TypeError(f"specs: {type(value).__name__} is not a JSON value, got {value!r}")


def _dump(obj):
    return json.dumps(obj, default=_plain)


def evaluate(specs, steps, backend="auto", dtype=None):
    """The schedules x steps table of `specs` (one spec dict or a list of them): row i holds spec i's
    value after t updates at column t. `backend`: "auto", "cpu" (float64) or "webgpu" (float32).
    `dtype="float64"` with the webgpu backend asks for its high-precision mode; any other dtype is a
    cast of the result. Bad specs raise SpecError with the CLI's one-line message."""
    if isinstance(specs, dict):
        specs = [specs]
    specs = list(specs)
    if backend not in BACKENDS:
        raise ValueError(f"backend: must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise ValueError(f"steps: must be an integer, got {steps!r}")
    want = None if dtype is None else np.dtype(dtype)
    with tempfile.TemporaryDirectory(prefix="schedgpu-") as tmp:
        spec_file = Path(tmp) / "specs.json"
        spec_file.write_text(_dump(specs))
        out = Path(tmp) / "table.npy"
        args = ["eval", spec_file, "--steps", int(steps), "--backend", backend, "--out", out, "--quiet"]
        if want == np.float64 and backend != "cpu":
            args += ["--precision", "high"]
        run_cli(args)
        table = np.load(out)
    return table if want is None else table.astype(want, copy=False)


def sweep(file_or_dict, out_dir, resume=True, backend="auto"):
    """Runs the sweep (a sweep file's path, or the sweep as a dict) into `out_dir` and returns the path
    of its table.npy (beside it: params.csv, manifest.json, status.log). With `resume`, an interrupted
    sweep in `out_dir` continues where it stopped; a finished one is checked and left as it is."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="schedgpu-") as tmp:
        if isinstance(file_or_dict, dict):
            sweep_file = Path(tmp) / "sweep.json"
            sweep_file.write_text(_dump(file_or_dict))
        else:
            sweep_file = Path(os.fspath(file_or_dict))
        args = ["sweep", sweep_file, "--out", out_dir, "--backend", backend, "--quiet"]
        if resume:
            args.append("--resume")
        run_cli(args)
    return out_dir / "table.npy"
