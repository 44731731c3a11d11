"""Predictions through the data plane: every input shape predict takes, batches, OIP v2, and the errors."""

import numpy as np
import pytest

from conftest import IRIS_FEATURES
from modelmesh import InvalidInput, ModelMeshClient, NotFound, UnavailableException


def expected(iris_rf, rows):
    model = iris_rf["model"]
    return list(model.predict(rows)), model.predict_proba(rows)


def assert_row(iris_rf, answer, row):
    labels, probabilities = expected(iris_rf, np.array([row]))
    assert answer["model"] == iris_rf["name"] and answer["model_version"] == "1.0.0"
    assert answer["outputs"]["label"] == labels[0]
    served = [answer["outputs"]["probabilities"][c] for c in iris_rf["model"].classes_]
    np.testing.assert_allclose(served, probabilities[0], atol=1e-5, rtol=0)


def test_predict_takes_a_list_a_dict_a_numpy_row_and_a_one_row_array(client, iris_rf):
    x = iris_rf["x"]
    name = iris_rf["name"]
    assert_row(iris_rf, client.predict(name, inputs=x[3].tolist()), x[3])
    assert_row(iris_rf, client.predict(name, inputs=dict(zip(IRIS_FEATURES, x[60]))), x[60])
    assert_row(iris_rf, client.predict(name, inputs=x[120]), x[120])
    assert_row(iris_rf, client.predict(name, inputs=x[121:122]), x[121])
    assert_row(iris_rf, client.predict(name, inputs=tuple(x[7]), version="1.0.0", user_id="u-1"), x[7])
    answer = client.predict(name, inputs=x[9], headers={"X-Request-ID": "req-42"})
    assert answer["request_id"] == "req-42" and answer["cached"] is False


def test_predict_batch_takes_rows_as_lists_dicts_or_an_array(client, iris_rf):
    x = iris_rf["x"][::10]
    labels, probabilities = expected(iris_rf, x)
    for instances in (x, x.tolist(), [dict(zip(IRIS_FEATURES, r)) for r in x.tolist()]):
        batch = client.predict_batch(iris_rf["name"], instances)
        assert batch["outputs"]["label"] == labels
        served = [[p[c] for c in iris_rf["model"].classes_] for p in batch["outputs"]["probabilities"]]
        np.testing.assert_allclose(served, probabilities, atol=1e-5, rtol=0)


def test_infer_speaks_open_inference_protocol_v2(client, iris_rf):
    x = iris_rf["x"][:5]
    labels, probabilities = expected(iris_rf, x)
    for inputs in (x, {f: x[:, i] for i, f in enumerate(IRIS_FEATURES)},
                   [{"name": "input", "shape": [5, 4], "datatype": "FP32", "data": x.ravel().tolist()}]):
        answer = client.infer(iris_rf["name"], inputs)
        outputs = {o["name"]: o for o in answer["outputs"]}
        assert answer["model_name"] == iris_rf["name"] and answer["model_version"] == "1.0.0"
        assert outputs["label"]["data"] == labels
        np.testing.assert_allclose(np.array(outputs["probabilities"]["data"]).reshape(5, 3), probabilities,
                                   atol=1e-5, rtol=0)
    only = client.infer(iris_rf["name"], x, version="1.0.0", outputs=["label"])
    assert [o["name"] for o in only["outputs"]] == ["label"]

    meta = client.model_metadata(iris_rf["name"])
    assert meta["parameters"]["features"] == IRIS_FEATURES
    assert meta["outputs"][1]["parameters"]["labels"] == list(iris_rf["model"].classes_)
    assert client.model_metadata(iris_rf["name"], "1.0.0")["name"] == iris_rf["name"]


def test_bad_inputs_are_refused_with_what_to_send(client, iris_rf):
    name = iris_rf["name"]
    with pytest.raises(InvalidInput, match="missing feature"):
        client.predict(name, inputs={"sepal_length": 1.0})
    with pytest.raises(InvalidInput) as e:
        client.predict(name, inputs=[1.0, 2.0])
    assert e.value.status == 400 and e.value.error == "invalid_input"
    with pytest.raises(InvalidInput):
        client.infer(name, [[1.0, 2.0]])
    with pytest.raises(ValueError, match="finite"):
        client.predict(name, inputs=[float("nan"), 1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="predict_batch"):
        client.predict(name, inputs=iris_rf["x"][:2])
    with pytest.raises(ValueError, match="not a row"):
        client.predict_batch(name, [1.0, 2.0])


def test_unknown_models_and_versions_are_not_found(client, iris_rf):
    with pytest.raises(NotFound) as e:
        client.predict("no-such-model", inputs=[1, 2, 3, 4])
    assert e.value.status == 404 and "not deployed" in e.value.message
    with pytest.raises(NotFound):
        client.predict(iris_rf["name"], inputs=[1, 2, 3, 4], version="9.9.9")
    with pytest.raises(NotFound) as oip:  # the OIP error shape: {"error": message, "code", "status"}
        client.infer("no-such-model", [[1, 2, 3, 4]])
    assert oip.value.error == "not_found" and "not deployed" in oip.value.message


def test_configured_data_planes_are_used_and_an_unreachable_one_is_unavailable(stack, iris_rf):
    from conftest import free_port

    direct = ModelMeshClient(stack.control_plane, data_plane=stack.node + "/")
    assert direct.data_planes() == [stack.node]
    assert direct.predict(iris_rf["name"], inputs=iris_rf["x"][0])["model_version"] == "1.0.0"
    discovered = ModelMeshClient(stack.control_plane)
    assert discovered.data_planes() == [stack.node]

    nowhere = ModelMeshClient(stack.control_plane, data_plane="http://127.0.0.1:{}".format(free_port()))
    with pytest.raises(UnavailableException) as e:
        nowhere.predict(iris_rf["name"], inputs=iris_rf["x"][0])
    assert e.value.status == 503 and "cannot reach" in e.value.message and "mmctl up" in e.value.message
