"""Running-dynamics plots (contact time, vertical motion, step length, balance) on Garmin bands."""

from __future__ import annotations

from typing import Any

import numpy as np

from footfall.model import Analysis
from footfall.reference import band_edges
from footfall.report import plotkit as pk

#: smoothing window in seconds: light, so surges stay visible [display choice]
DYNAMICS_SMOOTH_S = 15
BAND_COLORS = {
    "purple": "rgba(142, 68, 173, 0.13)",
    "blue": "rgba(52, 120, 198, 0.13)",
    "green": "rgba(60, 160, 90, 0.13)",
    "orange": "rgba(240, 140, 40, 0.15)",
    "red": "rgba(210, 60, 60, 0.13)",
}

Band = tuple[float, float, str]


def _left_balance_bands() -> list[Band]:
    """The balance gauge is published for the heavier side (reference.GARMIN_BANDS); a plot of
    the left foot's share mirrors it around 50 %."""
    side = band_edges("stance_balance_side_pct")
    right = [(max(lo, 50.0), hi, colour) for lo, hi, colour in side if hi > 50.0]
    left = [
        (round(100.0 - hi, 3), round(100.0 - lo, 3), colour) for lo, hi, colour in reversed(right)
    ]
    middle = (left[-1][0], right[0][1], right[0][2])  # the green band spans both sides of 50
    return [*left[:-1], middle, *right[1:]]


#: Garmin Running Dynamics colour gauges (science §2.3): percentiles of Garmin's runner
#: database, not speed-adjusted, so shown as background context only, never used as
#: thresholds; defined once in footfall.reference.
GARMIN_BANDS: dict[str, list[Band]] = {
    "stance_time_ms": band_edges("stance_time_ms"),
    "vertical_oscillation_cm": band_edges("vertical_oscillation_cm"),
    "vertical_ratio_pct": band_edges("vertical_ratio_pct"),
    "stance_balance_left_pct": _left_balance_bands(),
}

#: (column, title, y-axis title, scale to display unit, band key, minimum y span, decimals, why)
_DYNAMICS: tuple[tuple[str, str, str, float, str | None, float, int, str], ...] = (
    (
        "stance_time_ms",
        "Ground-contact time",
        "contact time (ms)",
        1.0,
        "stance_time_ms",
        30.0,
        0,
        "no ground-contact time in this file (it needs running dynamics from a chest strap, "
        "foot pod or watch)",
    ),
    (
        "vertical_oscillation_mm",
        "Vertical oscillation",
        "vertical oscillation (cm)",
        0.1,
        "vertical_oscillation_cm",
        1.5,
        1,
        "no vertical oscillation in this file",
    ),
    (
        "vertical_ratio_pct",
        "Vertical ratio",
        "vertical ratio (%)",
        1.0,
        "vertical_ratio_pct",
        1.5,
        1,
        "no vertical ratio in this file",
    ),
    (
        "step_length_m",
        "Step length",
        "step length (m)",
        1.0,
        None,
        0.15,
        2,
        "no step length in this file (it needs cadence and speed)",
    ),
    (
        "stance_balance_left_pct",
        "Contact-time balance",
        "left share of contact time (%)",
        1.0,
        "stance_balance_left_pct",
        3.0,
        1,
        "no contact-time balance in this file (it needs a dual-sided sensor)",
    ),
)


def dynamics_figures(analysis: Analysis) -> list[dict[str, Any]]:
    """Contact time, vertical motion, step length and balance over time, on Garmin bands."""
    activity = analysis.activity
    frame = activity.data
    out: list[dict[str, Any]] = []
    running = None
    if "state" in frame.columns:
        running = (frame["state"].astype(str) == "run").to_numpy()
    for column, title, y_title, scale, band_key, min_span, decimals, why in _DYNAMICS:
        if not activity.has(column):
            out.append(pk.note(column, title, f"{title}: {why}."))
            continue
        values = frame[column].to_numpy(dtype=float) * scale
        if running is not None:
            values = np.where(running, values, np.nan)
        if not np.isfinite(values).any():
            out.append(pk.note(column, title, f"{title}: no running seconds."))
            continue
        smooth = pk.smooth(values, DYNAMICS_SMOOTH_S)
        x, y = pk.downsample(pk.minutes(frame), smooth)
        layout = pk.layout(y_title, "elapsed time (min)", height=260)
        y_range = pk.y_range(smooth, [], min_span)
        layout["yaxis"]["range"] = y_range
        bands = GARMIN_BANDS.get(band_key or "", [])
        shapes = [
            {
                "type": "rect",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": max(lo, y_range[0]),
                "y1": min(hi, y_range[1]),
                "fillcolor": BAND_COLORS[color],
                "line": {"width": 0},
                "layer": "below",
            }
            for lo, hi, color in bands
            if hi > y_range[0] and lo < y_range[1]
        ]
        if shapes:  # plotly.py left an empty list out: the JSON stays as it was
            layout["shapes"] = shapes
        layout["showlegend"] = False
        layout["margin"]["t"] = 12
        unit = y_title.rsplit("(", 1)[-1].rstrip(")")
        trace = {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "lines",
            "name": title,
            "line": {"color": pk.INK, "width": 1.4},
            "hovertemplate": f"%{{y:.{decimals}f}} {unit} at %{{x:.1f}} min<extra></extra>",
        }
        source = activity.channels.get(column)
        caption = ""
        if source is not None and source.source.startswith("computed"):
            caption = f"Not measured: {source.source}."
        spec = pk.spec(column, title, [trace], layout, caption)
        spec["bands"] = bool(bands)
        out.append(spec)
    return out
