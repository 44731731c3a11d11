"""Turns a trained model object into the bytes of a format the registry accepts, in memory.

- a scikit-learn estimator or pipeline -> ``joblib.dump`` (the control plane converts it to PMML with jpmml-sklearn
  and never executes it; only estimators jpmml-sklearn converts are accepted, see docs/frameworks.md),
- a ``torch.nn.Module`` -> TorchScript: ``torch.jit.script``, or ``torch.jit.trace`` with the caller's example input;
  a ``torch.jit.ScriptModule`` is saved as it is. Always in eval mode (the caller's module is left as it was),
- an ONNX ``ModelProto`` -> its serialized bytes,
- ``bytes`` -> sent as they are (the framework given, or detected by the control plane).

Nothing here imports scikit-learn, torch or onnx unless the object comes from it (its module is then loaded already).
"""

from __future__ import annotations

import io
import sys
from typing import Any, Optional, Tuple

FRAMEWORKS = ("onnx", "torchscript", "sklearn", "pmml")
_ALIASES = {"onnx": "onnx", "torchscript": "torchscript", "torch": "torchscript", "pytorch": "torchscript",
            "sklearn": "sklearn", "scikit-learn": "sklearn", "pmml": "pmml"}
EXTENSIONS = {"onnx": ".onnx", "torchscript": ".pt", "sklearn": ".joblib", "pmml": ".pmml"}


def framework_name(framework: Optional[str]) -> Optional[str]:
    """The wire name of a framework (``torch``/``pytorch`` mean torchscript, ``scikit-learn`` sklearn), or None."""
    if framework is None:
        return None
    name = _ALIASES.get(framework.strip().lower())
    if name is None:
        raise ValueError("unknown framework '{}': expected one of {}".format(framework, ", ".join(FRAMEWORKS)))
    return name


def serialize(model_object: Any, framework: Optional[str] = None,
              example_input: Any = None) -> Tuple[bytes, Optional[str], str]:
    """The artifact bytes, the framework to declare (None: let the control plane detect it) and a file name."""
    declared = framework_name(framework)
    if isinstance(model_object, (bytes, bytearray, memoryview)):
        return bytes(model_object), declared, "model" + EXTENSIONS.get(declared or "", ".bin")
    detected = detect(model_object)
    if detected is None:
        raise TypeError("cannot serialise a {}.{}: model_object takes a scikit-learn estimator or pipeline, a "
                        "torch.nn.Module, an onnx.ModelProto or the bytes of a model file (or give path=)".format(
                            type(model_object).__module__, type(model_object).__qualname__))
    if declared is not None and declared != detected:
        raise ValueError("framework '{}' was given for a {} object".format(framework, detected))
    if detected == "sklearn":
        data = _sklearn(model_object)
    elif detected == "torchscript":
        data = _torchscript(model_object, example_input)
    else:
        data = model_object.SerializeToString()
    if example_input is not None and detected != "torchscript":
        raise ValueError("example_input is for tracing a torch.nn.Module; a {} model takes none".format(detected))
    return data, detected, "model" + EXTENSIONS[detected]


def detect(obj: Any) -> Optional[str]:
    """The framework of a model object, or None; looks only at libraries the process has already imported."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.nn.Module):
        return "torchscript"
    onnx = sys.modules.get("onnx")
    if onnx is not None and isinstance(obj, onnx.ModelProto):
        return "onnx"
    if "sklearn" in sys.modules:
        from sklearn.base import BaseEstimator
        if isinstance(obj, BaseEstimator):
            return "sklearn"
    return None


def _sklearn(estimator: Any) -> bytes:
    from sklearn.utils.validation import check_is_fitted
    from sklearn.exceptions import NotFittedError
    import joblib

    try:
        check_is_fitted(estimator)
    except NotFittedError as e:
        raise ValueError("the scikit-learn model is not fitted: {}".format(e)) from None
    except TypeError:
        pass  # not an estimator check_is_fitted knows; the control plane says whether it converts
    buf = io.BytesIO()
    joblib.dump(estimator, buf)  # uncompressed: a pickle stream the control plane reads without executing it
    return buf.getvalue()


def _torchscript(module: Any, example_input: Any) -> bytes:
    import torch

    was_training = module.training
    module.eval()
    try:
        if isinstance(module, torch.jit.ScriptModule):
            scripted = module
        elif example_input is not None:
            example = example_input if isinstance(example_input, (torch.Tensor, tuple)) \
                else torch.as_tensor(_plain(example_input), dtype=torch.float32)
            with torch.no_grad():  # strict=False: a dict of named outputs is a shape the platform serves
                scripted = torch.jit.trace(module, example, strict=False)
        else:
            try:
                scripted = torch.jit.script(module)
            except Exception as e:  # TorchScript's compiler raises many types; all mean the same here
                raise ValueError("torch.jit.script cannot compile {} ({}): pass example_input= (a batch of rows) "
                                 "to trace it instead".format(type(module).__name__,
                                                             str(e).strip().splitlines()[0])) from e
        scripted.eval()
        buf = io.BytesIO()
        torch.jit.save(scripted, buf)
        return buf.getvalue()
    finally:
        module.train(was_training)


def _plain(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    to_numpy = getattr(value, "to_numpy", None)
    return to_numpy().tolist() if callable(to_numpy) else value
