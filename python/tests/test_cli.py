"""evaluate() and sweep() through the CLI, and its errors as exceptions."""
import json

import numpy as np
import pytest

import schedgpu
from schedgpu import CliNotFound, SpecError


def test_evaluate_step_lr(cli):
    spec = {"kind": "torch.optim.lr_scheduler.StepLR", "base_lr": 0.1, "step_size": 3, "gamma": 0.5}
    table = schedgpu.evaluate([spec, dict(spec, gamma=0.25)], 10, backend="cpu")
    assert table.shape == (2, 10) and table.dtype == np.float64
    t = np.arange(10)
    np.testing.assert_allclose(table[0], 0.1 * 0.5 ** (t // 3), rtol=1e-15)
    np.testing.assert_allclose(table[1], 0.1 * 0.25 ** (t // 3), rtol=1e-15)


def test_evaluate_dtype_cast(cli):
    spec = {"kind": "torch.optim.lr_scheduler.ExponentialLR", "base_lr": 1.0, "gamma": 0.9}
    table = schedgpu.evaluate(spec, 4, backend="cpu", dtype="float32")
    assert table.dtype == np.float32 and table.shape == (1, 4)


def test_numpy_and_tensor_numbers_in_specs(cli):
    import importlib.util

    spec = {"kind": "torch.optim.lr_scheduler.MultiStepLR", "base_lr": np.float32(0.5),
            "milestones": np.array([2, 4]), "gamma": np.float64(0.5)}
    if importlib.util.find_spec("torch") is not None:
        import torch

        spec["base_lr"] = torch.tensor(0.5)
    table = schedgpu.evaluate(spec, 6, backend="cpu")
    np.testing.assert_array_equal(table[0], [0.5, 0.5, 0.25, 0.25, 0.125, 0.125])
    with pytest.raises(TypeError, match="specs: object"):
        schedgpu.evaluate({"kind": object()}, 3)


def test_bad_spec_is_spec_error_with_the_cli_line(cli):
    with pytest.raises(SpecError) as e:
        schedgpu.evaluate({"kind": "torch.optim.lr_scheduler.StepLR", "base_lr": 0.1}, 10, backend="cpu")
    message = str(e.value)
    assert "step_size" in message and "\n" not in message


def test_bad_steps_is_spec_error(cli):
    spec = {"kind": "torch.optim.lr_scheduler.ExponentialLR", "base_lr": 1.0, "gamma": 0.9}
    with pytest.raises(SpecError, match=r"^--steps: .*got 0$"):
        schedgpu.evaluate(spec, 0, backend="cpu")


def test_missing_cli_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("SCHEDGPU_CLI", str(tmp_path / "nowhere" / "cli.js"))
    with pytest.raises(CliNotFound, match="no such file"):
        schedgpu.evaluate({"kind": "x"}, 3)


def test_sweep_dict_and_resume(cli, tmp_path):
    sweep = {
        "steps": 50,
        "base": {"kind": "torch.optim.lr_scheduler.CosineAnnealingLR", "base_lr": 0.1, "T_max": 40},
        "grid": {"eta_min": [0.0, 0.01, 0.02]},
    }
    out = tmp_path / "sweep-out"
    path = schedgpu.sweep(sweep, out, backend="cpu")
    table = np.load(path)
    assert table.shape == (3, 50)
    specs = [dict(sweep["base"], eta_min=e) for e in sweep["grid"]["eta_min"]]
    np.testing.assert_array_equal(table, schedgpu.evaluate(specs, 50, backend="cpu"))
    # resuming a finished sweep leaves it as it is
    assert schedgpu.sweep(sweep, out, backend="cpu") == path
    np.testing.assert_array_equal(np.load(path), table)
    with pytest.raises(SpecError, match=r"^--out: already holds a sweep"):
        schedgpu.sweep(sweep, out, resume=False, backend="cpu")
    # a sweep file works the same
    file = tmp_path / "sweep.json"
    file.write_text(json.dumps(sweep))
    np.testing.assert_array_equal(np.load(schedgpu.sweep(file, tmp_path / "b", resume=False, backend="cpu")), table)
