"""model_object for each framework: what the platform serves equals what the object computes in this process, to
1e-5, on every iris row."""

import io

import numpy as np
import pytest

from conftest import IRIS_FEATURES, iris_data, unique
from modelmesh.serialize import detect, serialize

TOLERANCE = 1e-5


def served_probabilities(batch, classes):
    return np.array([[row[str(c)] for c in classes] for row in batch["outputs"]["probabilities"]])


def test_a_random_forest_serves_what_scikit_learn_predicts(client, iris_rf):
    model, x = iris_rf["model"], iris_rf["x"]
    assert iris_rf["registration"]["version"]["served"]["format"] == "pmml"
    batch = client.predict_batch(iris_rf["name"], x)
    assert batch["outputs"]["label"] == list(model.predict(x))
    np.testing.assert_allclose(served_probabilities(batch, model.classes_), model.predict_proba(x),
                               atol=TOLERANCE, rtol=0)


def test_a_pipeline_fitted_on_an_array_serves_what_scikit_learn_predicts(client):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = iris_data()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(x, y)
    name = unique("iris-pipeline")
    reg = client.register_model(name, model_object=model, features=IRIS_FEATURES)
    client.wait_ready(name)
    assert reg["version"]["framework"] == "sklearn"
    assert reg["version"]["schema"]["features"] == IRIS_FEATURES  # renamed from x1..x4
    batch = client.predict_batch(name, x)
    assert batch["outputs"]["label"] == list(model.predict(x))
    np.testing.assert_allclose(served_probabilities(batch, model.classes_), model.predict_proba(x),
                               atol=TOLERANCE, rtol=0)


class DictNet:
    """Built lazily so that importing this module does not need torch."""

    @staticmethod
    def make():
        import torch
        from typing import Dict

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.body = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Dropout(0.5),
                                                torch.nn.Linear(16, 3))

            def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
                logits = self.body(x)
                return {"logits": logits, "probabilities": torch.softmax(logits, dim=1)}

        torch.manual_seed(0)
        return Net()


def test_a_scripted_module_serves_what_it_computes_in_eval_mode(client):
    import torch

    net = DictNet.make()
    net.train()  # a module left in training mode: served in eval mode, and given back as it was
    name = unique("torch-scripted")
    reg = client.register_model(name, model_object=net, features=IRIS_FEATURES)
    client.wait_ready(name)
    assert net.training is True
    assert reg["version"]["framework"] == "torchscript"
    assert [o["name"] for o in reg["version"]["schema"]["outputs"]] == ["logits", "probabilities"]

    x = iris_data()[0].astype(np.float32)
    net.eval()
    with torch.no_grad():
        local = net(torch.from_numpy(x))
    batch = client.predict_batch(name, x)
    for output in ("logits", "probabilities"):
        np.testing.assert_allclose(np.array(batch["outputs"][output]), local[output].numpy(), atol=TOLERANCE, rtol=0)


def test_a_traced_module_serves_what_it_computes(client):
    import torch

    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    x = iris_data()[0].astype(np.float32)
    name = unique("torch-traced")
    client.register_model(name, model_object=net, example_input=x[:4])
    client.wait_ready(name)
    with torch.no_grad():
        local = net(torch.from_numpy(x)).numpy()
    one = client.predict(name, x[0])
    np.testing.assert_allclose(np.array(one["outputs"]["output"]), local[0], atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(np.array(client.predict_batch(name, x)["outputs"]["output"]), local,
                               atol=TOLERANCE, rtol=0)


def onnx_softmax_regression(weights, bias):
    """An ONNX graph input [N, 4] -> MatMul, Add -> logits, Softmax -> probabilities, built with onnx.helper."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph(
        [helper.make_node("MatMul", ["input", "W"], ["z"]), helper.make_node("Add", ["z", "B"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)],
        "softmax_regression",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def test_an_onnx_model_proto_serves_what_its_graph_computes(client):
    rng = np.random.default_rng(3)
    weights = rng.normal(size=(4, 3)).astype(np.float32)
    bias = rng.normal(size=3).astype(np.float32)
    model = onnx_softmax_regression(weights, bias)
    name = unique("onnx-proto")
    reg = client.register_model(name, model_object=model, features=IRIS_FEATURES)
    client.wait_ready(name)
    assert reg["version"]["framework"] == "onnx"

    x = iris_data()[0].astype(np.float32)
    logits = x @ weights + bias
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    batch = client.predict_batch(name, x)
    np.testing.assert_allclose(np.array(batch["outputs"]["logits"]), logits, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(np.array(batch["outputs"]["probabilities"]), e / e.sum(axis=1, keepdims=True),
                               atol=TOLERANCE, rtol=0)


def test_serialisation_refuses_what_it_cannot_send():
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ValueError, match="not fitted"):
        serialize(LogisticRegression())
    with pytest.raises(TypeError, match="model_object takes"):
        serialize(object())
    with pytest.raises(TypeError, match="model_object takes"):
        serialize("model.onnx")  # a path belongs in path=
    with pytest.raises(ValueError, match="unknown framework 'tensorflow'"):
        serialize(b"x", framework="tensorflow")
    x, y = iris_data()
    with pytest.raises(ValueError, match="framework 'onnx' was given for a sklearn object"):
        serialize(LogisticRegression(max_iter=500).fit(x, y), framework="onnx")
    with pytest.raises(ValueError, match="example_input"):
        serialize(LogisticRegression(max_iter=500).fit(x, y), example_input=x[:2])


def test_a_module_torchscript_cannot_compile_asks_for_an_example_input():
    import torch

    class Untypable(torch.nn.Module):
        def forward(self, x):
            return x.numpy()  # not TorchScript

    with pytest.raises(ValueError, match="example_input"):
        serialize(Untypable())


def test_frameworks_are_detected_from_the_object_and_bytes_pass_through():
    import torch

    assert detect(torch.nn.Linear(2, 2)) == "torchscript"
    assert detect(onnx_softmax_regression(np.zeros((4, 3), np.float32), np.zeros(3, np.float32))) == "onnx"
    assert detect(object()) is None
    data, framework, filename = serialize(b"<PMML/>", framework="PMML")
    assert (data, framework, filename) == (b"<PMML/>", "pmml", "model.pmml")
    data, framework, filename = serialize(bytearray(b"\x80\x04"))
    assert (framework, filename) == (None, "model.bin")
    scripted = torch.jit.script(torch.nn.Linear(4, 2))
    data, framework, _ = serialize(scripted, framework="pytorch")
    assert framework == "torchscript" and torch.jit.load(io.BytesIO(data)) is not None
