"""The README's "From Python" snippet, run as written (in a temporary folder), then checked."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_snippet_runs(cli, tmp_path):
    pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")
    if not README.is_file():
        pytest.skip(f"no README.md at {README} (tests run outside the repository)")
    section = re.search(r"^## From Python\n(.*?)^## ", README.read_text(), re.S | re.M)
    assert section, "README.md has no '## From Python' section"
    blocks = re.findall(r"```python\n(.*?)```", section.group(1), re.S)
    assert len(blocks) == 1
    check = textwrap.dedent("""
        ref = torch.optim.SGD(model.parameters(), lr=0.1)
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(ref, T_max=1000)
        for _ in range(1000):
            ref.step(); cos.step()
        assert sched.last_epoch == 1000
        assert abs(opt.param_groups[0]["lr"] - ref.param_groups[0]["lr"]) <= 1e-12, opt.param_groups[0]["lr"]
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", blocks[0] + check], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
