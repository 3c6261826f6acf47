"""Shared plot plumbing for the report: layout, smoothing, downsampling, figure specs.

Display choices only (no thresholds live here): the figures in figures.py and dynamics.py use
these so every plot looks alike and stays small. Traces and layouts are plain plotly.js dicts
(``{"type": "scatter", ...}``), written by footfall.report.plotjson; plotly's Python package
is not imported to draw a page.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from footfall.report.plotjson import figure_json

#: upper bound on points per trace (a 4-hour run at 1 Hz has 14,400) [display choice]
MAX_POINTS = 3000
INK = "#1d2733"
GRID = "#e6e9ee"

#: one plotly.js trace: ``{"type": "scatter", "x": ..., ...}``
Trace = dict[str, Any]


def layout(y_title: str, x_title: str, height: int = 300) -> dict[str, Any]:
    """The common plotly layout, legend on top. No template: plotly.js has no default one
    (plotly.py's would add 6.5 kB of JSON to every figure) and plotly.py's "none", named here
    before, reached the page as one scatter entry that set nothing; the look is all below."""
    axis = {"gridcolor": GRID, "zeroline": False, "showline": True, "linecolor": "#c5ccd6"}
    return {
        "height": height,
        "autosize": True,
        "margin": {"l": 58, "r": 14, "t": 36, "b": 46},
        "font": {
            "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "size": 12,
            "color": INK,
        },
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#ffffff",
        "xaxis": {**axis, "title": {"text": x_title}},
        "yaxis": {**axis, "title": {"text": y_title}},
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "font": {"size": 11},
        },
        "hovermode": "closest",
        "dragmode": "zoom",
    }


def minutes(frame: pd.DataFrame) -> np.ndarray:
    """Elapsed minutes of the 1 Hz index (the x axis of every time plot)."""
    return np.asarray(frame.index, dtype=float) / 60.0


def downsample(x: np.ndarray, y: np.ndarray, max_points: int = MAX_POINTS) -> tuple[Any, Any]:
    """Bin means (NaN-aware) so that at most ``max_points`` remain; gaps stay gaps."""
    n = len(y)
    step = max(1, math.ceil(n / max_points))
    if step > 1:
        pad = (-n) % step
        xs = np.concatenate([x, np.full(pad, np.nan)]).reshape(-1, step)
        ys = np.concatenate([y, np.full(pad, np.nan)]).reshape(-1, step)
        finite = np.isfinite(ys)
        counts = finite.sum(axis=1)
        sums = np.where(finite, ys, 0.0).sum(axis=1)
        y = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        xfin = np.isfinite(xs)
        x = np.where(xfin, xs, 0.0).sum(axis=1) / np.maximum(xfin.sum(axis=1), 1)
    return np.round(x, 3).astype("f4"), np.asarray(y, dtype="f4")


def smooth(values: np.ndarray, window: int, how: str = "mean") -> np.ndarray:
    rolling = pd.Series(values).rolling(window, center=True, min_periods=max(2, window // 3))
    out = rolling.median() if how == "median" else rolling.mean()
    out[~np.isfinite(values)] = np.nan  # no line across a gap
    return out.to_numpy(dtype=float)


def y_range(values: np.ndarray, include: list[float], min_span: float) -> list[float]:
    v = values[np.isfinite(values)]
    lo, hi = (float(np.percentile(v, 0.5)), float(np.percentile(v, 99.5))) if v.size else (0, 1)
    lo, hi = min([lo, *include]), max([hi, *include])
    span = max(hi - lo, min_span)
    mid = (hi + lo) / 2.0
    half = span / 2.0 * 1.15
    return [round(mid - half, 3), round(mid + half, 3)]


def runs(labels: np.ndarray) -> list[tuple[int, int, str]]:
    """Contiguous stretches of equal labels as (start, end_exclusive, label)."""
    if labels.size == 0:
        return []
    change = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [labels.size]])
    return [(int(a), int(b), str(labels[a])) for a, b in zip(starts, ends, strict=True)]


def spec(
    key: str, title: str, data: list[Trace], layout: dict[str, Any], caption: str
) -> dict[str, Any]:
    """A figure for the page: its plotly JSON (traces ``data``, ``layout``), its CSS height
    and a caption."""
    return {
        "key": key,
        "id": f"plot-{key.replace('_', '-')}",
        "title": title,
        "caption": caption,
        "json": figure_json(data, layout),
        "height": int(layout.get("height") or 300),
        "note": None,
        "bands": False,
    }


def note(key: str, title: str, note: str) -> dict[str, Any]:
    """A figure left out: the page shows ``note`` (one line) instead."""
    return {
        "key": key,
        "id": "",
        "title": title,
        "caption": "",
        "json": None,
        "height": 0,
        "note": note,
        "bands": False,
    }
