"""Prediction inputs as the JSON the data plane reads: plain Python values, or numpy arrays and pandas frames when
those are installed (found by duck typing, never imported here)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence, Union

Row = Union[Sequence[Any], Dict[str, Any]]


def row(inputs: Any) -> Union[List[Any], Dict[str, Any]]:
    """One row: a list of values in the model's feature order, or a dict of feature to value.

    Takes a list or tuple, a dict, a numpy 1-D array (or one ``[1, F]`` row), a pandas Series, or a one-row
    pandas DataFrame (bound by column name).
    """
    if _is_frame(inputs):
        records = inputs.to_dict(orient="records")
        if len(records) != 1:
            raise ValueError("predict takes one row; this DataFrame has {} (use predict_batch)".format(len(records)))
        return {str(k): _scalar(v) for k, v in records[0].items()}
    if _is_series(inputs):
        return {str(k): _scalar(v) for k, v in inputs.to_dict().items()}
    if isinstance(inputs, dict):
        return {str(k): _scalar(v) for k, v in inputs.items()}
    values = _plain(inputs)
    if isinstance(values, (list, tuple)):
        if len(values) == 1 and isinstance(values[0], (list, tuple, dict)):
            return row(values[0])  # one [1, F] row
        if any(isinstance(v, (list, tuple, dict)) for v in values):
            raise ValueError("predict takes one row; these inputs hold {} rows (use predict_batch)".format(
                len(values)))
        return [_scalar(v) for v in values]
    raise TypeError("inputs must be a row (list, dict of features, numpy array, pandas Series or one-row DataFrame), "
                    "not {}".format(type(inputs).__name__))


def rows(instances: Any) -> List[Union[List[Any], Dict[str, Any]]]:
    """Several rows: a list of rows (lists or dicts), a numpy ``[N, F]`` array, or a pandas DataFrame (each row bound
    by column name)."""
    if _is_frame(instances):
        return [{str(k): _scalar(v) for k, v in r.items()} for r in instances.to_dict(orient="records")]
    values = _plain(instances)
    if isinstance(values, dict):
        raise ValueError("predict_batch takes a list of rows; for one row of features use predict")
    if not isinstance(values, (list, tuple)):
        raise TypeError("instances must be a list of rows, a numpy [N, F] array or a pandas DataFrame, not {}".format(
            type(instances).__name__))
    out: List[Union[List[Any], Dict[str, Any]]] = []
    for i, r in enumerate(values):
        if not isinstance(r, (list, tuple, dict)) and not _is_series(r) and not callable(getattr(r, "tolist", None)):
            raise ValueError("instance {} is a {}, not a row: predict_batch takes a list of rows (for one row use "
                             "predict)".format(i, type(r).__name__))
        out.append(row(r))
    return out


def oip_tensors(inputs: Any) -> List[Dict[str, Any]]:
    """Open Inference Protocol v2 input tensors: given as such (dicts with name, shape, datatype, data), one FP32
    ``[N]`` tensor per feature from a dict of feature to column (or a DataFrame), or one FP32 ``[N, F]`` tensor
    named ``input`` from rows (the data plane takes that tensor under any name)."""
    if isinstance(inputs, (list, tuple)) and inputs and all(isinstance(t, dict) and "data" in t for t in inputs):
        return [dict(t) for t in inputs]
    if isinstance(inputs, dict) or _is_frame(inputs):
        columns = inputs.items() if isinstance(inputs, dict) else ((c, inputs[c]) for c in inputs.columns)
        tensors = []
        for feature, column in columns:
            values = [_scalar(v) for v in _plain(column)]
            tensors.append({"name": str(feature), "shape": [len(values)], "datatype": "FP32", "data": values})
        return tensors
    values = _plain(inputs)
    table = rows(values) if values and isinstance(values[0], (list, tuple)) else [row(values)]
    width = len(table[0])
    if any(not isinstance(r, list) or len(r) != width for r in table):
        raise ValueError("OIP rows must be lists of one width")
    return [{"name": "input", "shape": [len(table), width], "datatype": "FP32", "data": [v for r in table for v in r]}]


def dumps(doc: Any) -> bytes:
    """Compact JSON; NaN and Infinity are refused here, as the data plane would refuse them."""
    try:
        return json.dumps(doc, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except ValueError as e:
        raise ValueError("inputs must be finite numbers ({}): NaN and Infinity are not valid JSON".format(e)) from None


def _plain(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars, torch tensors
    if callable(tolist) and not isinstance(value, (list, tuple, dict)):
        return tolist()
    return value


def _scalar(v: Any) -> Any:
    v = _plain(v)
    if isinstance(v, (list, tuple)):
        return [_scalar(x) for x in v]
    return v


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "to_dict") and hasattr(obj, "columns") and hasattr(obj, "iloc")


def _is_series(obj: Any) -> bool:
    return hasattr(obj, "to_dict") and hasattr(obj, "index") and not hasattr(obj, "columns") and hasattr(obj, "iloc")
