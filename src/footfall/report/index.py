"""The index page's view: one row per run, the files that gave no report, a cadence plot.

Built from the analysis-JSON dicts a batch keeps (no series): the same run exported as FIT,
GPX and TCX is one row, shown from its richest file with the others listed beside it
(footfall.duplicates). The verdict column shows ``summary.verdict`` (the finding the report's
headline names) and falls back to the most severe finding for JSON written before it existed.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import numpy as np

from footfall.duplicates import group_same_runs, start_time
from footfall.model import SEVERITY_ORDER
from footfall.report import formatting as fmt
from footfall.report import plotkit as pk

Entry = tuple[str, dict[str, Any]]
CADENCE_COLOR = "#1f5fa8"
TARGET_COLOR = "#2e8b57"
#: the detector whose notes limit what a file can say but never become a run's verdict
DATA_QUALITY = "data_quality"


def _file_name(path: str) -> str:
    """'export.zip!activities/1.fit' -> '1.fit'; '/a/b/run.gpx' -> 'run.gpx'."""
    return PurePath(path.partition("!")[2] or path).name


def verdict(result: dict[str, Any]) -> dict[str, Any] | None:
    """``{"severity", "detector", "title"}`` of a run: ``summary.verdict``, or else (JSON
    written before it existed) the most severe finding that is not a data-quality note, as
    the verdict rule does (docs/analysis-json.md), or None when the run has no findings."""
    given = (result.get("summary") or {}).get("verdict")
    if isinstance(given, dict) and given.get("severity") in SEVERITY_ORDER and given.get("title"):
        return {
            "severity": str(given["severity"]),
            "detector": given.get("detector"),
            "title": str(given["title"]),
        }
    findings = [
        f
        for f in result.get("findings") or []
        if isinstance(f, dict) and f.get("severity") in SEVERITY_ORDER
    ]
    if not findings:
        return None
    candidates = [
        f for f in findings if f["severity"] != "ok" and f.get("detector") != DATA_QUALITY
    ]
    if not candidates:
        return {"severity": "ok", "detector": None, "title": "Nothing in this run needs work"}
    worst = max(candidates, key=lambda f: SEVERITY_ORDER[f["severity"]])
    return {
        "severity": str(worst["severity"]),
        "detector": worst.get("detector"),
        "title": str(worst.get("title") or worst.get("detector") or ""),
    }


def _utc(result: dict[str, Any]) -> str:
    """The start as plotly reads a date ('2019-06-15 09:42:23', UTC), or ''."""
    when = start_time(result)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if when else ""


def index_row(stem: str, result: dict[str, Any]) -> dict[str, Any]:
    """One line of the index page, from the analysis JSON of one activity."""
    summary = result.get("summary") or {}
    source = result.get("source") or {}
    path = str(source.get("path") or stem)
    cadence = summary.get("cadence_spm") or {}
    median = fmt.as_float(cadence.get("median")) if isinstance(cadence, dict) else None
    below = fmt.as_float(summary.get("time_below_target_pct"))
    findings = [f for f in result.get("findings") or [] if isinstance(f, dict)]
    return {
        "href": f"{stem}.html",
        "stem": stem,
        "name": source.get("name") or _file_name(path),
        "has_name": bool(source.get("name")),
        "file": _file_name(path),
        "format": str(source.get("format") or "").upper(),
        "start_time": str(summary.get("start_time") or ""),
        "start_utc": _utc(result),
        "date": fmt.timestamp(summary.get("start_time")),
        "distance": fmt.distance(summary.get("distance_m")),
        "cadence": fmt.number(median, 0),
        "cadence_raw": median,
        "target_raw": fmt.as_float(summary.get("target_cadence_spm")),
        "time_below": fmt.percent(below),
        "verdict": verdict(result),
        "n_findings": sum(1 for f in findings if f.get("severity") != "ok"),
        "others": [],
    }


def _newest_first(rows: list[tuple[datetime | None, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Dated rows newest first, then undated ones in the order they came."""
    dated = [(when, row) for when, row in rows if when is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [row for _, row in dated] + [row for when, row in rows if when is None]


def cadence_figure(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Median running cadence of each listed run: by date when every run has one, else in
    the order listed. None when no run has cadence."""
    points = [r for r in rows if r["cadence_raw"] is not None]
    if not points:
        return None
    dated = all(r["start_utc"] for r in points)
    if dated:
        points = sorted(points, key=lambda r: r["start_utc"])
        x: list[Any] = [r["start_utc"] for r in points]
        x_title = "date"
    else:
        x = list(range(1, len(points) + 1))
        x_title = "run, in the order listed (no dates in the files)"
    y = [round(float(r["cadence_raw"]), 1) for r in points]
    # plotly reads a little HTML in hover text: names from files are shown as written
    names = [
        html.escape(f"{r['name']} ({r['date']})" if r["date"] != fmt.DASH else r["name"])
        for r in points
    ]
    traces: list[pk.Trace] = [
        {
            "type": "scatter",
            "x": x,
            "y": y,
            "mode": "lines+markers",
            "name": "median running cadence",
            "line": {"color": CADENCE_COLOR, "width": 1.5},
            "marker": {"size": 7, "color": CADENCE_COLOR},
            "text": names,
            "hovertemplate": "%{text}<br>%{y:.0f} spm<extra></extra>",
        }
    ]
    targets = sorted({r["target_raw"] for r in points if r["target_raw"] is not None})
    include = list(y)
    if len(targets) == 1:
        target = targets[0]
        include.append(target)
        traces.append(
            {
                "type": "scatter",
                "x": [x[0], x[-1]] if len(x) > 1 else x,
                "y": [target] * min(2, len(x)),
                "mode": "lines",
                "name": f"target {target:.0f}",
                "line": {"color": TARGET_COLOR, "width": 1.5, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    layout = pk.layout("median cadence (spm)", x_title, height=240)
    layout["yaxis"]["range"] = pk.y_range(np.asarray(include, dtype=float), [], 16.0)
    layout["margin"]["t"] = 30
    if not dated:
        layout["xaxis"]["dtick"] = 1
    caption = "Median running cadence of each run listed below" + (
        ", by date." if dated else ", in the order listed (the files carry no dates)."
    )
    return pk.spec("index_cadence", "Cadence over your runs", traces, layout, caption)


def index_view(entries: list[Entry], rejected: list[tuple[str, str, bool]]) -> dict[str, Any]:
    """Rows (one per run, newest first), the runs' cadence figure, and the rejected files:
    ``failed`` (could not be read) apart from ``skipped`` (not a run)."""
    rows: list[tuple[datetime | None, dict[str, Any]]] = []
    for group in group_same_runs(entries, result=lambda e: e[1]):
        (stem, result), others = group[0], group[1:]
        row = index_row(stem, result)
        row["others"] = [
            {
                "href": f"{s}.html",
                "file": _file_name(str((r.get("source") or {}).get("path") or s)),
                "format": str((r.get("source") or {}).get("format") or "").upper(),
            }
            for s, r in others
        ]
        rows.append((start_time(result), row))
    ordered = _newest_first(rows)

    def problem(path: str, reason: str) -> dict[str, str]:
        return {"file": _file_name(path), "path": path, "reason": reason}

    return {
        "rows": ordered,
        "n_files": len(entries),
        "figure": cadence_figure(ordered),
        "failed": [problem(p, r) for p, r, skipped in rejected if not skipped],
        "skipped": [problem(p, r) for p, r, skipped in rejected if skipped],
    }
