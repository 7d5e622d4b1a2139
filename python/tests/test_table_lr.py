"""TableLR: replays a table exactly, resumes exactly through state_dict, refuses to step past the end,
schedules any param-group key, and reads an .npy file memory-mapped (RSS measured)."""
import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")
import torch.optim.lr_scheduler as S  # noqa: E402

from schedgpu.torch import TableLR  # noqa: E402


def model_and_optimizer(groups=1, lr=1.0):
    params = [{"params": [torch.nn.Parameter(torch.ones(2))], "lr": lr} for _ in range(groups)]
    return torch.optim.SGD(params, lr=lr, weight_decay=0.0)


def run(opt, sched, n):
    out = []
    for _ in range(n):
        opt.step()
        sched.step()
        out.append([g["lr"] for g in opt.param_groups])
    return out


def test_is_a_torch_scheduler():
    base = getattr(S, "LRScheduler", None) or S._LRScheduler
    assert issubclass(TableLR, base)


def test_replays_the_table_per_group():
    table = np.random.default_rng(1).uniform(0, 1, size=(3, 20))
    opt = model_and_optimizer(groups=3)
    sched = TableLR(opt, table)
    assert [g["lr"] for g in opt.param_groups] == list(table[:, 0])
    assert sched.get_last_lr() == list(table[:, 0])
    got = run(opt, sched, 19)
    np.testing.assert_array_equal(np.array(got).T, table[:, 1:])


def test_one_row_for_all_groups_and_rows_argument():
    table = np.arange(12, dtype=np.float64).reshape(2, 6)
    opt = model_and_optimizer(groups=3)
    sched = TableLR(opt, table, rows=[1, 0, 1])
    run(opt, sched, 2)
    assert [g["lr"] for g in opt.param_groups] == [8.0, 2.0, 8.0]
    with pytest.raises(ValueError, match="rows"):
        TableLR(model_and_optimizer(groups=3), table)
    with pytest.raises(ValueError, match="rows"):
        TableLR(model_and_optimizer(groups=1), table, rows=2)


def test_matches_a_torch_scheduler_and_resumes_exactly_at_a_random_step(tmp_path):
    # the table: what torch's own CosineAnnealingLR gives, so a replay can be checked against stepping it
    n = 200
    ref_opt = model_and_optimizer(lr=0.1)
    ref = S.CosineAnnealingLR(ref_opt, T_max=150, eta_min=1e-3)
    want = [ref_opt.param_groups[0]["lr"]] + [v[0] for v in run(ref_opt, ref, n - 1)]
    np.save(tmp_path / "lr.npy", np.array(want))

    at = random.Random(17).randint(1, n - 2)
    opt = model_and_optimizer(lr=0.1)
    sched = TableLR(opt, tmp_path / "lr.npy")
    first = [v[0] for v in run(opt, sched, at)]
    torch.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, tmp_path / "ckpt.pt")
    assert os.path.getsize(tmp_path / "ckpt.pt") < 10_000  # the table is not in the checkpoint

    opt2 = model_and_optimizer(lr=0.1)
    sched2 = TableLR(opt2, tmp_path / "lr.npy")
    saved = torch.load(tmp_path / "ckpt.pt")
    opt2.load_state_dict(saved["opt"])
    sched2.load_state_dict(saved["sched"])
    assert opt2.param_groups[0]["lr"] == want[at]
    rest = [v[0] for v in run(opt2, sched2, n - 1 - at)]
    assert [want[0]] + first + rest == want  # exact: the same floats
    with pytest.raises(ValueError, match=r"Tried to step 200 times.*t = 0\.\.199"):
        sched2.step()
    assert sched2.last_epoch == n - 1 and opt2.param_groups[0]["lr"] == want[-1]


def test_load_state_dict_refuses_another_table():
    opt = model_and_optimizer()
    sched = TableLR(opt, np.ones(10))
    state = sched.state_dict()
    with pytest.raises(ValueError, match="shape"):
        TableLR(model_and_optimizer(), np.ones(11)).load_state_dict(state)


def test_field_schedules_another_key():
    table = np.linspace(0.1, 0.0, 5)
    opt = model_and_optimizer(lr=0.3)
    sched = TableLR(opt, table, field="weight_decay")
    run(opt, sched, 3)
    assert opt.param_groups[0]["weight_decay"] == table[3]
    assert opt.param_groups[0]["lr"] == 0.3
    with pytest.raises(ValueError, match="betas"):
        TableLR(model_and_optimizer(), table, field="betas")


def test_step_with_epoch_is_refused():
    sched = TableLR(model_and_optimizer(), np.ones(5))
    with pytest.raises(ValueError, match="epoch"):
        sched.step(3)


# 1e9 float32 values: 4 GB on disk as a sparse file (only the columns read are written)
BIG_STEPS = 1_000_000_000
RSS_BUDGET = 200 * 2**20


def test_npy_is_memory_mapped_rss_measured(tmp_path):
    path = tmp_path / "big.npy"
    table = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(1, BIG_STEPS))
    head, tail = np.arange(1000, dtype=np.float32), np.arange(1000, dtype=np.float32) + 5
    table[0, :1000] = head
    table[0, -1000:] = tail
    table.flush()
    del table
    assert BIG_STEPS * 4 > 4 * RSS_BUDGET
    script = textwrap.dedent(f"""
        import numpy as np, torch
        from schedgpu.torch import TableLR
        def rss():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        opt = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=1.0)
        before = rss()
        s = TableLR(opt, {str(path)!r})
        got = [opt.param_groups[0]["lr"]]
        for _ in range(999):
            s.step(); got.append(opt.param_groups[0]["lr"])
        state = s.state_dict(); state["last_epoch"] = {BIG_STEPS} - 1000
        s.load_state_dict(state)
        got.append(opt.param_groups[0]["lr"])
        for _ in range(999):
            s.step(); got.append(opt.param_groups[0]["lr"])
        try:
            s.step(); raise SystemExit("stepped past the end")
        except ValueError:
            pass
        print(rss() - before, *got)
    """)
    if not hasattr(os, "sched_getaffinity") or not os.path.exists("/proc/self/status"):
        pytest.skip("RSS is read from /proc/self/status (Linux only)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    grown, *values = done.stdout.split()
    assert [float(v) for v in values] == list(head) + list(tail)
    assert int(grown) < RSS_BUDGET, f"RSS grew by {int(grown) / 2**20:.0f} MiB replaying a 4 GB table"
