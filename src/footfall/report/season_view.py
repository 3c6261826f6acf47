"""View models of the season page and the coach's roster, from their JSON (no series).

The season page: the weekly trends (footfall.report.season_figures), the alerts with the
sessions behind them, the progression and the sessions table, each row linking to the
session's report when it has been written. The roster: athletes in the order the roster JSON
ranks them, each with the reasons for its place, the last session, trend arrows and links.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from footfall.report import formatting as fmt
from footfall.report import plotkit as pk
from footfall.report.index import verdict as run_verdict
from footfall.report.season_figures import season_figures

SessionHref = Callable[[str], str | None]
DIRECTION_TEXT = {
    "improving": "improving",
    "steady": "steady",
    "worsening": "worsening",
    None: "not enough weeks yet",
}


def _slope_text(trend: dict[str, Any] | None, unit: str) -> str:
    if not trend:
        return fmt.DASH
    low, high = trend["low"], trend["high"]
    return f"{trend['slope']:+.1f} {unit}/week (95 % interval {low:+.1f} to {high:+.1f})"


def _session_label(row: dict[str, Any]) -> str:
    """The activity's name, else its file name ('export.zip!activities/1.fit.gz' -> '1.fit.gz')."""
    path = str(row.get("path") or "")
    return str(row.get("name") or PurePath(path.partition("!")[2] or path).name or fmt.DASH)


def _sessions_by_sha(season: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["sha256"]: s for s in season.get("sessions") or []}


def _alert_view(
    alert: dict[str, Any], sessions: dict[str, dict[str, Any]], href: SessionHref
) -> dict[str, Any]:
    numbers = {k: v for k, v in (alert.get("numbers") or {}).items() if k != "runs"}
    runs = (alert.get("numbers") or {}).get("runs") or []
    links = []
    for sha in alert.get("sessions") or []:
        row = sessions.get(sha, {})
        links.append({"href": href(sha), "label": f"{row.get('date', '')} {_session_label(row)}"})
    return {
        "kind": alert["kind"],
        "severity": alert["severity"],
        "title": alert["title"],
        "week": alert["week"],
        "date": alert["date"],
        "rows": fmt.evidence_rows(numbers),
        "runs": [fmt.evidence_rows({k: v for k, v in r.items() if k != "sha256"}) for r in runs],
        "sessions": links,
        "rule": alert.get("rule") or "",
    }


def _session_row(row: dict[str, Any], href: SessionHref) -> dict[str, Any]:
    verdict = row.get("verdict")
    return {
        "sha": row["sha256"][:10],
        "href": href(row["sha256"]),
        "name": _session_label(row),
        "date": row["date"],
        "format": str(row.get("format") or "").upper(),
        "distance": fmt.distance(row.get("distance_m")),
        "cadence": fmt.spm(row.get("median_cadence_spm")),
        "at_ref": fmt.spm(row.get("cadence_at_ref_speed_spm")),
        "pace": fmt.pace(row.get("median_speed_mps")),
        "overstride": fmt.number(row.get("overstride_score"), 0),
        "verdict": run_verdict({"summary": {"verdict": verdict}, "findings": []})
        if verdict
        else None,
    }


def season_view(
    season: dict[str, Any], session_href: SessionHref, roster_href: str | None = None
) -> dict[str, Any]:
    athlete = season.get("athlete") or {}
    sessions = season.get("sessions") or []
    trend = season.get("trend") or {}
    weeks = season.get("weeks") or []
    progression = season.get("progression")
    by_sha = _sessions_by_sha(season)
    last_week = next((w for w in reversed(weeks) if w.get("cadence_at_ref_speed_spm")), None)
    return {
        "name": athlete.get("name") or "athlete",
        "athlete": athlete,
        "n_runs": len(sessions),
        "n_weeks": len(weeks),
        "first": sessions[0]["date"] if sessions else None,
        "last": sessions[-1]["date"] if sessions else None,
        "reference_pace": season.get("reference_pace") or fmt.DASH,
        "direction": DIRECTION_TEXT.get(trend.get("direction"), fmt.DASH),
        "direction_key": trend.get("direction") or "none",
        "cadence_slope": _slope_text(trend.get("cadence_at_ref_speed_spm_per_week"), "spm"),
        "contact_slope": _slope_text(trend.get("stance_time_ms_at_ref_speed_per_week"), "ms"),
        "raw_slope": _slope_text(trend.get("median_cadence_spm_per_week"), "spm"),
        "last_week": last_week,
        "import": season.get("import"),
        "figures": season_figures(season),
        "alerts": [
            _alert_view(a, by_sha, session_href) for a in reversed(season.get("alerts") or [])
        ],
        "progression": progression,
        "sessions": [_session_row(s, session_href) for s in reversed(sessions)],
        "symptoms": season.get("symptoms") or [],
        "undated": season.get("undated_sessions") or 0,
        "roster_href": roster_href,
    }


def roster_figure(seasons: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Each athlete's weekly cadence at their reference pace, one line each."""
    traces: list[pk.Trace] = []
    for season in seasons:
        rows = [w for w in season.get("weeks") or [] if w.get("cadence_at_ref_speed_spm")]
        if rows:
            traces.append(
                {
                    "type": "scatter",
                    "x": [w["week_start"] for w in rows],
                    "y": [w["cadence_at_ref_speed_spm"] for w in rows],
                    "mode": "lines+markers",
                    "name": str((season.get("athlete") or {}).get("name") or ""),
                    "marker": {"size": 5},
                    "hovertemplate": "%{x|%d %b %Y}: %{y:.0f} spm<extra>%{fullData.name}</extra>",
                }
            )
    if not traces:
        return None
    layout = pk.layout("cadence at reference pace (spm)", "week", height=300)
    caption = (
        "Each athlete's weekly cadence at their own reference pace, read off their own "
        "cadence-speed line (science §1.5)."
    )
    return pk.spec(
        "roster_cadence",
        "Cadence at the reference pace, by athlete",
        traces,
        layout,
        caption,
    )


def roster_view(
    roster: dict[str, Any], seasons: Sequence[dict[str, Any]], season_href: Callable[[str], str]
) -> dict[str, Any]:
    rows = []
    for entry in roster.get("athletes") or []:
        last = entry.get("last_session") or {}
        rows.append(
            {
                "rank": entry["rank"],
                "name": entry["athlete"],
                "href": season_href(str(entry["athlete"])),
                "points": entry["points"],
                "reasons": entry["reasons"],
                "last_date": last.get("date") or fmt.DASH,
                "last_name": _session_label(last) if last else fmt.DASH,
                "last_verdict": run_verdict({"summary": {"verdict": last.get("verdict")}})
                if last.get("verdict")
                else None,
                "sessions": entry["sessions"],
                "trend": entry["trend"],
                "step": entry.get("progression_step_pct"),
            }
        )
    return {"rows": rows, "figure": roster_figure(seasons), "rules": roster.get("rules") or {}}


def season_page(
    season: dict[str, Any],
    session_href: SessionHref,
    *,
    roster_href: str | None = None,
    plotly_src: str | None = None,
) -> str:
    """The season page's HTML; with ``plotly_src`` it loads that shared plotly.js."""
    from footfall.report.html import render_page

    view = season_view(season, session_href, roster_href)
    return render_page(
        "season.html",
        has_plots=bool(view["figures"]),
        plotly_src=plotly_src,
        s=view,
        title=f"{view['name']}: season · footfall",
    )


def roster_page(
    roster: dict[str, Any],
    seasons: Sequence[dict[str, Any]],
    season_href: Callable[[str], str],
    *,
    plotly_src: str | None = None,
) -> str:
    """The coach's roster page."""
    from footfall.report.html import render_page

    view = roster_view(roster, seasons, season_href)
    return render_page(
        "roster.html",
        has_plots=view["figure"] is not None,
        plotly_src=plotly_src,
        r=view,
        title="footfall roster",
    )
