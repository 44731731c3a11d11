#!/usr/bin/python3
"""End to end with scikit-learn: train, register from the object, predict, canary, watch, promote, shadow, roll back.

Run against a local stack (the SDK finds the control plane in MM_CONTROL_PLANE, default http://127.0.0.1:8080, and
the token as mmctl does: MM_TOKEN, else ~/.modelmesh/admin-token):

    mmctl up --detach
    pip install ./sdk-python            # or PYTHONPATH=sdk-python/src
    /usr/bin/python3 examples/sklearn_end_to_end.py [--name fraud-detector]

The model is a fraud classifier on synthetic transactions. Version 1.0.0 is a random forest; 2.0.0, a bigger forest,
goes out as a canary and is promoted; 3.0.0, a logistic regression, runs as a shadow next to it; then the model is
rolled back to 1.0.0's revision. scikit-learn models are converted to PMML by the control plane and never executed
there; the served answers match scikit-learn's own to 1e-5 (printed below).
"""

import argparse
import sys
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from modelmesh import ModelMeshClient, ModelMeshException

FEATURES = ["amount", "merchant_risk", "hour", "distance_km", "card_age_days", "txn_last_24h"]


def training_data():
    x, y = make_classification(n_samples=600, n_features=len(FEATURES), n_informative=4, random_state=7)
    # The platform reads inputs as float32: train and compare on float32-exact values.
    x = x.astype(np.float32).astype(np.float64)
    labels = np.where(y == 1, "fraud", "ok")
    return x, labels


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
    args.add_argument("--name", default="fraud-detector", help="model name (default: fraud-detector)")
    name = args.parse_args(argv).name

    client = ModelMeshClient()
    if any(m["name"] == name for m in client.list_models(size=500)["items"]):
        raise SystemExit("a model named {} exists already: pass --name to use another".format(name))
    x, y = training_data()

    # 1. Train and register from the object: serialised with joblib in memory, deployed at once (first version).
    v1 = RandomForestClassifier(n_estimators=20, max_depth=5, random_state=1).fit(x, y)
    reg = client.register_model(name, model_object=v1, version="1.0.0", features=FEATURES,
                                metadata={"trained_on": "2026-Q1", "auc": 0.94})
    client.wait_ready(name)  # every node has loaded it
    served = reg["version"]["served"]
    print("registered {} {} ({} bytes, served as {} by {})".format(name, reg["version"]["version"],
                                                                  reg["version"]["size_bytes"], served["format"],
                                                                  served["converter"]))

    # 2. Predict: one row by feature name, then a batch; compare with scikit-learn in process.
    row = dict(zip(FEATURES, x[0]))
    answer = client.predict(name, inputs=row)
    print("predict {} -> {} {}".format(row, answer["outputs"]["label"], answer["outputs"]["probabilities"]))
    batch = client.predict_batch(name, x[:50])
    served_p = np.array([[p[c] for c in v1.classes_] for p in batch["outputs"]["probabilities"]])
    diff = float(np.abs(served_p - v1.predict_proba(x[:50])).max())
    print("batch of 50: labels agree with scikit-learn: {}, max |p - p_sklearn| = {:.2e}".format(
        list(batch["outputs"]["label"]) == list(v1.predict(x[:50])), diff))
    if diff > 1e-5:
        raise SystemExit("served probabilities differ from scikit-learn's by {}".format(diff))

    # 3. A bigger forest as a canary at 20 %, rolled back automatically past a 2 % error rate.
    v2 = RandomForestClassifier(n_estimators=40, max_depth=6, random_state=2).fit(x, y)
    client.register_model(name, model_object=v2, version="2.0.0", features=FEATURES, deploy=False)
    rollout = client.create_canary(name=name, candidate_version="2.0.0", initial_percentage=20,
                                   auto_rollback_threshold=0.02)
    client.wait_ready(name)
    print("canary {}: {} at {}% next to {}".format(rollout["id"], rollout["canary_version"], rollout["percent"],
                                                 rollout["stable_version"]))

    # 4. Watch it: send traffic from many users, then read what the nodes reported.
    for i in range(300):
        client.predict(name, inputs=x[i % len(x)], user_id="user-{}".format(i))

    def all_counted():
        stats = client.traffic(name)["versions"]
        return stats if sum(s["requests"] for s in stats) >= 300 else None
    for s in until("the nodes to report the 300 requests", all_counted):
        print("  {:<6} {:<7} weight {:>3}%  requests {:>4}  errors {}  p99 {} ms".format(
            s["version"], s["role"] or "-", s["weight"] or 0, s["requests"], s["errors"], s["p99_ms"]))
    print("  rollout state: {}".format(client.rollout_of(name)["state"]))

    # 5. Promote: 2.0.0 takes 100 %.
    promoted = client.promote_canary(name)
    print("promoted: {} is {}".format(promoted["canary_version"], promoted["state"]))

    # 6. A logistic regression as a shadow: users get 2.0.0's answers, 3.0.0's are compared with them.
    v3 = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(x, y)
    client.register_model(name, model_object=v3, version="3.0.0", features=FEATURES, deploy=False)
    client.create_shadow(name=name, production_version="2.0.0", shadow_version="3.0.0")
    client.wait_ready(name)
    for i in range(100):
        client.predict(name, inputs=x[i])

    def compared():
        try:
            report = client.shadow_report(name, samples=3)
        except ModelMeshException:
            return None
        return report if report["compared"] >= 100 else None
    report = until("the shadow comparisons", compared)
    print("shadow {} vs {}: {} compared, label agreement {:.0%}, mean |diff| {:.4f}".format(
        report["shadow_version"], report["primary_version"], report["compared"], report["label_agreement_rate"],
        report["mean_abs_diff"]))
    client.stop_shadow(name)

    # 7. Roll back to the revision that first served 1.0.0, and read the history.
    first = min(client.history(name), key=lambda rev: rev["id"])
    back = client.rollback(name, to_revision=first["id"])
    print("rolled back: revision {} ({})".format(back["id"], back["change"]))
    client.wait_ready(name)
    check = client.predict(name, inputs=x[0])
    print("now served by {}".format(check["model_version"]))
    for rev in client.history(name):
        print("  revision {:>2}  {:<20} {}".format(rev["id"], rev["created_by"], rev["change"]))
    if check["model_version"] != "1.0.0":
        raise SystemExit("expected 1.0.0 after the rollback, got " + check["model_version"])


if __name__ == "__main__":
    main(sys.argv[1:])
