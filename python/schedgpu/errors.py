"""Exceptions: the CLI's one-line messages, raised as Python exceptions of the matching kind."""


class SchedgpuError(Exception):
    """Base of every schedgpu exception."""


class SpecError(SchedgpuError, ValueError):
    """Bad input (the CLI's exit code 2): the message is its one line `path: problem, got value`."""


class CliError(SchedgpuError, RuntimeError):
    """A runtime failure of the CLI (exit code 1), carrying its last line on stderr."""


class CliNotFound(SchedgpuError, FileNotFoundError):
    """No schedgpu CLI could be found or run."""


class UnsupportedScheduler(SchedgpuError, TypeError):
    """spec_of met a scheduler (or a lambda inside one) it cannot read exactly."""
