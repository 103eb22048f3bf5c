#!/usr/bin/python3
"""ecometer.callbacks: the hooks called in the order each framework documents,
with the arguments it documents, by a stand-in loop (no framework installed),
standalone on a fixture board at known power (tests/tools/py_fixture.py):
two epochs each, samples counted, each epoch's energy = 120 W x its duration
(4%), the whole training one stored run with the epochs as its regions.

Hook orders and signatures, from the frameworks' documentation:
- Hugging Face transformers, "Callbacks" (huggingface.co/docs/transformers/
  main_classes/callback and trainer_callbacks): on_init_end, on_train_begin,
  for each epoch on_epoch_begin, for each step on_step_begin, on_substep_end,
  on_pre_optimizer_step, on_optimizer_step, on_step_end, (on_log, on_evaluate,
  on_save), then on_epoch_end; on_train_end. Every event is called on every
  callback as event(args, state, control, **kwargs).
- PyTorch Lightning, "Callback" API and "Hooks" (lightning.ai/docs/pytorch/
  stable/api/lightning.pytorch.callbacks.Callback.html, common/hooks):
  on_fit_start, on_train_start, on_train_epoch_start, on_train_batch_start,
  on_before_backward, on_after_backward, on_before_optimizer_step,
  on_train_batch_end(trainer, pl_module, outputs, batch, batch_idx),
  on_train_epoch_end, on_train_end, on_fit_end.
- Keras, tf.keras.callbacks.Callback (tensorflow.org/api_docs/python/tf/keras/
  callbacks/Callback): set_params, set_model, on_train_begin(logs),
  on_epoch_begin(epoch, logs), on_train_batch_begin(batch, logs),
  on_train_batch_end(batch, logs), on_epoch_end(epoch, logs), on_train_end(logs)."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("ECOMETER_SRC", os.getcwd()), "tests", "tools"))
from py_fixture import LIB, TMP, TOTAL_W, Board  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ecotest import check, check_power, finish, need_file  # noqa: E402

CHILD = r'''
import json, sys, time, types
import ecometer.callbacks as cbs

EPOCH_S, STEPS, BATCH = float(sys.argv[2]), 4, 8

def hf():
    cb = cbs.HuggingFaceCallback(region="FR")
    args = types.SimpleNamespace(per_device_train_batch_size=BATCH, train_batch_size=BATCH,
                                 gradient_accumulation_steps=2)
    state, control = types.SimpleNamespace(epoch=0.0, global_step=0), types.SimpleNamespace()
    ev = lambda name, **kw: getattr(cb, name)(args, state, control, model=None, **kw)
    ev("on_init_end"); ev("on_train_begin")
    for epoch in range(2):
        ev("on_epoch_begin")
        for step in range(STEPS):
            ev("on_step_begin"); ev("on_substep_end"); ev("on_pre_optimizer_step"); ev("on_optimizer_step")
            time.sleep(EPOCH_S / STEPS)
            state.global_step += 1
            ev("on_step_end"); ev("on_log", logs={"loss": 1.0}); ev("on_save")
        state.epoch += 1
        ev("on_epoch_end"); ev("on_evaluate", metrics={})
    ev("on_train_end")
    return cb, 2 * BATCH * STEPS  # samples per epoch: 2 micro-batches of 8 per step

def lightning():
    cb = cbs.LightningCallback()
    trainer, module = types.SimpleNamespace(current_epoch=0), object()
    cb.on_fit_start(trainer, module); cb.on_train_start(trainer, module)
    for epoch in range(2):
        trainer.current_epoch = epoch
        cb.on_train_epoch_start(trainer, module)
        for i in range(STEPS):
            batch = ([[0.0] * 3] * (BATCH if i < STEPS - 1 else 3), [0] * (BATCH if i < STEPS - 1 else 3))
            cb.on_train_batch_start(trainer, module, batch, i)
            cb.on_before_backward(trainer, module, 0.5); cb.on_after_backward(trainer, module)
            cb.on_before_optimizer_step(trainer, module, None)
            time.sleep(EPOCH_S / STEPS)
            cb.on_train_batch_end(trainer, module, {"loss": 0.5}, batch, i)
        cb.on_train_epoch_end(trainer, module)
    cb.on_train_end(trainer, module); cb.on_fit_end(trainer, module)
    return cb, BATCH * (STEPS - 1) + 3  # the last batch is short: counted exactly

def keras():
    cb = cbs.KerasCallback(batch_size=BATCH)
    cb.set_params({"epochs": 2, "steps": STEPS}); cb.set_model(object())
    cb.on_train_begin(logs={})
    for epoch in range(2):
        cb.on_epoch_begin(epoch, logs={})
        for b in range(STEPS):
            cb.on_train_batch_begin(b, logs={})
            time.sleep(EPOCH_S / STEPS)
            cb.on_train_batch_end(b, logs={"loss": 0.1})
        cb.on_epoch_end(epoch, logs={"loss": 0.1})
    cb.on_train_end(logs={})
    return cb, BATCH * STEPS

which = sys.argv[1]
cb, per_epoch = {"hf": hf, "lightning": lightning, "keras": keras}[which]()
import ecometer
print(json.dumps({"per_epoch": per_epoch, "epochs": [w.as_dict() for w in cb.epochs], "train": cb.train.as_dict(),
                  "run": ecometer.load("latest")}))
'''

MIXIN = r'''
import sys, types
fake = types.ModuleType("transformers")
class TrainerCallback:
    def on_log(self, args, state, control, **kw):
        return "base"
fake.TrainerCallback = TrainerCallback
sys.modules["transformers"] = fake
import ecometer.callbacks as cbs
cb = cbs.HuggingFaceCallback()
print(isinstance(cb, TrainerCallback), isinstance(cb, cbs.HuggingFaceCallback), cb.on_log(None, None, None))
print(isinstance(cbs.KerasCallback(), cbs._KerasDuck), cbs.KerasCallback().model)
'''

# Each epoch's energy is checked to 4%: a wrong boundary (one step of four
# off: 25%) or a domain counted twice or missed (core-0 inside package-0:
# +25 W; dram-1: -12 W, 10%) is far outside it, while the readings' lag
# behind the fixture writer's clock (one 10 ms tick, more when the machine
# is busy: ecotest.check_power) stays inside for an epoch of EPOCH_S s.
EPOCH_S = 1.0

need_file(LIB)

board = Board("pycb")
try:
    for which, what in (("hf", "transformers Trainer.train"), ("lightning", "lightning Trainer.fit"),
                        ("keras", "keras Model.fit")):
        p = subprocess.run(["/usr/bin/python3", "-c", CHILD, which, str(EPOCH_S)], env=board.env(os.path.join(TMP, which + ".db")),
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print(p.stderr)
        check(p.returncode == 0, "%s: the hooks ran" % which)
        out = json.loads(p.stdout)
        epochs = out["epochs"]
        check([e["name"] for e in epochs] == ["epoch-1", "epoch-2"], "%s: two epochs" % which)
        check(all(e["items"] == out["per_epoch"] for e in epochs),
              "%s: %s samples per epoch counted (%r)" % (which, out["per_epoch"], [e["items"] for e in epochs]))
        for e in epochs:
            check_power(e["energy_j"], TOTAL_W, e["duration_s"], 0.04, "%s %s" % (which, e["name"]),
                        also=e["duration_s"] >= 0.95 * EPOCH_S)
        train, run = out["train"], out["run"]
        check(train["energy_j"] >= sum(e["energy_j"] for e in epochs), "%s: training >= its epochs" % which)
        check(run["command"] == "python: " + what and run["kind"] == "session" and
              [g["name"] for g in run["regions"]] == ["train", "epoch-1", "epoch-2"] and
              [g["items"] for g in run["regions"]][1:] == [out["per_epoch"]] * 2,
              "%s: one stored run %r with its epochs as regions" % (which, run["command"]))
    p = subprocess.run(["/usr/bin/python3", "-c", MIXIN], env=board.env(os.path.join(TMP, "m.db")),
                       capture_output=True, text=True, timeout=60)
    check(p.stdout.split() == ["True", "True", "base", "True", "None"],
          "an imported framework's base class is mixed in, else duck-typed: %r %s" % (p.stdout, p.stderr[-200:]))
finally:
    truth = board.stop()

finish("ok", truth)
