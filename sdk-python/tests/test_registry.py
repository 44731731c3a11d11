"""Registry calls against the real stack: register from a file (streamed) and from bytes, list, versions, delete,
and the errors each refusal maps to."""

import json

import pytest

from conftest import FIXTURES, IRIS_FEATURES, unique
from modelmesh import (Conflict, ConflictException, InvalidInput, InvalidRequestException, NotFound,
                       NotFoundException, PayloadTooLarge)


def test_register_from_a_file_streams_it_and_reports_progress(client):
    name = unique("iris-onnx")
    path = FIXTURES / "iris.onnx"
    seen = []
    res = client.register_model(name, path=path, features=IRIS_FEATURES, metadata={"auc": 0.94, "team": "risk"},
                                progress=seen.append)
    assert res["created"] is True
    v = res["version"]
    assert (v["model"], v["version"], v["framework"]) == (name, "1.0.0", "onnx")
    assert v["size_bytes"] == path.stat().st_size
    assert v["metadata"] == {"auc": "0.94", "team": "risk"}
    assert v["schema"]["features"] == IRIS_FEATURES
    assert res["deployment"]["change"] == "deploy 1.0.0 at 100%"
    assert seen and seen[-1] == path.stat().st_size and seen == sorted(seen)

    again = client.register_model(name, path=path, version="1.0.0", features=IRIS_FEATURES,
                                  metadata={"auc": 0.94, "team": "risk"})
    assert again["created"] is False  # same name, version and bytes: an idempotent retry


def test_list_get_versions_and_one_version(client):
    name = unique("iris-pmml")
    client.register_model(name, path=FIXTURES / "iris_rf.pkl")
    client.register_model(name, model_object=(FIXTURES / "iris_rf.joblib").read_bytes(), framework="sklearn",
                          version="1.1.0", deploy=False)

    summary = client.get_model(name)
    assert summary == client.model(name)  # the Java SDK's name
    assert (summary["latest_version"], summary["live_version"], summary["versions"]) == ("1.1.0", "1.0.0", 2)
    assert [v["version"] for v in client.versions(name)] == ["1.0.0", "1.1.0"]
    one = client.version(name, "1.1.0")
    assert one["served"]["format"] == "pmml" and one["parent"] == "1.0.0"

    page = client.list_models(size=500, framework="sklearn")
    assert name in [m["name"] for m in page["items"]]
    assert all(m["framework"] == "sklearn" for m in page["items"])
    assert name not in [m["name"] for m in client.list_models(size=500, framework="onnx")["items"]]


def test_delete_a_version_then_the_model(client):
    name = unique("deleted")
    client.register_model(name, path=FIXTURES / "iris.onnx")
    client.register_model(name, path=FIXTURES / "iris.pt", version="2.0.0", deploy=False)

    with pytest.raises(ConflictException) as serving:
        client.delete(name, "1.0.0")
    assert serving.value.status == 409 and "1.0.0" in serving.value.message

    gone = client.delete(name, "2.0.0")
    assert gone["model_gone"] is False and gone["versions"] == ["2.0.0"]
    client.undeploy(name)
    whole = client.delete(name)
    assert whole["model_gone"] is True
    with pytest.raises(NotFound):
        client.get_model(name)


def test_the_same_version_with_other_bytes_is_a_conflict(client):
    name = unique("conflict")
    client.register_model(name, path=FIXTURES / "iris_rf.joblib", version="1.0.0")
    with pytest.raises(Conflict) as e:
        client.register_model(name, path=FIXTURES / "iris_logreg.joblib", version="1.0.0")
    assert e.value.error == "conflict" and e.value.request_id is None or isinstance(e.value.request_id, str)


@pytest.mark.parametrize("fixture", ["corrupt.onnx", "evil.pkl", "unknown_class.pkl"])
def test_files_that_are_not_valid_models_are_invalid_input(client, fixture):
    with pytest.raises(InvalidInput) as e:
        client.register_model(unique("bad"), path=FIXTURES / fixture)
    assert e.value.status in (400, 422)
    assert isinstance(e.value, InvalidRequestException)


def test_unknown_models_are_not_found(client):
    for call in (lambda: client.get_model("no-such-model"), lambda: client.versions("no-such-model"),
                 lambda: client.version("no-such-model", "1.0.0"), lambda: client.delete("no-such-model")):
        with pytest.raises(NotFoundException) as e:
            call()
        assert e.value.status == 404 and e.value.error == "not_found"


def test_an_artifact_over_the_upload_limit_is_payload_too_large_however_far_over(client, tmp_path):
    # The session's stack accepts 16 MiB (conftest). 20 MiB is refused part-way: the control plane reads the rest,
    # then answers. 40 MiB is refused from its Content-Length before a byte is read, and the connection closed under
    # the upload: the SDK reads the answer its broken write left on the socket instead of reporting the broken write.
    for mib in (20, 40):
        path = tmp_path / "big-{}.onnx".format(mib)
        with open(path, "wb") as f:
            f.truncate(mib << 20)
        name = unique("too-big")
        with pytest.raises(PayloadTooLarge) as e:
            client.register_model(name, path=path)
        assert e.value.status == 413, e.value
        assert "--max-upload-bytes" in str(e.value), e.value
        with pytest.raises(NotFoundException):
            client.versions(name)  # nothing registered


def test_a_missing_file_is_invalid_input_before_anything_is_sent(client, tmp_path):
    with pytest.raises(InvalidInput, match="cannot read the model file"):
        client.register_model(unique("missing"), path=tmp_path / "nope.onnx")
    with pytest.raises(ValueError, match="exactly one"):
        client.register_model(unique("neither"))


def test_a_drift_reference_from_rows_or_a_file_is_stored_and_checked(client, tmp_path):
    import numpy as np

    rows = np.random.default_rng(0).uniform(0, 5, size=(600, 4)).astype(np.float32)
    name = unique("with-reference")
    client.register_model(name, path=FIXTURES / "iris.onnx", features=IRIS_FEATURES, reference=rows)
    drift = client.drift(name)
    assert drift["versions"][0]["reference_source"] == "file"
    assert drift["versions"][0]["reference_rows"] == 600

    as_file = tmp_path / "reference.json"
    as_file.write_text(json.dumps([dict(zip(IRIS_FEATURES, r)) for r in rows.tolist()]))
    client.register_model(name, path=FIXTURES / "iris.pt", version="2.0.0", features=IRIS_FEATURES,
                          reference=as_file, deploy=False)

    with pytest.raises(InvalidInput, match="(?i)row|feature"):
        client.register_model(unique("bad-reference"), path=FIXTURES / "iris.onnx", features=IRIS_FEATURES,
                              reference=rows[:, :3])
