"""TableLR: a torch scheduler that replays a precomputed schedgpu table (an array or an .npy file)."""
import os

import numpy as np
import torch.optim.lr_scheduler as _sched

# torch 2.x names the base class LRScheduler; 1.13 only has _LRScheduler (2.x keeps it as an alias)
_Base = getattr(_sched, "LRScheduler", None) or _sched._LRScheduler


def _open_table(table):
    """A 2-D (rows x steps) view of `table`; an .npy path is memory-mapped, never read whole."""
    path = None
    if isinstance(table, (str, os.PathLike)):
        path = os.fspath(table)
        table = np.load(path, mmap_mode="r")
    elif not isinstance(table, np.ndarray):
        table = np.asarray(table, dtype=np.float64)
    if table.ndim == 1:
        table = table.reshape(1, -1)
    if table.ndim != 2 or table.shape[1] == 0:
        raise ValueError(f"table: must be a (rows x steps) or (steps,) array with steps >= 1, got shape {table.shape}")
    if not np.issubdtype(table.dtype, np.floating):
        raise ValueError(f"table: must hold floats, got dtype {table.dtype}")
    return table, path


def _rows_for(rows, n_rows, n_groups):
    if rows is None:
        if n_rows == 1:
            return [0] * n_groups
        if n_rows == n_groups:
            return list(range(n_groups))
        raise ValueError(
            f"rows: the table has {n_rows} rows for {n_groups} param groups; give rows= (one row index, or one per group)"
        )
    if isinstance(rows, (int, np.integer)) and not isinstance(rows, bool):
        rows = [int(rows)] * n_groups
    rows = [int(r) for r in rows]
    if len(rows) != n_groups:
        raise ValueError(f"rows: must be one row index or one per param group ({n_groups}), got {len(rows)}")
    for r in rows:
        if not 0 <= r < n_rows:
            raise ValueError(f"rows: must be in [0, {n_rows}), got {r}")
    return rows


class TableLR(_Base):
    """After t calls of step(), each param group's `field` (default "lr") is table[row, t]: t = 0 is the
    value set at construction, so a table from `schedgpu eval --steps N` serves N - 1 steps. `table` is
    an array, or the path of an .npy file (memory-mapped); `rows` is one row index for every group, or
    one per group (default: the table's only row, or row i for group i when the counts match). Stepping
    past the table's last column raises ValueError, as OneCycleLR does past total_steps."""

    def __init__(self, optimizer, table, rows=None, last_epoch=-1, field="lr"):
        self.table, self.table_path = _open_table(table)
        self.field = field
        self.rows = _rows_for(rows, self.table.shape[0], len(optimizer.param_groups))
        for i, group in enumerate(optimizer.param_groups):
            if field not in group:
                raise ValueError(f"field: param group {i} has no {field!r} (its keys: {', '.join(sorted(group))})")
        super().__init__(optimizer, last_epoch)

    @property
    def steps(self):
        """Columns of the table: the values for t = 0 .. steps - 1."""
        return self.table.shape[1]

    def _values(self, t):
        if t >= self.steps:
            raise ValueError(
                f"Tried to step {t} times; the table has values for t = 0..{self.steps - 1} ({self.steps} columns)"
            )
        return [float(self.table[r, t]) for r in self.rows]

    def get_lr(self):
        # torch's API: the lrs for the current last_epoch (only meaningful when field is "lr")
        return self._values(self.last_epoch)

    def step(self, epoch=None):
        """One step (`epoch` is refused: a table is replayed in order; resume with load_state_dict)."""
        if epoch is not None:
            raise ValueError("TableLR.step() takes no epoch: load_state_dict() resumes at a saved step")
        values = self._values(self.last_epoch + 1)  # raise before anything changes
        self._step_count = getattr(self, "_step_count", 0) + 1
        self.last_epoch += 1
        for group, value in zip(self.optimizer.param_groups, values):
            group[self.field] = value
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        """The step reached and what it indexes; never the table itself (which may not fit in memory)."""
        return {
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "_last_lr": list(self._last_lr),
            "base_lrs": list(self.base_lrs),
            "rows": list(self.rows),
            "field": self.field,
            "shape": tuple(self.table.shape),
        }

    def load_state_dict(self, state_dict):
        """Continues at the saved step: the groups get table[row, last_epoch] again, so the next step()
        gives exactly the value an uninterrupted run would have. The table must have the saved shape."""
        shape = tuple(state_dict["shape"])
        if shape != tuple(self.table.shape):
            raise ValueError(f"load_state_dict: the state is for a table of shape {shape}, this one is {self.table.shape}")
        if state_dict["field"] != self.field:
            raise ValueError(f"load_state_dict: the state schedules {state_dict['field']!r}, this scheduler {self.field!r}")
        if len(state_dict["rows"]) != len(self.optimizer.param_groups):
            raise ValueError(
                f"load_state_dict: the state has {len(state_dict['rows'])} rows, the optimizer {len(self.optimizer.param_groups)} groups"
            )
        values_rows = [int(r) for r in state_dict["rows"]]
        last_epoch = int(state_dict["last_epoch"])
        self.rows = values_rows
        values = self._values(last_epoch)
        self.last_epoch = last_epoch
        self._step_count = state_dict["_step_count"]
        self.base_lrs = list(state_dict["base_lrs"])
        for group, value in zip(self.optimizer.param_groups, values):
            group[self.field] = value
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]
