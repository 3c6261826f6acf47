"""Season alerts, each with its week, the numbers behind it and the sessions it rests on.

- ``session_spike``: a run more than 10 % longer than the longest of the previous 30 days
  (science §6.5, Frandsen 2025; bands 10-30 %, 30-100 %, over 100 %).
- ``weekly_progression``: a week's distance above 1.30 × the week before (§6.5, Nielsen 2014).
- ``recurring_drift``: late-run form drift (R falls ≥ 3 % at matched speed, §6.5) in 3 of
  the last 5 runs that could be measured [heuristic: once is a bad day, three times a habit].
- ``cadence_fallback``: the weekly cadence at the reference speed rose at least 3 spm and then
  lost at least 3 spm of it (the ±3 spm band of §1.5 step 5).
- ``numbness``: each logged numbness entry with the form metrics of that day's runs; both
  feet is a red flag (§4.3). ``numbness_timing``: onsets that keep falling 10-20 min into
  runs (§6.5, exertional causes: suggest a clinician review).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from footfall.coaching.symptoms import CECS_WINDOW_S
from footfall.season.facts import RunFacts, iso_week
from footfall.season.weeks import Week

SPIKE_LOOKBACK_DAYS = 30  # science §6.5
SPIKE_RATIO = 1.10  # science §6.5, Frandsen 2025
#: Frandsen 2025 hazard bands of the excess: 10-30 %, 30-100 %, over 100 % (science §6.5)
SPIKE_BANDS = (
    (1.0, "alert", "over 100 %"),
    (0.30, "warning", "30-100 %"),
    (0.10, "watch", "10-30 %"),
)
WEEKLY_RATIO = 1.30  # science §6.5, Nielsen 2014
DRIFT_PCT = -3.0  # science §6.5: R falls at least 3 %
DRIFT_WINDOW_RUNS = 5  # [heuristic] see the module docstring
DRIFT_MIN_RUNS = 3  # [heuristic]
FALLBACK_SPM = 3.0  # science §1.5 step 5: the ±3 spm band
FALLBACK_SMOOTH_WEEKS = 2  # [heuristic] two-week medians, so one odd week does not alert
TIMING_MIN_ENTRIES = 3  # [heuristic] "a consistent time": at least three onsets


def _alert(
    kind: str,
    day: date,
    severity: str,
    title: str,
    numbers: dict[str, Any],
    sessions: list[str],
    rule: str,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "week": iso_week(day),
        "date": day.isoformat(),
        "severity": severity,
        "title": title,
        "numbers": numbers,
        "sessions": sessions,
        "rule": rule,
    }


def session_spikes(runs: Sequence[RunFacts]) -> list[dict[str, Any]]:
    out = []
    for k, run in enumerate(runs):
        if run.distance_m is None:
            continue
        since = run.start - timedelta(days=SPIKE_LOOKBACK_DAYS)
        before = [r.distance_m for r in runs[:k] if r.start >= since and r.distance_m]
        if not before or run.distance_m <= SPIKE_RATIO * max(before):
            continue
        longest = max(before)
        excess = run.distance_m / longest - 1.0
        severity, band = next((s, b) for edge, s, b in SPIKE_BANDS if excess > edge)
        out.append(
            _alert(
                "session_spike",
                run.day,
                severity,
                f"A run {excess:.0%} longer than your longest of the previous 30 days",
                {
                    "distance_m": round(run.distance_m, 1),
                    "longest_previous_30_days_m": round(longest, 1),
                    "excess_pct": round(100 * excess, 1),
                    "band": band,
                },
                [run.sha256],
                "distance > 1.10 × the longest run of the previous 30 days (science §6.5)",
            )
        )
    return out


def weekly_progressions(weeks: Sequence[Week]) -> list[dict[str, Any]]:
    out = []
    for before, week in itertools.pairwise(weeks):
        previous, now = before.row.get("distance_m"), week.row.get("distance_m")
        if week.monday - before.monday != timedelta(weeks=1) or not previous or not now:
            continue
        ratio = float(now) / float(previous)  # type: ignore[arg-type]
        if ratio > WEEKLY_RATIO:
            out.append(
                _alert(
                    "weekly_progression",
                    week.monday,
                    "warning",
                    f"Weekly distance up {ratio - 1:.0%} on the week before",
                    {
                        "distance_m": now,
                        "previous_week_distance_m": previous,
                        "ratio": round(ratio, 2),
                    },
                    [r.sha256 for r in week.runs],
                    "7-day distance > 1.30 × the previous 7 days (science §6.5)",
                )
            )
    return out


def recurring_drift(runs: Sequence[RunFacts]) -> list[dict[str, Any]]:
    measured = [r for r in runs if r.drift_pct is not None and r.drift_speed_matched]
    out, active = [], False
    for k in range(len(measured)):
        recent = measured[max(0, k - DRIFT_WINDOW_RUNS + 1) : k + 1]
        drifting = [r for r in recent if (r.drift_pct or 0.0) <= DRIFT_PCT]
        now = len(drifting) >= DRIFT_MIN_RUNS
        if now and not active:
            run = measured[k]
            out.append(
                _alert(
                    "recurring_drift",
                    run.day,
                    "warning",
                    f"Late-run form drift in {len(drifting)} of your last {len(recent)} runs",
                    {
                        "runs_with_drift": len(drifting),
                        "runs_measured": len(recent),
                        "median_ratio_change_pct": round(
                            float(np.median([r.drift_pct for r in drifting])), 1
                        ),
                    },
                    [r.sha256 for r in drifting],
                    "R falls ≥ 3 % from the first to the last quarter of steady running at "
                    "matched speed (science §6.5), in 3 of the last 5 runs [heuristic]",
                )
            )
        active = now
    return out


def cadence_fallbacks(weeks: Sequence[Week]) -> list[dict[str, Any]]:
    values = [(w, w.row.get("cadence_at_ref_speed_spm")) for w in weeks]
    dated = [(w, float(v)) for w, v in values if v is not None]  # type: ignore[arg-type]
    if len(dated) < 2 * FALLBACK_SMOOTH_WEEKS:
        return []
    smooth = [
        (
            dated[k][0],
            float(np.median([v for _, v in dated[k - FALLBACK_SMOOTH_WEEKS + 1 : k + 1]])),
        )
        for k in range(FALLBACK_SMOOTH_WEEKS - 1, len(dated))
    ]
    start = smooth[0][1]
    peak_week, peak = smooth[0]
    out, alerted = [], False
    for week, value in smooth[1:]:
        if value > peak:
            peak_week, peak, alerted = week, value, False
        gained, lost = peak - start, peak - value
        if gained >= FALLBACK_SPM and lost >= FALLBACK_SPM and not alerted:
            alerted = True
            out.append(
                _alert(
                    "cadence_fallback",
                    week.monday,
                    "watch",
                    f"Cadence at your reference speed fell back {lost:.0f} spm from its peak",
                    {
                        "start_spm": round(start, 1),
                        "peak_spm": round(peak, 1),
                        "peak_week": iso_week(peak_week.monday),
                        "now_spm": round(value, 1),
                        "lost_spm": round(lost, 1),
                    },
                    [r.sha256 for r in week.runs],
                    "two-week median at the reference speed rose ≥ 3 spm, then lost ≥ 3 spm "
                    "(the ±3 spm band of science §1.5)",
                )
            )
    return out


def numbness(
    runs: Sequence[RunFacts], weeks: Sequence[Week], symptoms: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    at_ref = {sha: v for w in weeks for sha, v in w.run_cadence_at_ref.items()}
    out = []
    for entry in symptoms:
        day = date.fromisoformat(str(entry["date"]))
        that_day = [r for r in runs if r.day == day]
        side = str(entry["side"])
        onset = entry.get("onset_s")
        numbers: dict[str, Any] = {
            "side": side,
            "onset_min": None if onset is None else round(onset / 60.0, 1),
            "note": entry.get("note"),
            "runs": [
                {
                    "sha256": r.sha256,
                    "median_cadence_spm": r.median_cadence_spm,
                    "cadence_at_ref_speed_spm": at_ref.get(r.sha256),
                    "overstride_score": r.overstride_score,
                    "drift_pct": r.drift_pct,
                    "time_below_target_pct": r.time_below_target_pct,
                    "distance_m": r.distance_m,
                    "running_time_s": r.running_time_s,
                }
                for r in that_day
            ],
        }
        both = side == "both"
        title = (
            "Numbness in both feet: a red flag, see a clinician before more cadence work"
            if both
            else f"Numbness logged ({side} foot)"
        )
        if not that_day:
            title += "; no run is stored for that day"
        out.append(
            _alert(
                "numbness",
                day,
                "alert" if both else "warning",
                title,
                numbers,
                [r.sha256 for r in that_day],
                "logged numbness, with the form of that day's runs (science §4.2); both feet "
                "is a red flag (science §4.3)",
            )
        )
    return out + numbness_timing(symptoms)


def numbness_timing(symptoms: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    lo, hi = CECS_WINDOW_S
    inside = [s for s in symptoms if s.get("onset_s") is not None and lo <= s["onset_s"] <= hi]
    timed = [s for s in symptoms if s.get("onset_s") is not None]
    if len(inside) < TIMING_MIN_ENTRIES or len(inside) < len(timed) / 2:
        return []
    last = max(date.fromisoformat(str(s["date"])) for s in inside)
    return [
        _alert(
            "numbness_timing",
            last,
            "warning",
            "Numbness keeps starting 10-20 minutes into runs: ask a clinician about "
            "exertional causes",
            {"entries_10_20_min": len(inside), "entries_with_onset": len(timed)},
            [],
            "onsets at a consistent 10-20 min into runs (science §6.5)",
        )
    ]


def season_alerts(
    runs: Sequence[RunFacts], weeks: Sequence[Week], symptoms: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every alert of the season, oldest first."""
    found = [
        *session_spikes(runs),
        *weekly_progressions(weeks),
        *recurring_drift(runs),
        *cadence_fallbacks(weeks),
        *numbness(runs, weeks, symptoms),
    ]
    return sorted(found, key=lambda a: (a["date"], a["kind"]))
