"""Finding and running the schedgpu CLI (the Node.js program that does the evaluating)."""
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from .errors import CliError, CliNotFound, SpecError

ENV = "SCHEDGPU_CLI"
# python/schedgpu/_cli.py -> the repository root, where `npm run build` writes dist/cli.js
_REPO_CLI = Path(__file__).resolve().parents[2] / "dist" / "cli.js"


def _node_command(script):
    node = shutil.which("node")
    if node is None:
        raise CliNotFound(f"{script} needs Node.js: install Node.js 20 or later (`node` is not on PATH)")
    return [node, str(script)]


def cli_command():
    """The command that runs the CLI, as a list: $SCHEDGPU_CLI, else `schedgpu` on PATH, else the
    repository's dist/cli.js beside this package (a source checkout after `npm run build`)."""
    configured = os.environ.get(ENV, "").strip()
    if configured:
        words = shlex.split(configured)
        if len(words) == 1 and words[0].endswith(".js"):
            if not Path(words[0]).is_file():
                raise CliNotFound(f"{ENV}={configured}: no such file")
            return _node_command(words[0])
        return words
    on_path = shutil.which("schedgpu")
    if on_path is not None:
        return [on_path]
    if _REPO_CLI.is_file():
        return _node_command(_REPO_CLI)
    raise CliNotFound(
        "the schedgpu CLI was not found: install it (`npm install -g schedgpu`, or `npm install && npm run build` "
        f"in a checkout) and put `schedgpu` on PATH, or set {ENV} to its command (e.g. 'node /path/to/dist/cli.js')"
    )


def _last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[-1].startswith("Node.js v"):
        # node itself crashed (not a CLI message): its error line comes before the stack trace
        errors = [line for line in lines if re.match(r"^[\w.]*Error\b", line)]
        return f"schedgpu crashed: {errors[0] if errors else lines[0]}"
    return lines[-1] if lines else ""


def run_cli(args):
    """Runs the CLI with `args`; its exit 2 is a SpecError, any other failure a CliError, each with its
    last line on stderr (the CLI's one-line message). Returns the completed process."""
    command = cli_command()
    try:
        done = subprocess.run(command + [str(a) for a in args], capture_output=True, text=True)
    except OSError as e:
        raise CliNotFound(f"cannot run the schedgpu CLI ({shlex.join(command)}): {e}") from e
    if done.returncode == 2:
        raise SpecError(_last_line(done.stderr) or "schedgpu: bad input (exit 2)")
    if done.returncode != 0:
        line = _last_line(done.stderr) or f"schedgpu exited with code {done.returncode}"
        raise CliError(line)
    return done
