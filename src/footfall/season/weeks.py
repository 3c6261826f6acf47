"""One row per ISO week: volume, raw median cadence, and cadence at the reference speed.

The raw median rises on a fast week and falls on an easy one; the cadence at the reference
speed does not, because each steady segment is first moved along the athlete's own
cadence-speed line B(v) (science §1.5, fitted over the 4 weeks that end with the week) to the
reference speed: ``c + B(v_ref) − B(v)``. The week's value is the time-weighted median of
those. Contact time at the reference speed is read the same way off the athlete's own contact
time-speed line, where the files carry contact time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from footfall.season.baseline import (
    BASELINE_WEEKS,
    Line,
    at_speed,
    baseline,
    contact_line,
)
from footfall.season.facts import RunFacts, iso_week, weighted_median


@dataclass
class Week:
    """One ISO week of the season and the lines its values were read from."""

    monday: date
    runs: list[RunFacts]
    line: Line
    contact: Line | None
    row: dict[str, object] = field(default_factory=dict)
    #: per run of the week: its cadence at the reference speed
    run_cadence_at_ref: dict[str, float] = field(default_factory=dict)


def _weighted_mean(pairs: list[tuple[float | None, float]]) -> float | None:
    usable = [(v, w) for v, w in pairs if v is not None and w > 0]
    if not usable:
        return None
    total = sum(w for _, w in usable)
    return sum(v * w for v, w in usable) / total


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def reference_speed(runs: Sequence[RunFacts]) -> float | None:
    """The athlete's easy speed: time-weighted median speed of the season's steady,
    non-interval segments [heuristic: the usual pace, science §1.5 step 7]."""
    if not runs:
        return None
    speed = np.concatenate([r.speed for r in runs]) if runs else np.zeros(0)
    seconds = np.concatenate([r.seconds for r in runs]) if runs else np.zeros(0)
    value = weighted_median(speed, seconds)
    return None if value is None else round(value, 2)


def build_weeks(runs: Sequence[RunFacts], v_ref: float | None) -> list[Week]:
    """The season's weeks that hold at least one run, oldest first (``runs`` sorted by start)."""
    by_week: dict[date, list[RunFacts]] = {}
    for run in runs:
        by_week.setdefault(run.monday, []).append(run)
    weeks: list[Week] = []
    speed = v_ref if v_ref is not None else 3.0
    for monday in sorted(by_week):
        first = monday - timedelta(weeks=BASELINE_WEEKS - 1)
        window = [r for m, rs in by_week.items() if first <= m <= monday for r in rs]
        week = Week(monday, by_week[monday], baseline(window, speed), contact_line(window, speed))
        week.row = _row(week, speed, v_ref is not None)
        weeks.append(week)
    return weeks


def _row(week: Week, v_ref: float, has_speed: bool) -> dict[str, object]:
    runs = week.runs
    cadence_parts, stance_parts = [], []
    for run in runs:
        if run.cadence.size and has_speed:
            moved = at_speed(run.cadence, run.speed, week.line, v_ref)
            cadence_parts.append((moved, run.seconds))
            value = weighted_median(moved, run.seconds)
            if value is not None:
                week.run_cadence_at_ref[run.sha256] = round(value, 1)
        stance = np.isfinite(run.stance_ms)
        if stance.any() and has_speed:
            moved = at_speed(run.stance_ms[stance], run.speed[stance], week.contact, v_ref)
            stance_parts.append((moved, run.seconds[stance]))

    def median_of(parts: list[tuple[np.ndarray, np.ndarray]]) -> float | None:
        if not parts:
            return None
        return weighted_median(
            np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        )

    running = [(r.running_time_s) for r in runs]
    distances = [r.distance_m for r in runs if r.distance_m is not None]
    return {
        "week": iso_week(week.monday),
        "week_start": week.monday.isoformat(),
        "runs": len(runs),
        "running_time_s": round(sum(running)),
        "distance_m": round(sum(distances), 1) if distances else None,
        "median_cadence_spm": _rounded(
            weighted_median(
                np.array([r.median_cadence_spm or np.nan for r in runs], dtype=float),
                np.array(running, dtype=float),
            )
        ),
        "cadence_at_ref_speed_spm": _rounded(median_of(cadence_parts)),
        "baseline": week.line.kind,
        "baseline_slope_spm_per_mps": _rounded(week.line.b1, 2),
        "time_below_target_pct": _rounded(
            _weighted_mean([(r.time_below_target_pct, r.running_time_s) for r in runs])
        ),
        "overstride_score": _rounded(
            _weighted_mean([(r.overstride_score, r.running_time_s) for r in runs])
        ),
        "stance_time_ms_at_ref_speed": _rounded(median_of(stance_parts)),
    }
