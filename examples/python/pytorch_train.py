#!/usr/bin/env python3
"""A plain PyTorch training loop, each epoch an ecometer window.

    python3 examples/python/pytorch_train.py            # measured in this process (libecometer.so)
    ecometer run -- python3 examples/python/pytorch_train.py   # each epoch a region of the run

Synthetic data (nothing to download): a small MLP learns y = sum(x) on CPU.
Options: --epochs N (default 3), --samples N (default 4096), --region CODE.
"""
import argparse

import torch

import ecometer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--samples", type=int, default=4096)
    ap.add_argument("--region", default=None, help="carbon-intensity place, e.g. FR")
    a = ap.parse_args()

    torch.manual_seed(0)
    x = torch.randn(a.samples, 32)
    y = x.sum(dim=1, keepdim=True)
    ds = torch.utils.data.TensorDataset(x, y)
    loader = torch.utils.data.DataLoader(ds, batch_size=64, shuffle=True)
    model = torch.nn.Sequential(torch.nn.Linear(32, 256), torch.nn.ReLU(), torch.nn.Linear(256, 1))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)

    with ecometer.window("training", region=a.region, describe="python: pytorch_train.py") as total:
        for epoch in range(1, a.epochs + 1):
            with ecometer.window("epoch-%d" % epoch, items=len(ds)) as w:
                for xb, yb in loader:
                    opt.zero_grad()
                    loss = torch.nn.functional.mse_loss(model(xb), yb)
                    loss.backward()
                    opt.step()
            print("epoch %d  loss %.4f  %s" % (epoch, loss.item(), w.summary()))
            for name, d in w.domains.items():
                if d["counted"]:
                    print("    %-10s %10.3f J  %s" % (name, d["energy_j"], d["method"]))
    print(total.summary())


if __name__ == "__main__":
    main()
