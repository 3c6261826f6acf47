"""The cadence-over-time plot: the trace, the target band, walking and stopped shading, and
the stretches each finding points at as lanes in a strip under the trace."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd

from footfall.detectors.low_cadence import TARGET_BAND_SPM  # the +-3 spm band, science §5
from footfall.model import Analysis
from footfall.report import formatting as fmt
from footfall.report import plotkit as pk

#: smoothing window in seconds: light, so surges and walk breaks stay visible [display choice]
CADENCE_SMOOTH_S = 9
#: more state shapes than this and short stretches are merged away (keeps the page light)
MAX_STATE_SHAPES = 300
#: finding windows shown per finding (more would only make the page heavier) [display choice]
MAX_WINDOWS_SHOWN = 200
#: height of one finding lane in the strip under the cadence trace, and the gap above it
#: [display choice: one line of 11 px labels with air around the bar]
LANE_PX = 22
STRIP_GAP_PX = 10
#: lane labels: short by design, so they never need cutting; the full title is in the hover
LANE_LABELS = {
    "low_cadence": "low cadence",
    "overstride": "overstride",
    "asymmetry": "asymmetry",
    "drift": "cadence drift",
    "downhill": "downhill",
    "heat": "heat",
    "duration": "long run",
    "data_quality": "data quality",
}
CADENCE_COLOR = "#1f5fa8"
SEVERITY_COLORS = {"alert": "#c0392b", "warning": "#e67e22", "watch": "#c9a227", "ok": "#2e8b57"}
STATE_COLORS = {"walk": "rgba(90, 150, 220, 0.16)", "stop": "rgba(120, 130, 140, 0.25)"}


def _state_shapes(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if "state" not in frame.columns:
        return []
    x = np.asarray(frame.index, dtype=float)
    runs = [r for r in pk.runs(frame["state"].astype(str).to_numpy()) if r[2] in STATE_COLORS]
    min_len = 1
    while len(runs) > MAX_STATE_SHAPES:
        min_len *= 2
        runs = [r for r in runs if r[1] - r[0] >= min_len]
    shapes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a, b, state in runs:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y domain",  # the trace area only, not the finding strip
                "x0": round(x[a] / 60.0, 3),
                "x1": round((x[b - 1] + 1) / 60.0, 3),
                "y0": 0,
                "y1": 1,
                "fillcolor": STATE_COLORS[state],
                "line": {"width": 0},
                "layer": "below",
                "name": {"walk": "walking", "stop": "stopped"}[state],
                "legendgroup": state,
                "showlegend": state not in seen,
            }
        )
        seen.add(state)
    return shapes


def _lane_label(detector: str, seen: set[str]) -> str:
    """A lane's label: short by design (from the detector), unique within the strip."""
    base = LANE_LABELS.get(detector, detector.replace("_", " "))
    label, n = base, 1
    while label in seen:
        n += 1
        label = f"{base} {n}"
    seen.add(label)
    return label


def _finding_lanes(analysis: Analysis) -> list[pk.Trace]:
    """One lane per finding with windows, in the strip under the trace: its windows as bars,
    its full title in the hover text (the lane label itself stays short)."""
    lanes: list[pk.Trace] = []
    seen: set[str] = set()
    for f in analysis.findings:
        if f.severity == "ok" or not f.windows:
            continue
        windows = [(float(a), float(b)) for a, b in f.windows[:MAX_WINDOWS_SHOWN] if b > a]
        if not windows:
            continue
        label = _lane_label(f.detector, seen)
        title = html.escape(f.title, quote=False)  # plotly reads a little HTML in hover text
        lanes.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [label] * len(windows),
                "base": [round(a / 60.0, 3) for a, _ in windows],
                "x": [round((b - a) / 60.0, 3) for a, b in windows],
                "yaxis": "y2",
                "width": 0.62,
                "name": label,
                "showlegend": False,
                "marker": {
                    "color": SEVERITY_COLORS.get(f.severity, "#c0392b"),
                    "line": {"width": 0},
                },
                "customdata": [[fmt.duration(a), fmt.duration(b)] for a, b in windows],
                "hovertemplate": f"{title}<br>%{{customdata[0]}}–%{{customdata[1]}}<extra></extra>",
            }
        )
    return lanes


def _add_strip(layout: dict[str, Any], lanes: list[pk.Trace]) -> None:
    """Give the finding lanes their own band under the trace: the trace, the target band and
    the run/walk/stop shading keep the area above to themselves."""
    area = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    strip = min(0.45, (LANE_PX * len(lanes)) / area)
    gap = STRIP_GAP_PX / area
    labels = [lane["y"][0] for lane in lanes]
    layout["yaxis"]["domain"] = [round(strip + gap, 4), 1.0]
    layout["yaxis2"] = {
        "domain": [0.0, round(strip, 4)],
        "anchor": "x",
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels[::-1],  # the first finding on top
        "range": [-0.5, len(labels) - 0.5],
        "fixedrange": True,
        "showgrid": False,
        "zeroline": False,
        "showline": True,
        "linecolor": "#c5ccd6",
        "ticks": "",
        "tickfont": {"size": 11},
        "automargin": True,
    }
    layout["xaxis"]["anchor"] = "y2"
    layout["barmode"] = "overlay"


def _hline(
    y: float, color: str, dash: str, text: str, left: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": color, "width": 1.5, "dash": dash},
    }
    note = {
        "xref": "paper",
        "yref": "y",
        "x": 0 if left else 1,
        "y": y,
        "xanchor": "left" if left else "right",
        "yanchor": "bottom",
        "text": text,
        "showarrow": False,
        "font": {"size": 11, "color": color},
    }
    return shape, note


def _next_step_target(analysis: Analysis) -> float | None:
    step = analysis.plan.get("next_step") or {}
    value = step.get("target_spm")
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def cadence_time_figure(analysis: Analysis) -> dict[str, Any]:
    """Cadence over elapsed time, with the target band, run/walk/stop and finding windows."""
    activity = analysis.activity
    frame = activity.data
    target = float(analysis.summary.get("target_cadence_spm") or 180.0)
    cad = frame["cadence_spm"].to_numpy(dtype=float).copy()
    if "state" in frame.columns:
        cad[(frame["state"].astype(str) == "stop").to_numpy()] = np.nan
    smooth = pk.smooth(cad, CADENCE_SMOOTH_S, "median")
    x, y = pk.downsample(pk.minutes(frame), smooth)
    lanes = _finding_lanes(analysis)
    height = 340 + (LANE_PX * len(lanes) + STRIP_GAP_PX if lanes else 0)
    layout = pk.layout("cadence (steps/min)", "elapsed time (min)", height=height)
    # the walk/stop shading first, so the target band is drawn over it and stays visible
    shapes: list[dict[str, Any]] = _state_shapes(frame)
    shapes.append(
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": target - TARGET_BAND_SPM,
            "y1": target + TARGET_BAND_SPM,
            "fillcolor": "rgba(46, 139, 87, 0.16)",
            "line": {"width": 0},
            "layer": "below",
            "name": f"target {target:.0f} ± {TARGET_BAND_SPM:.0f} spm",
            "showlegend": True,
        }
    )
    line, note = _hline(target, "#2e8b57", "dash", f"target {target:.0f}")
    shapes.append(line)
    notes = [note]
    include = [target + TARGET_BAND_SPM]
    step = _next_step_target(analysis)
    if step is not None and abs(step - target) >= 1:
        line, note = _hline(step, "#7a4fb5", "dot", f"next step {step:.0f}", left=True)
        shapes.append(line)
        notes.append(note)
        include.append(step)
    symptom = analysis.symptom or {}
    at = symptom.get("at_s")
    if isinstance(at, int | float) and math.isfinite(at):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",  # across the strip too: it is a moment, not a stretch
                "x0": at / 60.0,
                "x1": at / 60.0,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#c0392b", "width": 2, "dash": "dot"},
            }
        )
        notes.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": at / 60.0,
                "y": 1,
                "yanchor": "bottom",
                "text": "numbness logged",
                "showarrow": False,
                "font": {"size": 11, "color": "#c0392b"},
            }
        )
    layout["shapes"] = shapes
    layout["annotations"] = notes
    layout["yaxis"]["range"] = pk.y_range(smooth, include, 20.0)
    if lanes:
        _add_strip(layout, lanes)
    trace = {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines",
        "name": "cadence",
        "line": {"color": CADENCE_COLOR, "width": 1.6},
        "connectgaps": False,
        "hovertemplate": "%{y:.0f} spm at %{x:.1f} min<extra></extra>",
    }
    return pk.spec(
        "cadence_time",
        "Cadence over time",
        [trace, *lanes],
        layout,
        f"Cadence smoothed over {CADENCE_SMOOTH_S} s; the green band is your target "
        f"± {TARGET_BAND_SPM:.0f} spm. Shaded: walking and stopped stretches"
        + (
            ". The strip under the plot marks the stretches each finding points at "
            "(hover for its title)."
            if lanes
            else "."
        ),
    )
