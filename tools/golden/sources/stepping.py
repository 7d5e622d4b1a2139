"""
A scheduler stepped as a training loop steps it, shared by the torch-based sources: SGD over one
parameter whose lr is the spec's, then rounds of optimizer.step(); scheduler.step(). `torch` is the
module the source's load() imported (pamiq's source runs without torch, so nothing here imports it).
"""


def sgd(torch, lr):
    param = torch.zeros(1, requires_grad=True)
    return torch.optim.SGD([param], lr=lr)


def stepped_lrs(optimizer, scheduler):
    """The lr right after construction, then after each round of optimizer.step(); scheduler.step()."""
    yield optimizer.param_groups[0]['lr']
    while True:
        optimizer.step()
        scheduler.step()
        yield optimizer.param_groups[0]['lr']
