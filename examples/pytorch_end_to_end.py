#!/usr/bin/python3
"""End to end with PyTorch: train, register from the module, predict, canary rolled back automatically, canary
promoted, shadow, roll back.

Run against a local stack (the SDK finds the control plane in MM_CONTROL_PLANE, default http://127.0.0.1:8080, and
the token as mmctl does: MM_TOKEN, else ~/.modelmesh/admin-token; the fault drill below needs the admin token that
`mmctl up` writes):

    mmctl up --detach
    pip install ./sdk-python            # or PYTHONPATH=sdk-python/src
    /usr/bin/python3 examples/pytorch_end_to_end.py [--name iris-torch]

An MLP classifies scikit-learn's bundled iris flowers. Version 1.0.0 is compiled with torch.jit.script; 2.0.0 is
traced with an example batch and goes out as a canary while a fault drill makes half its requests fail, so the
platform rolls it back on its own; a second canary of 2.0.0 is promoted; 3.0.0 runs as a shadow; then rollback takes
the model back one revision, and then to the revision that first served 1.0.0.
"""

import argparse
import sys
import time
from typing import Dict

import numpy as np
import torch
from sklearn.datasets import load_iris

from modelmesh import ModelMeshClient, ModelMeshException

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


class IrisNet(torch.nn.Module):
    """4 -> hidden -> 3; returns named outputs, which the platform serves under the same names."""

    def __init__(self, hidden: int):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(4, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 3))

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        logits = self.body(x)
        return {"logits": logits, "probabilities": torch.softmax(logits, dim=1)}


def train(hidden: int, epochs: int, seed: int) -> IrisNet:
    torch.manual_seed(seed)
    x, y = load_iris(return_X_y=True)
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y)
    net = IrisNet(hidden)
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    for _ in range(epochs):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(xt)["logits"], yt).backward()
        opt.step()
    return net.eval()


def until(what, check, timeout=30.0, every=0.2):
    """Polls ``check`` until it returns something truthy, or fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit("gave up waiting for " + what)
        time.sleep(every)


def main(argv):
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--name", default="iris-torch", help="model name (default: iris-torch)")
    name = args.parse_args(argv).name

    client = ModelMeshClient()
    if any(m["name"] == name for m in client.list_models(size=500)["items"]):
        raise SystemExit("a model named {} exists already: pass --name to use another".format(name))
    x = load_iris(return_X_y=True)[0].astype(np.float32)

    # 1. Register from the module: scripted to TorchScript in memory, deployed at once.
    v1 = train(hidden=8, epochs=60, seed=1)
    reg = client.register_model(name, model_object=v1, version="1.0.0", features=FEATURES,
                                metadata={"epochs": 60, "hidden": 8})
    client.wait_ready(name)  # every node has loaded it
    print("registered {} {} as {} ({} bytes)".format(name, reg["version"]["version"], reg["version"]["framework"],
                                                     reg["version"]["size_bytes"]))

    # 2. Predict and compare with the module in process.
    answer = client.predict(name, inputs=dict(zip(FEATURES, x[100].tolist())))
    print("predict {} -> probabilities {}".format(x[100].tolist(), answer["outputs"]["probabilities"]))
    batch = client.predict_batch(name, x)
    with torch.no_grad():
        local = v1(torch.from_numpy(x))["probabilities"].numpy()
    diff = float(np.abs(np.array(batch["outputs"]["probabilities"]) - local).max())
    print("all 150 rows: max |p - p_torch| = {:.2e}".format(diff))
    if diff > 1e-5:
        raise SystemExit("served probabilities differ from PyTorch's by {}".format(diff))

    # 3. 2.0.0, traced with an example batch, as a canary; a fault drill fails half of its requests.
    v2 = train(hidden=16, epochs=100, seed=2)
    client.register_model(name, model_object=v2, version="2.0.0", features=FEATURES, deploy=False,
                          example_input=x[:8])
    rollout = client.create_canary(name, "2.0.0", initial_percentage=30, auto_rollback_threshold=0.05,
                                   min_requests=20, window_seconds=10)
    client.chaos(name, "2.0.0", error_rate=0.5, duration_seconds=60)
    client.wait_ready(name)
    print("canary {} of 2.0.0 at 30%, with half of its requests failing".format(rollout["id"]))

    # 4. Watch it roll itself back: keep sending traffic until the analysis acts.
    failures = [0]

    def rolled_back():
        for i in range(50):
            try:
                client.predict(name, inputs=x[i % len(x)])
            except ModelMeshException as e:  # the drill's 500 injected_fault
                failures[0] += 1
        state = client.rollout(rollout["id"])
        return state if state["state"] != "RUNNING" else None
    state = until("the canary to be rolled back", rolled_back)
    print("  {} after {} failed requests: {}".format(state["state"], failures[0], state["reason"]))
    # The fault went with the canary: it lives in the route, which no longer has 2.0.0.

    # 5. A second canary of 2.0.0, healthy this time, promoted by hand.
    client.create_canary(name, "2.0.0", initial_percentage=50)
    client.wait_ready(name)
    for i in range(40):
        client.predict(name, inputs=x[i])
    print("promoted: {}".format(client.promote_canary(name)["state"]))

    # 6. 3.0.0 as a shadow next to 2.0.0.
    v3 = train(hidden=32, epochs=150, seed=3)
    client.register_model(name, model_object=v3, version="3.0.0", features=FEATURES, deploy=False)
    client.create_shadow(name, production_version="2.0.0", shadow_version="3.0.0")
    client.wait_ready(name)
    for i in range(60):
        client.predict(name, inputs=x[i])

    def compared():
        try:
            report = client.shadow_report(name, samples=2)
        except ModelMeshException:
            return None
        return report if report["compared"] >= 60 else None
    report = until("the shadow comparisons", compared)
    print("shadow 3.0.0 vs 2.0.0: {} compared, mean |diff| {:.4f}, max |diff| {:.4f}".format(
        report["compared"], report["mean_abs_diff"], report["max_abs_diff"]))

    # 7. Roll back: one revision (the shadow goes, 2.0.0 serves alone), then to the revision that served 1.0.0.
    print("rollback -> {}".format(client.rollback(name)["change"]))
    first = min(client.history(name), key=lambda rev: rev["id"])
    print("rollback -> {}".format(client.rollback(name, to_revision=first["id"])["change"]))
    client.wait_ready(name)
    served_by = client.predict(name, inputs=x[0])["model_version"]
    print("now served by {}".format(served_by))
    for rev in client.history(name):
        print("  revision {:>2}  {}".format(rev["id"], rev["change"]))
    if served_by != "1.0.0":
        raise SystemExit("expected 1.0.0 after the rollback, got " + served_by)

if __name__ == "__main__":
    main(sys.argv[1:])
