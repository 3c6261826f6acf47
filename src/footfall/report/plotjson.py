"""Figures as plotly.js JSON, written without plotly's Python objects.

A figure is a plain dict, ``{"data": [trace dicts], "layout": {...}}``, and :func:`figure_json`
writes it the way plotly.py's ``Figure.to_json()`` wrote the values the report passes: numeric
numpy arrays as plotly.js typed arrays (``{"dtype": "f4", "bdata": <base64>}``, about a third
of the text of decimals, NaN kept inside as a gap), other arrays as lists, numpy scalars as
numbers, NaN and infinities elsewhere as null (plotly.js draws a gap), dates and times as ISO
strings. Going through ``plotly.graph_objects`` and ``plotly.io`` instead costs about half a
second in every process that draws a page (plotly loads its validators on first use), while
the browser reads the same JSON either way. Nothing checks property names here:
tests/test_plot_schema.py puts every figure kind through plotly's validators instead.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

import numpy as np

#: numpy dtypes plotly.js reads as typed arrays, by their plotly.js names (native byte order
#: only: str() of a byte-swapped dtype is '>f4', which is not in this table)
TYPED_ARRAYS = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
#: keys whose arrays stay lists: plotly.js reads no typed array there (plotly.py's own list)
PLAIN_KEYS = frozenset({"geojson", "layer", "layers", "range"})
#: plotly.js has no 64-bit integer arrays: these are narrowed to the smallest type that fits
_NARROWER = {
    "int64": ("int8", "int16", "int32"),
    "uint64": ("uint8", "uint16", "uint32"),
}


def _narrowed(values: np.ndarray) -> np.ndarray | None:
    """A 64-bit integer array in the smallest type holding it, or None when none does."""
    lo, hi = values.min(), values.max()
    for name in _NARROWER[str(values.dtype)]:
        limits = np.iinfo(name)
        if limits.min <= lo and hi <= limits.max:
            return values.astype(name)
    return None


def typed_array(values: np.ndarray) -> dict[str, str] | None:
    """The plotly.js typed-array form of a numeric array, or None where it has none."""
    if values.size == 0:
        return None
    if str(values.dtype) in _NARROWER:
        narrowed = _narrowed(values)
        if narrowed is None:
            return None
        values = narrowed
    kind = TYPED_ARRAYS.get(str(values.dtype))
    if kind is None:
        return None
    spec = {
        "dtype": kind,
        "bdata": base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii"),
    }
    if values.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in values.shape)
    return spec


def _datetime64(value: np.datetime64) -> str | None:
    if np.isnat(value):
        return None
    as_python = value.item()  # a datetime or date for units plotly's dates need, else an int
    if isinstance(as_python, date):
        return as_python.isoformat()
    return str(np.datetime_as_string(value))


def _array(values: np.ndarray, plain: bool) -> Any:
    if not plain:
        typed = typed_array(values)
        if typed is not None:
            return typed
    if values.dtype.kind == "M":  # its scalars (or rows) one by one: NaT becomes null
        return [_plain(v) for v in values]
    return _plain(values.tolist())


def _plain(value: Any, key: str = "") -> Any:
    """``value`` as JSON-ready Python: dicts, lists, str, int, finite float, bool or None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _array(value, key in PLAIN_KEYS)
    if isinstance(value, np.datetime64):
        return _datetime64(value)
    if isinstance(value, np.generic):  # numpy scalars: np.float32, np.int64, np.bool_
        return _plain(value.item())
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"a plot cannot hold {type(value).__name__}: {value!r:.80}")


def figure_json(data: list[dict[str, Any]], layout: Mapping[str, Any]) -> str:
    """The figure as the compact JSON ``Plotly.newPlot`` reads (see the module docstring)."""
    figure = {"data": _plain(data), "layout": _plain(layout)}
    return json.dumps(figure, separators=(",", ":"), allow_nan=False, ensure_ascii=True)
