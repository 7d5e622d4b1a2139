"""TableLR as the scheduler of a Hugging Face Trainer and of a Lightning module (the snippets of
docs/python.md); each runs only where that library is installed and skips with the reason otherwise."""
import importlib
import importlib.util

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is not installed (Debian: python3-torch)")

from schedgpu.torch import TableLR  # noqa: E402

STEPS = 5
TABLE = np.linspace(1e-3, 1e-4, STEPS + 1)  # N optimizer steps need N + 1 values


def _have(name):
    return importlib.util.find_spec(name) is not None


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, x, labels=None):
        loss = ((self.linear(x).squeeze(-1) - labels) ** 2).mean()
        return {"loss": loss}


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(32, 2, generator=g)
    return [{"x": x[i], "labels": x[i].sum()} for i in range(32)]


@pytest.mark.skipif(not _have("transformers"), reason="transformers is not installed")
def test_hf_trainer(tmp_path):
    from transformers import Trainer, TrainingArguments

    model = Tiny()
    opt = torch.optim.AdamW(model.parameters(), lr=float(TABLE[0]))
    sched = TableLR(opt, TABLE)
    args = TrainingArguments(output_dir=str(tmp_path), max_steps=STEPS, per_device_train_batch_size=4,
                             report_to=[], save_strategy="no", logging_strategy="no")
    Trainer(model=model, args=args, train_dataset=_data(), optimizers=(opt, sched)).train()
    assert sched.last_epoch == STEPS
    assert opt.param_groups[0]["lr"] == TABLE[STEPS]


def _lightning():
    for name in ("lightning.pytorch", "pytorch_lightning"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    pytest.skip("neither lightning nor pytorch_lightning is installed")


def test_lightning_configure_optimizers():
    pl = _lightning()

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = Tiny()

        def training_step(self, batch, batch_idx):
            return self.net(batch["x"], batch["labels"])["loss"]

        def configure_optimizers(self):
            opt = torch.optim.AdamW(self.parameters(), lr=float(TABLE[0]))
            self.table_lr = TableLR(opt, TABLE)
            return {"optimizer": opt, "lr_scheduler": {"scheduler": self.table_lr, "interval": "step"}}

    module = Module()
    loader = torch.utils.data.DataLoader(_data(), batch_size=4)
    trainer = pl.Trainer(max_steps=STEPS, accelerator="cpu", logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(module, loader)
    assert module.table_lr.last_epoch == STEPS
    assert module.table_lr.optimizer.param_groups[0]["lr"] == TABLE[STEPS]
