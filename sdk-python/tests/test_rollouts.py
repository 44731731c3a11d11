"""Deployments and rollouts against the real stack: deploy, canary (promote, roll back), shadow, A/B, chaos,
manifests, history and rollback, undeploy; each refusal mapped to its exception."""

import textwrap

import numpy as np
import pytest

from conftest import FIXTURES, IRIS_FEATURES, iris_data, unique, wait_until
from modelmesh import (Conflict, InvalidInput, ModelMeshClient, ModelMeshException, NotFound, RetryPolicy,
                       Unauthorized)
from test_frameworks import onnx_softmax_regression


@pytest.fixture(scope="module")
def model(client):
    """Three ONNX versions of one model: 1.0.0 live, 2.0.0 and 3.0.0 registered only."""
    name = unique("rollouts")
    client.register_model(name, path=FIXTURES / "iris.onnx", version="1.0.0", features=IRIS_FEATURES)
    rng = np.random.default_rng(11)
    for version in ("2.0.0", "3.0.0"):
        proto = onnx_softmax_regression(rng.normal(size=(4, 3)).astype(np.float32),
                                        rng.normal(size=3).astype(np.float32))
        client.register_model(name, model_object=proto, version=version, features=IRIS_FEATURES, deploy=False)
    client.wait_ready(name)
    return name


def targets(status):
    return {t["version"]: (t["role"], t["weight"]) for t in status["route"]["targets"]}


def served_versions(client, name, users=40):
    x = iris_data()[0]
    return {client.predict(name, inputs=x[i], user_id="user-{}".format(i))["model_version"] for i in range(users)}


def test_deploy_with_serving_settings_then_read_deployment_and_history(client, model):
    status = client.deploy(model, "1.0.0", max_batch_size=8, max_latency_ms=2, cache_ttl_seconds=30,
                           max_concurrency=4, max_queue=64, timeout_ms=2000)
    assert status["route"]["policy"]["max_batch_size"] == 8
    assert status["route"]["policy"]["cache_ttl_seconds"] == 30
    assert status["nodes_total"] >= 1
    current = client.deployment(model)
    assert current["id"] == status["id"] and targets(current) == {"1.0.0": ("STABLE", 100)}
    history = client.history(model)
    assert history[0]["id"] == status["id"] and history == sorted(history, key=lambda r: -r["id"])
    with pytest.raises(InvalidInput, match="max_batch_size|batch"):
        client.deploy(model, "1.0.0", max_batch_size=5000)
    with pytest.raises(NotFound):
        client.deploy(model, "9.9.9")


def test_canary_is_watched_promoted_and_rolled_back(client, model):
    client.deploy(model, "1.0.0", max_batch_size=1, cache_ttl_seconds=0)
    rollout = client.create_canary(name=model, candidate_version="2.0.0", initial_percentage=50,
                                   auto_rollback_threshold=0.5, min_requests=5, window_seconds=10)
    assert (rollout["state"], rollout["percent"], rollout["canary_version"]) == ("RUNNING", 50, "2.0.0")
    assert rollout["analysis"]["max_error_rate"] == 0.5
    assert client.rollout(rollout["id"])["id"] == rollout["id"] == client.rollout_of(model)["id"]
    client.wait_ready(model)
    assert served_versions(client, model) == {"1.0.0", "2.0.0"}

    def both_counted():
        counted = [s for s in client.traffic(model)["versions"] if s["requests"] > 0]
        return counted if len(counted) == 2 else None
    stats = wait_until("both versions in the traffic statistics", both_counted)
    assert {s["role"] for s in stats} == {"STABLE", "CANARY"}

    promoted = client.promote_canary(model)
    assert promoted["state"] == "PROMOTED"
    assert targets(client.deployment(model)) == {"2.0.0": ("STABLE", 100)}
    with pytest.raises(NotFound):
        client.promote(model)  # no running canary any more

    first = min(client.history(model), key=lambda r: r["id"])
    back = client.rollback(model, to_revision=first["id"])
    assert targets(back) == {"1.0.0": ("STABLE", 100)}

    again = client.canary(model, "2.0.0", initial_percentage=10, steps=None)
    assert client.rollback_rollout(again["id"])["state"] == "ROLLED_BACK"
    third = client.create_canary(model, "2.0.0", steps=[10, 50, 100], step_interval_seconds=60)
    assert third["steps"] == [10, 50, 100] and third["percent"] == 10
    assert client.promote_rollout(third["id"])["state"] == "PROMOTED"
    with pytest.raises(Conflict):
        client.rollback_rollout(third["id"])  # not RUNNING
    client.deploy(model, "1.0.0")
    canary = client.create_canary(model, "3.0.0", initial_percentage=20)
    assert client.rollback(model)["change"].startswith("rollback")  # rolls back the running canary
    assert client.rollout(canary["id"])["state"] == "ROLLED_BACK"


def test_shadow_is_compared_and_stopped(client, model):
    client.deploy(model, "1.0.0")
    with pytest.raises(Conflict, match="serves version 1.0.0, not 2.0.0"):
        client.create_shadow(model, production_version="2.0.0", shadow_version="3.0.0")
    status = client.create_shadow(name=model, production_version="1.0.0", shadow_version="3.0.0")
    assert targets(status)["3.0.0"][0] == "SHADOW"
    client.wait_ready(model)
    x = iris_data()[0]
    for i in range(20):
        assert client.predict(model, inputs=x[i])["model_version"] == "1.0.0"  # users get the stable answer

    def compared():
        try:
            report = client.shadow_report(model, samples=5)
        except NotFound:
            return None
        return report if report["compared"] >= 20 else None
    report = wait_until("20 shadow comparisons", compared)
    assert (report["shadow_version"], report["primary_version"], report["active"]) == ("3.0.0", "1.0.0", True)
    assert report["mean_abs_diff"] > 0 and 1 <= len(report["samples"]) <= 5

    stopped = client.stop_shadow(model)
    assert targets(stopped) == {"1.0.0": ("STABLE", 100)}
    with pytest.raises(Conflict):
        client.stop_shadow(model)
    half = client.shadow(model, "2.0.0", percent=50)  # the Java SDK's call
    assert targets(half)["2.0.0"] == ("SHADOW", 50)
    client.stop_shadow(model)


def test_ab_keeps_each_user_on_one_arm(client, model):
    status = client.create_ab(model, {"1.0.0": 50, "2.0.0": 50})
    assert targets(status) == {"1.0.0": ("ARM", 50), "2.0.0": ("ARM", 50)}
    client.wait_ready(model)
    x = iris_data()[0]
    for user in ("alice", "bob", "carol"):
        assert len({client.predict(model, inputs=x[0], user_id=user)["model_version"] for _ in range(5)}) == 1
    assert served_versions(client, model) == {"1.0.0", "2.0.0"}

    client.ab(model, [("1.0.0", 70), ("3.0.0", 30)], sticky_key="X-Customer")
    client.wait_ready(model)
    seen = {client.predict(model, inputs=x[0], headers={"X-Customer": "c-7"})["model_version"] for _ in range(5)}
    assert len(seen) == 1
    with pytest.raises(InvalidInput, match="100"):
        client.create_ab(model, {"1.0.0": 60, "2.0.0": 60})
    client.deploy(model, "1.0.0")


def test_chaos_needs_admin_and_its_fault_is_a_server_error(client, model, stack):
    client.deploy(model, "1.0.0")
    deployer = client.create_token(unique("deployer"), ["deploy"])["token"]
    with pytest.raises(Unauthorized) as e:
        client.with_token(deployer).chaos(model, "1.0.0", error_rate=1.0)
    assert e.value.status == 403 and "admin" in e.value.message

    client.chaos(model, "1.0.0", error_rate=1.0, duration_seconds=60)
    client.wait_ready(model)
    with pytest.raises(ModelMeshException) as fault:
        client.predict(model, inputs=iris_data()[0][0])
    assert (fault.value.status, fault.value.error, type(fault.value)) == (500, "injected_fault", ModelMeshException)
    client.chaos(model, "1.0.0", clear=True)
    client.wait_ready(model)
    assert client.predict(model, inputs=iris_data()[0][0])["model_version"] == "1.0.0"


def test_manifests_are_diffed_applied_and_validated(client, model, tmp_path):
    client.deploy(model, "1.0.0")
    manifest = tmp_path / "m" / "model.yaml"
    manifest.parent.mkdir()
    manifest.write_text(textwrap.dedent("""\
        apiVersion: modelmesh.io/v1
        kind: ModelDeployment
        metadata:
          name: {}
        spec:
          strategy: full
          stable: 2.0.0
        """).format(model))
    diff = client.diff(manifest)
    assert diff["dry_run"] is True and diff["changes"][0]["action"] == "configured"
    assert targets(client.deployment(model)) == {"1.0.0": ("STABLE", 100)}  # nothing written

    applied = client.apply([manifest.parent])  # a directory: its *.yaml files
    assert applied["changes"][0]["action"] == "configured" and applied["changes"][0]["model"] == model
    assert targets(client.deployment(model)) == {"2.0.0": ("STABLE", 100)}
    assert client.apply(str(manifest))["changes"][0]["action"] == "unchanged"

    bad = tmp_path / "bad.yaml"
    bad.write_text(manifest.read_text().replace("stable: 2.0.0", "stable: 7.7.7"))
    with pytest.raises(InvalidInput) as e:
        client.apply(bad)
    assert e.value.error == "invalid_manifest"
    assert e.value.details and e.value.details[0]["file"] == str(bad) and e.value.details[0]["line"] > 0
    with pytest.raises(InvalidInput, match="no such manifest"):
        client.apply(tmp_path / "missing.yaml")
    client.deploy(model, "1.0.0")


def test_undeploy_takes_the_model_off_and_rollback_needs_an_earlier_revision(client):
    name = unique("undeploy")
    client.register_model(name, path=FIXTURES / "iris.onnx", features=IRIS_FEATURES)
    with pytest.raises(Conflict):
        client.rollback(name)  # no earlier revision
    with pytest.raises(NotFound):
        client.promote_canary(name)
    client.wait_ready(name)
    client.undeploy(name)
    client.wait_ready(name)
    with pytest.raises(NotFound):
        client.predict(name, inputs=[1, 2, 3, 4])
    with pytest.raises(Conflict):
        client.undeploy(name)
    with pytest.raises(NotFound):
        client.deployment("no-such-model")


def test_a_client_with_retries_off_still_works(stack, model):
    client = ModelMeshClient(stack.control_plane, retry_policy=RetryPolicy.none())
    assert client.get_model(model)["name"] == model


def test_aliases_stages_dry_runs_previews_and_rollout_controls(client, model):
    client.deploy(model, "1.0.0")
    assert client.set_alias(model, "@champion", "1.0.0")["version"] == "1.0.0"
    assert client.set_alias(model, "challenger", "2.0.0")["alias"] == "challenger"
    assert {a["alias"]: a["version"] for a in client.aliases(model)} == {"champion": "1.0.0", "challenger": "2.0.0"}
    assert any(a["model"] == model and a["alias"] == "champion" for a in client.aliases())

    planned = client.deploy(model, "@challenger", dry_run=True)
    assert targets(planned) == {"2.0.0": ("STABLE", 100)}
    assert targets(client.deployment(model)) == {"1.0.0": ("STABLE", 100)}, "a dry run changes nothing"

    row = iris_data()[0][0]
    assert client.preview(model, row, version="@challenger")["model_version"] == "2.0.0"  # no route sends it traffic
    with pytest.raises(ValueError):
        client.preview(model, row, version="")

    assert client.set_stage(model, "@challenger", "production")["stage"] == "production"
    with pytest.raises(InvalidInput):
        client.set_stage(model, "2.0.0", "retired")

    client.create_canary(model, "2.0.0", steps=[10, 50, 100], step_interval_seconds=60)
    paused = client.pause_rollout(model)
    assert paused["state"] == "RUNNING" and paused["paused_at"] is not None
    assert client.resume_rollout(model).get("paused_at") is None
    assert client.abort_rollout(model)["state"] == "ABORTED"
    retried = client.retry_rollout(model)
    assert (retried["state"], retried["percent"]) == ("RUNNING", 10)
    assert client.rollback_rollout(retried["id"])["state"] == "ROLLED_BACK"

    assert client.delete_alias(model, "@challenger")["version"] == "2.0.0"
    assert client.delete_alias(model, "challenger") is None  # idempotent
