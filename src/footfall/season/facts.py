"""What the season needs from one stored analysis dict: small, flat facts about one run.

A season reads hundreds of analysis JSON dicts (docs/analysis-json.md) one at a time and
keeps only these facts (a few numbers and the steady segments as arrays), so its memory does
not grow with the size of each analysis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from footfall.duplicates import start_time


def iso_week(day: date) -> str:
    """2026-05-01 -> '2026-W18' (ISO 8601 week)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def _number(value: Any) -> float | None:
    """A finite number as a float, else None (bools, text, NaN and infinities)."""
    number = _plain(value)
    # math, not numpy: a season calls this for numbers of every run, and np.isfinite on a
    # Python float costs about twenty times more
    return number if math.isfinite(number) else None


def _plain(value: Any) -> float:
    """A number as a float (numpy's float64 too), anything else (a bool, text, None) as NaN:
    the rule of :func:`_number`, in the shape the segment arrays need."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    return float(value)


def _median(summary: dict[str, Any], key: str) -> float | None:
    stats = summary.get(key)
    return _number(stats.get("median")) if isinstance(stats, dict) else None


@dataclass
class RunFacts:
    """One run of the season. Segment arrays hold its steady, non-interval windows
    (science §3.5): speed (m/s), cadence (spm), length (s), contact time (ms, NaN where
    absent) and heart rate (bpm, NaN where absent)."""

    sha256: str
    start: datetime
    path: str = ""
    name: str | None = None
    format: str = ""
    running_time_s: float = 0.0
    distance_m: float | None = None
    median_cadence_spm: float | None = None
    time_below_target_pct: float | None = None
    overstride_score: float | None = None
    drift_pct: float | None = None  # change of R, last vs first steady quarter (§6.5)
    drift_speed_matched: bool = False
    cadence_block: bool = False  # the run's plan warrants a cadence block (science §1.5)
    verdict: dict[str, Any] | None = None
    speed: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cadence: np.ndarray = field(default_factory=lambda: np.zeros(0))
    seconds: np.ndarray = field(default_factory=lambda: np.zeros(0))
    stance_ms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    heart_rate: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def week(self) -> str:
        return iso_week(self.day)

    @property
    def monday(self) -> date:
        return week_start(self.day)

    @property
    def steady_s(self) -> float:
        return float(self.seconds.sum())

    def median_steady_speed(self) -> float | None:
        return weighted_median(self.speed, self.seconds)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float | None:
    """The value below which half the weight lies (NaN values left out), or None."""
    keep = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
    if not keep.any():
        return None
    v, w = values[keep], weights[keep]
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cumulative = np.cumsum(w)
    return float(v[int(np.searchsorted(cumulative, cumulative[-1] / 2.0))])


def _segments(analysis: dict[str, Any]) -> dict[str, np.ndarray]:
    """The steady, non-interval segments with a speed and a cadence, as arrays: what
    :func:`_number` accepts, else NaN (and 0 counts as unknown, as in the analysis)."""
    rows = [s for s in analysis.get("segments") or [] if isinstance(s, dict)]
    keys = ("speed_mps", "cadence_spm", "stance_time_ms", "heart_rate_bpm", "start_s", "end_s")
    # one pass per key over the rows; infinities are unknown, like NaN
    values = {k: np.array([_plain(s.get(k)) for s in rows], dtype=float) for k in keys}
    for array in values.values():
        array[~np.isfinite(array)] = np.nan
    interval = np.array([bool(s.get("interval")) for s in rows], dtype=bool)
    keep = ~interval & np.isfinite(values["speed_mps"]) & np.isfinite(values["cadence_spm"])

    def column(key: str) -> np.ndarray:
        kept = values[key][keep]
        kept[kept == 0] = np.nan
        return kept

    start, end = (np.nan_to_num(values[k][keep], nan=0.0) for k in ("start_s", "end_s"))
    return {
        "speed": column("speed_mps"),
        "cadence": column("cadence_spm"),
        "seconds": np.clip(end - start, 0.0, None),
        "stance_ms": column("stance_time_ms"),
        "heart_rate": column("heart_rate_bpm"),
    }


def _finding(analysis: dict[str, Any], detector: str) -> dict[str, Any]:
    for finding in analysis.get("findings") or []:
        if isinstance(finding, dict) and finding.get("detector") == detector:
            return finding
    return {}


def run_facts(analysis: dict[str, Any], sha256: str, path: str = "") -> RunFacts | None:
    """The facts of one analysis dict; None for a run without a start time (it cannot be
    placed in a week)."""
    start = start_time(analysis)
    if start is None:
        return None
    summary = analysis.get("summary") or {}
    source = analysis.get("source") or {}
    drift = (analysis.get("metrics") or {}).get("drift") or {}
    step = (analysis.get("plan") or {}).get("next_step") or {}
    overstride = (_finding(analysis, "overstride").get("evidence") or {}).get("score")
    return RunFacts(
        sha256=sha256,
        start=start,
        path=path or str(source.get("path") or ""),
        name=source.get("name"),
        format=str(source.get("format") or ""),
        running_time_s=_number(summary.get("running_time_s")) or 0.0,
        distance_m=_number(summary.get("distance_m")),
        median_cadence_spm=_median(summary, "cadence_spm"),
        time_below_target_pct=_number(summary.get("time_below_target_pct")),
        overstride_score=_number(overstride),
        drift_pct=_number(drift.get("ratio_change_pct")),
        drift_speed_matched=bool(drift.get("speed_matched")),
        cadence_block=bool(step.get("warranted")),
        verdict=summary.get("verdict") if isinstance(summary.get("verdict"), dict) else None,
        **_segments(analysis),
    )
