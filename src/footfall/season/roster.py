"""The coach's roster: athletes ranked by what needs attention (schema ``footfall.roster/1``).

Each athlete earns points, and each point has its reason: alerts in the last 14 days of
their own season (by severity), numbness logged in those 14 days, a worsening trend, low
adherence to a running cadence block. The roster lists athletes by points, most first; ties
by the most recent alert, then by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

ROSTER_SCHEMA = "footfall.roster/1"
#: "the last 14 days of their own season": counted back from the athlete's latest run
#: [heuristic: two weeks, the length of one step of science §1.5]
RECENT_DAYS = 14
ALERT_POINTS = {"watch": 1, "warning": 2, "alert": 3}
NUMBNESS_POINTS = 3  # [heuristic] numbness is what the coach is for: above any one warning
WORSENING_POINTS = 2  # [heuristic] as a warning
LOW_ADHERENCE_POINTS = 1  # [heuristic] as a watch
#: adherence below this is low: science §1.5 step 5 steps back under 50 %
LOW_ADHERENCE_PCT = 50.0
ARROWS = {"improving": "↑", "steady": "→", "worsening": "↓", None: "·"}


def _last_day(season: dict[str, Any]) -> date | None:
    weeks = season.get("sessions") or []
    days = [date.fromisoformat(s["date"]) for s in weeks if s.get("date")]
    return max(days) if days else None


def attention(season: dict[str, Any]) -> dict[str, Any]:
    """One athlete's roster entry: points, reasons, last session, trend arrows."""
    last = _last_day(season)
    reasons: list[dict[str, Any]] = []
    since = (last - timedelta(days=RECENT_DAYS - 1)) if last else None
    recent_alerts = [
        a
        for a in season.get("alerts") or []
        if since is not None and date.fromisoformat(a["date"]) >= since
    ]
    for alert in recent_alerts:
        if alert["kind"] == "numbness":
            reasons.append(
                {
                    "kind": "numbness",
                    "date": alert["date"],
                    "points": NUMBNESS_POINTS + ALERT_POINTS.get(alert["severity"], 0),
                    "text": alert["title"],
                }
            )
        else:
            reasons.append(
                {
                    "kind": alert["kind"],
                    "date": alert["date"],
                    "points": ALERT_POINTS.get(alert["severity"], 0),
                    "text": alert["title"],
                }
            )
    trend = season.get("trend") or {}
    if trend.get("direction") == "worsening":
        slope = (trend.get("cadence_at_ref_speed_spm_per_week") or {}).get("slope")
        reasons.append(
            {
                "kind": "worsening_trend",
                "date": None,
                "points": WORSENING_POINTS,
                "text": f"cadence at the reference speed falling {slope} spm a week",
            }
        )
    weekly = (season.get("progression") or {}).get("weekly") or []
    judged = [w for w in weekly if w.get("adherence_pct") is not None]
    if judged and judged[-1]["adherence_pct"] < LOW_ADHERENCE_PCT:
        reasons.append(
            {
                "kind": "low_adherence",
                "date": None,
                "points": LOW_ADHERENCE_POINTS,
                "text": f"{judged[-1]['adherence_pct']:.0f} % of steady time on target "
                f"in {judged[-1]['week']}",
            }
        )
    sessions = season.get("sessions") or []
    latest = sessions[-1] if sessions else None
    contact = (trend.get("stance_time_ms_at_ref_speed_per_week") or {}).get("direction")
    athlete = season.get("athlete") or {}
    return {
        "athlete": athlete.get("name"),
        "points": sum(r["points"] for r in reasons),
        "reasons": reasons,
        "last_session": latest,
        "sessions": len(sessions),
        "trend": {
            "cadence": trend.get("direction"),
            "cadence_arrow": ARROWS.get(trend.get("direction"), "·"),
            "contact_time": contact,
            "contact_time_arrow": ARROWS.get(contact, "·"),
        },
        "progression_step_pct": ((season.get("progression") or {}).get("current_step") or {}).get(
            "pct"
        ),
        "latest_alert_date": max((r["date"] for r in reasons if r["date"]), default=None),
    }


def rank(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most points first; ties: the most recent alert first, then by name."""
    ordered = sorted(entries, key=lambda e: str(e["athlete"]).lower())
    ordered = sorted(ordered, key=lambda e: e["latest_alert_date"] or "", reverse=True)
    ordered = sorted(ordered, key=lambda e: e["points"], reverse=True)
    return [{**e, "rank": k + 1} for k, e in enumerate(ordered)]


def roster(seasons: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The roster JSON over athletes' season dicts."""
    return {
        "schema": ROSTER_SCHEMA,
        "rules": {
            "recent_days": RECENT_DAYS,
            "alert_points": ALERT_POINTS,
            "numbness_points": NUMBNESS_POINTS,
            "worsening_points": WORSENING_POINTS,
            "low_adherence_points": LOW_ADHERENCE_POINTS,
            "low_adherence_pct": LOW_ADHERENCE_PCT,
        },
        "athletes": rank([attention(s) for s in seasons]),
    }
