"""Training callbacks: each epoch a window (ecometer.window), samples counted,
for the loops people use. No framework is imported: the hooks are the
documented ones, duck-typed; when the framework is already imported (it is,
in a script that uses it) the callback also subclasses its base class, which
some trainers check.

    trainer = transformers.Trainer(..., callbacks=[ecometer.callbacks.HuggingFaceCallback(region="FR")])
    trainer = lightning.Trainer(callbacks=[ecometer.callbacks.LightningCallback()])
    model.fit(x, y, batch_size=32, callbacks=[ecometer.callbacks.KerasCallback(batch_size=32)])

After training: cb.train (a Window over the whole training), cb.epochs (one
closed Window per epoch: energy_j, co2e_g, duration_s, domains, items).
Standalone the training is one run in the history, its epochs regions of
it (run_name=, tags=, project= label that run); under `ecometer run` they are
regions of that run, which keeps its own --name, --tag and --project.

Samples counted per hook:
- Hugging Face: per optimizer step (on_step_end), args.train_batch_size (else
  per_device_train_batch_size) x gradient_accumulation_steps: the last, smaller
  batch of an epoch counts as full; pass samples_per_step or samples_per_epoch
  for exact counts.
- Lightning: the size of each batch (on_train_batch_end): exact.
- Keras: batch_size per training batch (Keras no longer passes batch sizes to
  callbacks), or samples_per_epoch at each epoch's end; neither given: none.
"""

import sys

from . import labels as _labels
from .window import Window

_mixed = {}


def _framework_base(modules, attr):
    """The framework's callback base class if that framework is already imported."""
    for name in modules:
        base = getattr(sys.modules.get(name), attr, None)
        if isinstance(base, type):
            return base
    return None


class _Tracker:
    _FRAMEWORK = ((), "")  # (module names, base class name)
    _FALLBACK = None       # what the base class would give, when the framework is not imported
    _WHAT = "training"

    def __new__(cls, *args, **kw):
        base = _framework_base(*cls._FRAMEWORK) or cls._FALLBACK
        if base is not None and not issubclass(cls, base):
            key = (cls, base)
            if key not in _mixed:
                _mixed[key] = type(cls.__name__, (cls, base), {"__module__": cls.__module__})
            cls = _mixed[key]
        return object.__new__(cls)

    def __init__(self, region=None, samples_per_step=None, samples_per_epoch=None, name="train", timeout=5.0,
                 run_name=None, tags=None, project=None):
        super().__init__()
        self.region, self.timeout, self.name = region, timeout, name
        # the stored run's label when standalone; a bad one is a ValueError here, before training
        self.run_name, self.tags, self.project = _labels.check(run_name, tags, project)
        self.samples_per_step, self.samples_per_epoch = samples_per_step, samples_per_epoch
        self.train = None      # Window over the whole training
        self.epochs = []       # closed Windows, one per epoch
        self._epoch = None

    def __getattr__(self, name):
        # Every other documented hook (on_log, on_save, on_validation_start...): nothing to do.
        if name.startswith("on_"):
            return lambda *a, **k: None
        raise AttributeError(name)

    def _train_begin(self):
        self.epochs = []
        self.train = Window(self.name, region=self.region, describe="python: " + self._WHAT,
                            timeout=self.timeout, run_name=self.run_name, tags=self.tags,
                            project=self.project).start()

    def _epoch_begin(self):
        if self._epoch is not None:
            self._epoch_end()
        self._epoch = Window("epoch-%d" % (len(self.epochs) + 1), timeout=self.timeout).start()

    def _count(self, n):
        if self._epoch is not None and n:
            self._epoch.count(n)

    def _epoch_end(self):
        if self._epoch is None:
            return
        w, self._epoch = self._epoch, None
        if self.samples_per_epoch:
            w.count(self.samples_per_epoch)
        self.epochs.append(w.stop())

    def _train_end(self):
        self._epoch_end()
        if self.train is not None and self.train._open:
            self.train.stop()

    def summary(self):
        lines = [w.summary() for w in self.epochs]
        if self.train is not None and self.train.energy_j is not None:
            lines.append(self.train.summary())
        return "\n".join(lines)


class HuggingFaceCallback(_Tracker):
    """transformers.TrainerCallback hooks: on_train_begin, on_epoch_begin,
    on_step_end, on_epoch_end, on_train_end(args, state, control, **kwargs)."""
    _FRAMEWORK = (("transformers", "transformers.trainer_callback"), "TrainerCallback")
    _WHAT = "transformers Trainer.train"

    def on_train_begin(self, args, state, control, **kwargs):
        self._train_begin()

    def on_epoch_begin(self, args, state, control, **kwargs):
        self._epoch_begin()

    def on_step_end(self, args, state, control, **kwargs):
        if self.samples_per_epoch:
            return
        n = self.samples_per_step
        if n is None:
            per = getattr(args, "train_batch_size", None) or getattr(args, "per_device_train_batch_size", 0)
            n = int(per or 0) * int(getattr(args, "gradient_accumulation_steps", 1) or 1)
        self._count(n)

    def on_epoch_end(self, args, state, control, **kwargs):
        self._epoch_end()

    def on_train_end(self, args, state, control, **kwargs):
        self._train_end()


def _batch_len(batch):
    """Samples in a batch: a tensor's (or array's) first dimension; for a
    (features, labels) tuple or list, that of its first element; for a dict,
    that of its first value; for a plain list of samples, its length."""
    shape = getattr(batch, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    if isinstance(batch, dict):
        return _batch_len(next(iter(batch.values()))) if batch else 0
    if isinstance(batch, (list, tuple)) and batch:
        first = batch[0]
        if getattr(first, "shape", None) is not None or isinstance(first, dict):
            return _batch_len(first)
        if isinstance(batch, tuple) and isinstance(first, (list, tuple)):
            return len(first)  # (features, labels): the features of each sample
        return len(batch)
    return 0


class LightningCallback(_Tracker):
    """lightning.pytorch.Callback hooks: on_train_start, on_train_epoch_start,
    on_train_batch_end(trainer, pl_module, outputs, batch, batch_idx),
    on_train_epoch_end, on_train_end(trainer, pl_module)."""
    _FRAMEWORK = (("lightning.pytorch", "pytorch_lightning"), "Callback")
    _WHAT = "lightning Trainer.fit"

    def on_train_start(self, trainer, pl_module):
        self._train_begin()

    def on_train_epoch_start(self, trainer, pl_module):
        self._epoch_begin()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, *rest):
        if not self.samples_per_epoch:
            self._count(self.samples_per_step or _batch_len(batch))

    def on_train_epoch_end(self, trainer, pl_module):
        self._epoch_end()

    def on_train_end(self, trainer, pl_module):
        self._train_end()


class _KerasDuck:
    """What keras.callbacks.Callback gives a callback (model, params), without Keras."""

    def __init__(self):
        self.model = self.params = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params


class KerasCallback(_Tracker):
    """keras.callbacks.Callback hooks: on_train_begin(logs), on_epoch_begin(epoch,
    logs), on_train_batch_end(batch, logs), on_epoch_end(epoch, logs), on_train_end(logs)."""
    _FRAMEWORK = (("keras.callbacks", "tensorflow.keras.callbacks"), "Callback")
    _FALLBACK = _KerasDuck
    _WHAT = "keras Model.fit"

    def __init__(self, batch_size=None, **kw):
        super().__init__(samples_per_step=batch_size, **kw)

    def on_train_begin(self, logs=None):
        self._train_begin()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_begin()

    def on_train_batch_end(self, batch, logs=None):
        if not self.samples_per_epoch:
            self._count(self.samples_per_step or 0)

    def on_epoch_end(self, epoch, logs=None):
        self._epoch_end()

    def on_train_end(self, logs=None):
        self._train_end()
