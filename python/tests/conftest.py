"""Shared fixtures: the CLI (tests that need it skip, with the reason, where it cannot be found)."""
import pytest

from schedgpu._cli import cli_command
from schedgpu.errors import CliNotFound


@pytest.fixture(scope="session")
def cli():
    try:
        return cli_command()
    except CliNotFound as e:
        pytest.skip(f"no schedgpu CLI: {e}")


def max_rel_err(got, want):
    import numpy as np

    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    scale = max(float(np.max(np.abs(want))), 1e-300)
    return float(np.max(np.abs(got - want))) / scale
