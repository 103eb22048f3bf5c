#!/usr/bin/env python3
"""A Hugging Face-style training loop with ecometer's Trainer callback.

ecometer.callbacks.HuggingFaceCallback is a transformers TrainerCallback: with
transformers installed you pass it to a real Trainer,

    trainer = transformers.Trainer(model=..., args=..., train_dataset=...,
                                   callbacks=[ecometer.callbacks.HuggingFaceCallback(region="FR")])
    trainer.train()

This example runs as written without transformers: MiniTrainer below calls the
callback's events the way transformers' Trainer does (on_train_begin, then per
epoch on_epoch_begin, per step on_step_begin ... on_step_end, on_epoch_end,
and on_train_end; every event with (args, state, control, **kwargs)), on a
small PyTorch model with synthetic data.

    python3 examples/python/hf_style_train.py [--epochs N] [--region CODE]
    ecometer run -- python3 examples/python/hf_style_train.py
"""
import argparse
import dataclasses

import torch

import ecometer.callbacks


@dataclasses.dataclass
class TrainingArguments:           # the fields of transformers.TrainingArguments used here
    num_train_epochs: int = 2
    per_device_train_batch_size: int = 32
    gradient_accumulation_steps: int = 1
    learning_rate: float = 1e-3

    @property
    def train_batch_size(self):    # transformers: per device x GPUs (one device here)
        return self.per_device_train_batch_size


@dataclasses.dataclass
class TrainerState:
    epoch: float = 0.0
    global_step: int = 0


@dataclasses.dataclass
class TrainerControl:
    should_training_stop: bool = False


class MiniTrainer:
    def __init__(self, model, args, train_dataset, callbacks=()):
        self.model, self.args, self.ds, self.callbacks = model, args, train_dataset, list(callbacks)
        self.state, self.control = TrainerState(), TrainerControl()

    def _event(self, name, **kw):
        for cb in self.callbacks:
            getattr(cb, name)(self.args, self.state, self.control, model=self.model, **kw)

    def train(self):
        loader = torch.utils.data.DataLoader(self.ds, batch_size=self.args.per_device_train_batch_size, shuffle=True)
        opt = torch.optim.AdamW(self.model.parameters(), lr=self.args.learning_rate)
        self._event("on_train_begin")
        for epoch in range(self.args.num_train_epochs):
            self._event("on_epoch_begin")
            for xb, yb in loader:
                self._event("on_step_begin")
                loss = torch.nn.functional.cross_entropy(self.model(xb), yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
                self.state.global_step += 1
                self.state.epoch = epoch + 1
                self._event("on_step_end")
                self._event("on_log", logs={"loss": loss.item()})
            self._event("on_epoch_end")
        self._event("on_train_end")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--region", default=None)
    a = ap.parse_args()
    torch.manual_seed(0)
    x = torch.randn(2048, 64)
    y = (x[:, 0] > 0).long()
    ds = torch.utils.data.TensorDataset(x, y)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 2))
    cb = ecometer.callbacks.HuggingFaceCallback(region=a.region)
    MiniTrainer(model, TrainingArguments(num_train_epochs=a.epochs), ds, callbacks=[cb]).train()
    print(cb.summary())


if __name__ == "__main__":
    main()
