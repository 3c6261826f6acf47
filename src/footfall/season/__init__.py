"""A season over stored sessions (schema ``footfall.season/1``, docs/season-json.md).

Pure functions over analysis dicts: the store reads them, this package turns them into weeks,
a trend at the reference speed, alerts, the progressive target of science §1.5 and the
roster's ranking. Nothing here reads files or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from footfall.config import Profile
from footfall.reference import pace_text
from footfall.season.alerts import season_alerts
from footfall.season.facts import RunFacts, run_facts
from footfall.season.progression import season_progression
from footfall.season.trend import season_trend
from footfall.season.weeks import build_weeks, reference_speed

SEASON_SCHEMA = "footfall.season/1"

__all__ = ["SEASON_SCHEMA", "RunFacts", "run_facts", "season_analysis"]


def _session_row(run: RunFacts, at_ref: dict[str, float]) -> dict[str, Any]:
    return {
        "sha256": run.sha256,
        "date": run.day.isoformat(),
        "week": run.week,
        "start_time": run.start.isoformat(),
        "name": run.name,
        "path": run.path,
        "format": run.format,
        "distance_m": run.distance_m,
        "running_time_s": run.running_time_s,
        "median_cadence_spm": run.median_cadence_spm,
        "median_speed_mps": None if (v := run.median_steady_speed()) is None else round(v, 2),
        "cadence_at_ref_speed_spm": at_ref.get(run.sha256),
        "overstride_score": run.overstride_score,
        "time_below_target_pct": run.time_below_target_pct,
        "drift_pct": run.drift_pct,
        "verdict": run.verdict,
    }


def season_analysis(
    athlete: dict[str, Any],
    analyses: Iterable[tuple[str, str, dict[str, Any]]],
    symptoms: Sequence[dict[str, Any]] = (),
    import_report: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The season JSON of one athlete.

    ``athlete`` is the store's athlete dict (name, height_cm, target_cadence_spm,
    knee_or_shin_history...); ``analyses`` yields (sha256, path, analysis dict) one at a time
    and only their facts are kept; ``symptoms`` are the logged entries (date, side, onset_s,
    note); ``import_report`` what the command that asked did, if it imported.
    """
    undated = 0
    runs: list[RunFacts] = []
    for sha, path, analysis in analyses:
        facts = run_facts(analysis, sha, path)
        if facts is None:
            undated += 1
        else:
            runs.append(facts)
    runs.sort(key=lambda r: (r.start, r.sha256))
    v_ref = reference_speed(runs)
    weeks = build_weeks(runs, v_ref)
    at_ref = {sha: v for w in weeks for sha, v in w.run_cadence_at_ref.items()}
    profile = Profile(
        name=athlete.get("name"),
        height_cm=athlete.get("height_cm"),
        target_cadence_spm=float(athlete.get("target_cadence_spm") or 180.0),
        knee_or_shin_history=bool(athlete.get("knee_or_shin_history")),
    )
    rows = [w.row for w in weeks]
    return {
        "schema": SEASON_SCHEMA,
        "athlete": athlete,
        "import": import_report,
        "reference_speed_mps": v_ref,
        "reference_pace": pace_text(v_ref) if v_ref else None,
        "baseline": weeks[-1].line.to_dict() if weeks else None,
        "sessions": [_session_row(r, at_ref) for r in runs],
        "undated_sessions": undated,
        "weeks": rows,
        "trend": season_trend(rows),
        "alerts": season_alerts(runs, weeks, symptoms),
        "progression": season_progression(weeks, profile, v_ref, symptoms),
        "symptoms": list(symptoms),
    }
