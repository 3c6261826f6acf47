"""The report's plotly figures, as JSON for ``Plotly.newPlot`` (html.py embeds plotly.js once).

Each figure is lightly smoothed and downsampled to at most ``plotkit.MAX_POINTS`` points per
trace, so a 4-hour run stays a small page. A figure whose channel is missing becomes a one-line
note. The running-dynamics plots are in dynamics.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from footfall.model import Analysis
from footfall.reference import BETWEEN_RUNNER_SD_SPM, c_ref
from footfall.report import plotkit as pk
from footfall.report.cadence_time import cadence_time_figure
from footfall.report.dynamics import dynamics_figures

CADENCE_COLOR = "#1f5fa8"
SCATTER_SPEED_SMOOTH_S = 10  # display only: smoothing of speed in the cadence-speed plot


def _pace_ticks(lo: float, hi: float) -> tuple[list[float], list[str]] | None:
    candidates = [150, 180, 210, 240, 270, 300, 330, 360, 420, 480, 540, 600, 720, 900]
    vals, text = [], []
    for sec in candidates:
        speed = 1000.0 / sec
        if lo <= speed <= hi:
            vals.append(round(speed, 4))
            text.append(f"{sec // 60}:{sec % 60:02d}")
    return (vals, text) if len(vals) >= 2 else None


def cadence_speed_figure(analysis: Analysis) -> dict[str, Any] | None:
    """Running seconds as cadence against speed, with the runner's line, C_ref and target."""
    frame = analysis.activity.data
    if "speed_mps" not in frame.columns:
        return None
    cad = frame["cadence_spm"].to_numpy(dtype=float)
    # Per-second GPS speed is noisy (science §3.3); a 10 s mean keeps the scatter honest.
    speed = (
        frame["speed_mps"].rolling(SCATTER_SPEED_SMOOTH_S, center=True, min_periods=5).mean()
    ).to_numpy(dtype=float)
    ok = np.isfinite(cad) & np.isfinite(speed) & (speed > 0.5)
    if "state" in frame.columns:
        ok &= (frame["state"].astype(str) == "run").to_numpy()
    if ok.sum() < 30:
        return None
    cad, speed = cad[ok], speed[ok]
    if cad.size > pk.MAX_POINTS:
        pick = np.linspace(0, cad.size - 1, pk.MAX_POINTS).astype(int)
        cad, speed = cad[pick], speed[pick]
    target = float(analysis.summary.get("target_cadence_spm") or 180.0)
    height = analysis.profile.get("height_cm")
    lo, hi = float(np.percentile(speed, 2)), float(np.percentile(speed, 98))
    lo, hi = max(0.5, lo - 0.1), hi + 0.1
    grid = np.linspace(lo, hi, 24)
    ref = np.asarray(c_ref(grid, height), dtype=float)
    who = "your height" if height is not None else "a 181 cm runner (height not given)"
    traces: list[pk.Trace] = [
        {
            "type": "scatter",
            "x": np.round(grid, 3),
            "y": np.round(ref + BETWEEN_RUNNER_SD_SPM, 1),
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": np.round(grid, 3),
            "y": np.round(ref - BETWEEN_RUNNER_SD_SPM, 1),
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": "rgba(122, 79, 181, 0.10)",
            "name": f"typical range (± {BETWEEN_RUNNER_SD_SPM:g} spm)",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": speed.astype("f4"),
            "y": cad.astype("f4"),
            "mode": "markers",
            "name": "your running seconds",
            "marker": {"size": 4, "color": CADENCE_COLOR, "opacity": 0.35},
            "hovertemplate": "%{y:.0f} spm at %{x:.2f} m/s<extra></extra>",
        },
        {
            "type": "scatter",
            "x": np.round(grid, 3),
            "y": np.round(ref, 1),
            "mode": "lines",
            "name": "C_ref, typical for your speed" + (" and height" if height else " (181 cm)"),
            "line": {"color": "#7a4fb5", "width": 2},
        },
        {
            "type": "scatter",
            "x": [lo, hi],
            "y": [target, target],
            "mode": "lines",
            "name": f"target {target:.0f}",
            "line": {"color": "#2e8b57", "width": 1.5, "dash": "dash"},
        },
    ]
    fit = analysis.metrics.get("cadence_speed_fit")
    if isinstance(fit, dict) and all(
        isinstance(fit.get(k), int | float) for k in ("slope", "intercept")
    ):
        a = float(fit.get("speed_min") or lo)
        b = float(fit.get("speed_max") or hi)
        xs = np.array([a, b])
        traces.append(
            {
                "type": "scatter",
                "x": np.round(xs, 3),
                "y": np.round(fit["intercept"] + fit["slope"] * xs, 1),
                "mode": "lines",
                "name": f"your line (+{fit['slope']:.1f} spm per m/s)",
                "line": {"color": "#e67e22", "width": 2.5},
            }
        )
    layout = pk.layout("cadence (steps/min)", "pace (min/km), faster to the right", height=360)
    ticks = _pace_ticks(lo, hi)
    if ticks:
        layout["xaxis"].update({"tickvals": ticks[0], "ticktext": ticks[1]})
    else:
        layout["xaxis"]["title"] = {"text": "speed (m/s)"}
    layout["xaxis"]["range"] = [lo, hi]
    layout["yaxis"]["range"] = pk.y_range(cad, [target + 2, *ref.tolist()], 20.0)
    return pk.spec(
        "cadence_speed",
        "Cadence against speed",
        traces,
        layout,
        "Each dot is one running second. Cadence rises with speed for everyone; the purple line "
        f"is what is typical for the speed and {who} (science §1.2).",
    )


def report_figures(analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """{"cadence": [...], "dynamics": [...]}: figure specs (with JSON) or one-line notes."""
    activity = analysis.activity
    cadence: list[dict[str, Any]] = []
    if activity.has("cadence_spm"):
        cadence.append(cadence_time_figure(analysis))
        by_speed = cadence_speed_figure(analysis)
        if by_speed is not None:
            cadence.append(by_speed)
        else:
            cadence.append(
                pk.note(
                    "cadence_speed",
                    "Cadence against speed",
                    "Cadence against speed: not enough running seconds with both cadence and "
                    "speed.",
                )
            )
    else:
        cadence.append(
            pk.note(
                "cadence_time",
                "Cadence",
                "No cadence in this file, so the cadence plots are left out; a watch or foot "
                "pod that records cadence makes this report much more useful.",
            )
        )
    return {"cadence": cadence, "dynamics": dynamics_figures(analysis)}
