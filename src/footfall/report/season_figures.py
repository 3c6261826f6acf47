"""The season page's plots, from the season JSON alone (no series): weekly cadence at the
reference speed next to the raw median with the target and the progression steps, weekly
distance, contact time and overstride score, and every run's cadence against its speed.

Display choices only; the numbers come from footfall.season.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from footfall.reference import VALID_SPEED_MPS, c_ref
from footfall.report import plotkit as pk

AT_REF_COLOR = "#1f5fa8"
RAW_COLOR = "#8a94a3"
TARGET_COLOR = "#2e8b57"
STEP_COLOR = "#c25e00"
SYMPTOM_COLOR = "#b3261e"
CONTACT_COLOR = "#6a4c93"
LOAD_COLOR = "#7a8799"
SPIKE_COLOR = "#c25e00"
#: the month colours: plotly.py's "Viridis", as its validators spelled it out on the page
#: (plotly.js's own "Viridis" has other stops, so the name alone would shift the colours)
MONTH_COLORS = (
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
)
MONTH_SCALE = [[k / (len(MONTH_COLORS) - 1), c] for k, c in enumerate(MONTH_COLORS)]


#: a line is broken where more than this many days pass between two weeks with runs
GAP_DAYS = 28  # display choice: a month off is a break, not a trend


def _weeks(season: dict[str, Any], key: str) -> tuple[list[str | None], list[float | None]]:
    """x (week starts) and y of one weekly column, with a gap (None) after a month off."""
    from datetime import date

    x: list[str | None] = []
    y: list[float | None] = []
    last: date | None = None
    for row in season.get("weeks") or []:
        monday = date.fromisoformat(str(row["week_start"]))
        if last is not None and (monday - last).days > GAP_DAYS:
            x.append(None)
            y.append(None)
        x.append(str(row["week_start"]))
        y.append(row.get(key))
        last = monday
    return x, y


def _symptom_marks(season: dict[str, Any], y: float) -> list[pk.Trace]:
    """A red mark on each day numbness was logged, at height ``y``."""
    entries = season.get("symptoms") or []
    if not entries:
        return []
    text = [
        html.escape(
            f"numbness, {s['side']}"
            + (f", at {round(s['onset_s'] / 60)} min" if s.get("onset_s") is not None else "")
            + f" ({s['date']})"
        )
        for s in entries
    ]
    return [
        {
            "type": "scatter",
            "x": [s["date"] for s in entries],
            "y": [y] * len(entries),
            "mode": "markers",
            "name": "numbness logged",
            "marker": {"symbol": "triangle-down", "size": 12, "color": SYMPTOM_COLOR},
            "text": text,
            "hovertemplate": "%{text}<extra></extra>",
        }
    ]


def cadence_figure(season: dict[str, Any]) -> dict[str, Any] | None:
    x, at_ref = _weeks(season, "cadence_at_ref_speed_spm")
    _, raw = _weeks(season, "median_cadence_spm")
    if not any(v is not None for v in at_ref + raw):
        return None
    pace = season.get("reference_pace") or "the reference pace"
    traces: list[pk.Trace] = [
        {
            "type": "scatter",
            "x": x,
            "y": raw,
            "mode": "lines+markers",
            "name": "raw median",
            "line": {"color": RAW_COLOR, "width": 1.2, "dash": "dot"},
            "marker": {"size": 5, "color": RAW_COLOR},
            "hovertemplate": "%{x|%d %b %Y}: median %{y:.0f} spm<extra></extra>",
        },
        {
            "type": "scatter",
            "x": x,
            "y": at_ref,
            "mode": "lines+markers",
            "name": f"at {pace}",
            "line": {"color": AT_REF_COLOR, "width": 2},
            "marker": {"size": 7, "color": AT_REF_COLOR},
            "hovertemplate": f"%{{x|%d %b %Y}}: %{{y:.0f}} spm at {pace}<extra></extra>",
        },
    ]
    values = [v for v in at_ref + raw if v is not None]
    weekly = (season.get("progression") or {}).get("weekly") or []
    steps = [w for w in weekly if w.get("target_at_easy_speed_spm") is not None]
    if steps:
        monday = {r["week"]: r["week_start"] for r in season.get("weeks") or []}
        step_x = [monday.get(w["week"]) or _iso_monday(w["week"]) for w in steps]
        step_y = [w["target_at_easy_speed_spm"] for w in steps]
        traces.append(
            {
                "type": "scatter",
                "x": step_x,
                "y": step_y,
                "mode": "lines+markers",
                "name": "progression target",
                "line": {"color": STEP_COLOR, "width": 2, "shape": "hv"},
                "marker": {"size": 5, "color": STEP_COLOR},
                "text": [f"+{w['step_pct']:g} %" for w in steps],
                "hovertemplate": "%{x|%d %b %Y}: target %{y:.0f} spm (%{text})<extra></extra>",
            }
        )
        values += step_y
    target = (season.get("athlete") or {}).get("target_cadence_spm")
    if target and x:
        traces.append(
            {
                "type": "scatter",
                "x": [x[0], x[-1]],
                "y": [target, target],
                "mode": "lines",
                "name": f"target {target:.0f}",
                "line": {"color": TARGET_COLOR, "width": 1.5, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
        values.append(float(target))
    top = max(values) + 2.0
    traces += _symptom_marks(season, top)
    layout = pk.layout("cadence (spm)", "week", height=320)
    layout["yaxis"]["range"] = pk.y_range(np.asarray(values, dtype=float), [top], 12.0)
    caption = (
        f"Each week's cadence read at your reference pace ({pace}) off your own cadence-speed "
        "line (science §1.5), next to the week's raw median, which rises on fast weeks and "
        "falls on easy ones. The orange steps are the progression target at that pace; red "
        "marks are days numbness was logged."
    )
    return pk.spec(
        "season_cadence",
        "Cadence at your reference pace, week by week",
        traces,
        layout,
        caption,
    )


def _iso_monday(week: str) -> str:
    from datetime import date

    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1).isoformat()


def load_figure(season: dict[str, Any]) -> dict[str, Any] | None:
    x, distance = _weeks(season, "distance_m")
    if not any(distance):
        return None
    spiked = {a["week"] for a in season.get("alerts") or [] if a["kind"] == "weekly_progression"}
    weeks = {r["week_start"]: r["week"] for r in season.get("weeks") or []}
    colors = [SPIKE_COLOR if weeks.get(w) in spiked else LOAD_COLOR for w in x]
    km = [None if d is None else round(d / 1000.0, 1) for d in distance]
    layout = pk.layout("distance (km)", "week", height=240)
    layout["showlegend"] = False
    bars: list[pk.Trace] = [
        {
            "type": "bar",
            "x": x,
            "y": km,
            "marker": {"color": colors},
            "name": "weekly distance",
            "hovertemplate": "%{x|%d %b %Y}: %{y:.1f} km<extra></extra>",
        }
    ]
    caption = "Distance per week; orange weeks rose more than 30 % on the week before (§6.5)."
    return pk.spec("season_load", "Weekly distance", bars, layout, caption)


def form_figure(season: dict[str, Any]) -> dict[str, Any] | None:
    x, contact = _weeks(season, "stance_time_ms_at_ref_speed")
    _, score = _weeks(season, "overstride_score")
    has_contact = any(v is not None for v in contact)
    if not has_contact and not any(v is not None for v in score):
        return None
    traces: list[pk.Trace] = []
    layout = pk.layout("overstride score (0-100)", "week", height=280)
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": score,
            "mode": "lines+markers",
            "name": "overstride score",
            "line": {"color": STEP_COLOR, "width": 1.8},
            "marker": {"size": 6, "color": STEP_COLOR},
            "hovertemplate": "%{x|%d %b %Y}: score %{y:.0f}<extra></extra>",
        }
    )
    layout["yaxis"]["range"] = [0, 100]
    if has_contact:
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": contact,
                "mode": "lines+markers",
                "name": "contact time at reference pace",
                "yaxis": "y2",
                "line": {"color": CONTACT_COLOR, "width": 1.8},
                "marker": {"size": 6, "color": CONTACT_COLOR},
                "hovertemplate": "%{x|%d %b %Y}: %{y:.0f} ms<extra></extra>",
            }
        )
        layout["yaxis2"] = {
            "title": {"text": "contact time (ms)"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "zeroline": False,
        }
        layout["margin"]["r"] = 58
    caption = (
        "Overstride score per week (0-100, bands 30/50/70, science §6.3) and, where the files "
        "carry it, ground-contact time read at your reference pace."
    )
    return pk.spec("season_form", "Overstride score and contact time", traces, layout, caption)


def distribution_figure(season: dict[str, Any]) -> dict[str, Any] | None:
    runs = [
        s
        for s in season.get("sessions") or []
        if s.get("median_speed_mps") is not None and s.get("median_cadence_spm") is not None
    ]
    if not runs:
        return None
    months = sorted({s["date"][:7] for s in runs})
    index = {m: k for k, m in enumerate(months)}
    speed = [s["median_speed_mps"] for s in runs]
    step = max(1, len(months) // 6)
    traces: list[pk.Trace] = [
        {
            "type": "scatter",
            "x": speed,
            "y": [s["median_cadence_spm"] for s in runs],
            "mode": "markers",
            "name": "runs",
            "marker": {
                "size": 8,
                "color": [index[s["date"][:7]] for s in runs],
                "colorscale": MONTH_SCALE,
                "showscale": len(months) > 1,
                "cmin": 0,
                "cmax": max(1, len(months) - 1),
                "colorbar": {
                    "title": {"text": "month"},
                    "tickvals": list(range(0, len(months), step)),
                    "ticktext": months[::step],
                    "thickness": 10,
                },
            },
            "text": [html.escape(f"{s.get('name') or s['date']} ({s['date']})") for s in runs],
            "hovertemplate": "%{text}<br>%{x:.2f} m/s, %{y:.0f} spm<extra></extra>",
        }
    ]
    lo, hi = max(VALID_SPEED_MPS[0], min(speed) - 0.2), min(VALID_SPEED_MPS[1], max(speed) + 0.2)
    grid = np.linspace(lo, hi, 20)
    height = (season.get("athlete") or {}).get("height_cm")
    traces.append(
        {
            "type": "scatter",
            "x": np.round(grid, 2).tolist(),
            "y": np.round(c_ref(grid, height), 1).tolist(),
            "mode": "lines",
            "name": "typical for speed and height (C_ref)",
            "line": {"color": TARGET_COLOR, "width": 1.5, "dash": "dash"},
            "hoverinfo": "skip",
        }
    )
    layout = pk.layout("median cadence (spm)", "median steady speed (m/s)", height=320)
    layout["legend"]["y"] = 1.08
    caption = (
        "Each run's median cadence against its median steady speed, coloured by month, with "
        "the cadence typical for that speed and your height (C_ref, science §1.2). A runner "
        "whose dots climb above the line over the months has changed more than their pace."
    )
    return pk.spec(
        "season_distribution",
        "Cadence against speed, run by run",
        traces,
        layout,
        caption,
    )


def season_figures(season: dict[str, Any]) -> list[dict[str, Any]]:
    made = [
        cadence_figure(season),
        load_figure(season),
        form_figure(season),
        distribution_figure(season),
    ]
    return [f for f in made if f is not None]
