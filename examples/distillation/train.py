#!/usr/bin/env python3
"""Train a teacher CNN, or distil a smaller student CNN from it, on synthetic
images, marking each epoch for ecometer (regions and item counts).

  python3 train.py --model teacher --epochs 3 --steps 20 --out work/
  python3 train.py --model student --epochs 3 --steps 20 --out work/   # needs work/teacher.pt

Run each under `ecometer run` (see run.sh) to measure its energy: the markers
go to the meter through ECOMETER_SOCKET; outside ecometer they do nothing.
Needs Debian's python3-torch (CPU is enough). Data: random 3x32x32 images
whose labels come from a fixed random projection, so there is something to
learn and the run needs no download."""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import ecometer  # noqa: E402  (pure Python, from this source tree)

CLASSES = 10


def cnn(widths):
    """A small VGG-style CNN: conv blocks of the given widths, then a classifier."""
    layers, cin = [], 3
    for w in widths:
        layers += [nn.Conv2d(cin, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        cin = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, CLASSES))


MODELS = {"teacher": (64, 128, 256), "student": (16, 32, 64)}


def batches(n_steps, batch, seed):
    g = torch.Generator().manual_seed(seed)
    proj = torch.randn(3 * 32 * 32, CLASSES, generator=torch.Generator().manual_seed(1234))
    for _ in range(n_steps):
        x = torch.randn(batch, 3, 32, 32, generator=g)
        y = (x.flatten(1) @ proj).argmax(1)
        yield x, y


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20, help="training steps per epoch")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--temperature", type=float, default=4.0, help="distillation temperature")
    ap.add_argument("--out", default="work")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    os.makedirs(a.out, exist_ok=True)
    model = cnn(MODELS[a.model])
    teacher = None
    if a.model == "student":
        path = os.path.join(a.out, "teacher.pt")
        if not os.path.exists(path):
            sys.exit("train.py: %s not found: train the teacher first" % path)
        teacher = cnn(MODELS["teacher"])
        teacher.load_state_dict(torch.load(path))
        teacher.eval()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    params = sum(p.numel() for p in model.parameters())
    print("%s: %d parameters, %d epochs x %d steps x %d images" % (a.model, params, a.epochs, a.steps, a.batch),
          flush=True)
    for epoch in range(1, a.epochs + 1):
        t0, total, correct, seen = time.time(), 0.0, 0, 0
        # One region per epoch; its items are the images trained on, so the
        # report gives the energy per training image.
        with ecometer.region("epoch-%d" % epoch, items=a.steps * a.batch):
            model.train()
            for x, y in batches(a.steps, a.batch, seed=epoch):
                logits = model(x)
                loss = F.cross_entropy(logits, y)
                if teacher is not None:
                    with torch.no_grad():
                        soft = F.softmax(teacher(x) / a.temperature, dim=1)
                    kd = F.kl_div(F.log_softmax(logits / a.temperature, dim=1), soft, reduction="batchmean")
                    loss = 0.5 * loss + 0.5 * kd * a.temperature ** 2
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(y)
                correct += (logits.argmax(1) == y).sum().item()
                seen += len(y)
        print("epoch %d: loss %.3f, train accuracy %.2f, %.1f s" % (epoch, total / seen, correct / seen,
                                                                   time.time() - t0), flush=True)
    if a.model == "teacher":
        torch.save(model.state_dict(), os.path.join(a.out, "teacher.pt"))


if __name__ == "__main__":
    main()
