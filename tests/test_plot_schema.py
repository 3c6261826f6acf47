"""footfall.report.plotjson writes plotly JSON as plotly.py's own ``to_json`` did for the
values the report passes: numeric numpy arrays as plotly.js typed arrays, NaN elsewhere as
null, numpy scalars as numbers, dates and times as ISO strings."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from footfall.report.plotjson import figure_json


def _plotly_x(value: Any) -> Any:
    """What plotly.py's own to_json writes for ``value`` as a trace's x."""
    return json.loads(go.Figure([go.Scatter(x=value)]).to_json())["data"][0]["x"]


@pytest.mark.parametrize(
    "value",
    [
        np.array([1.5, np.nan, 2.25], dtype="f4"),
        np.array([[1.0, 2.0], [3.0, np.inf]]),
        np.array([1, 2, 300]),  # int64: narrowed to int16
        np.array([1, 2**40]),  # too wide for plotly.js: a list
        np.array([3, 4], dtype="uint64"),
        np.array([True, False]),
        np.array(["a", "b"]),
        np.array(["a", None, 1.5], dtype=object),
        np.array([], dtype=float),
        np.array(["2024-05-01T08:00:00"], dtype="datetime64[s]"),
        np.array(["2024-05-01"], dtype="datetime64[D]"),
        [np.float32(1.1), np.float64(2.2), np.int64(3), np.bool_(True), np.nan, -np.inf],
        [datetime(2024, 5, 1, 8, 0, 0, 123456), datetime(2024, 5, 1, 8, tzinfo=UTC)],
        [date(2024, 5, 1), np.datetime64("2024-05-01T08:00:00"), np.datetime64("2024-05-02")],
        [None, "x", 1, 2.5, float("nan")],
        (1, 2),
    ],
    ids=repr,
)
def test_values_are_written_as_plotly_wrote_them(value: Any) -> None:
    ours = json.loads(figure_json([{"type": "scatter", "x": value}], {}))["data"][0]["x"]
    assert ours == _plotly_x(value)


def test_nan_is_a_gap_and_layout_values_are_plain() -> None:
    y = np.array([1.0, np.nan], dtype="f4")
    layout = {
        "height": np.int64(300),
        "xaxis": {"range": np.array([0.0, np.nan])},  # a range stays a list (as plotly.py's)
        "shapes": [{"type": "line", "x0": np.float32(0.5), "x1": datetime(2024, 5, 1)}],
    }
    fig = json.loads(figure_json([{"type": "scatter", "x": [1.0, float("inf")], "y": y}], layout))
    trace = fig["data"][0]
    assert trace["x"] == [1.0, None]
    assert trace["y"]["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(trace["y"]["bdata"]), dtype="f4")
    assert decoded[0] == 1.0 and np.isnan(decoded[1])  # plotly.js reads NaN as a gap
    assert fig["layout"] == {
        "height": 300,
        "xaxis": {"range": [0.0, None]},
        "shapes": [{"type": "line", "x0": 0.5, "x1": "2024-05-01T00:00:00"}],
    }
    not_a_time = np.array(["NaT"], dtype="datetime64[s]")
    assert json.loads(figure_json([{"x": not_a_time}], {}))["data"][0]["x"] == [None]
    with pytest.raises(TypeError, match="a plot cannot hold"):
        figure_json([{"x": [object()]}], {})
