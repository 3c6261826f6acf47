"""The season's direction: a robust slope of the weekly values per week, with its interval.

Theil-Sen (the median of pairwise slopes; Theil 1950, Sen 1968) over the weekly cadence at
the reference speed, x in calendar weeks so that a week off counts as a week. The 95 %
interval is Sen's: the order statistics of the pairwise slopes either side of the median,
``(N ∓ z·sqrt(n(n−1)(2n+5)/18)) / 2`` (Kendall's S variance, no ties). The trend covers the
last 12 calendar weeks of the athlete's season: a block and its follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

#: the weeks the trend looks back over, from the athlete's latest week [heuristic: a 6-week
#: block of science §1.5 and as long again to see whether it held]
TREND_WEEKS = 12
#: fewer weekly values than this give no direction [heuristic: 3 points give one interval
#: of 3 slopes, which says nothing]
MIN_TREND_WEEKS = 4
Z_95 = 1.959964  # the two-sided 95 % normal quantile [heuristic: the usual level]
#: slopes smaller than these are "steady" even when the interval excludes zero: a quarter
#: of a step a week is 3 spm over 12 weeks, the ±3 spm band of science §1.5 step 5
MEANINGFUL_SPM_PER_WEEK = 0.25
#: contact time: 1 ms a week is 12 ms over 12 weeks, less than half a Garmin band (§2.3)
MEANINGFUL_MS_PER_WEEK = 1.0


def sen_slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Theil-Sen slope and its 95 % interval (low, high)."""
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    slopes = np.sort((y[j] - y[i])[keep] / dx[keep])
    n, pairs = len(x), slopes.size
    spread = Z_95 * math.sqrt(n * (n - 1) * (2 * n + 5) / 18.0)
    # the order statistics as scipy.stats.theilslopes takes them (no ties in x: weeks)
    lo = max(0, round((pairs - spread) / 2.0) - 1)
    hi = min(pairs - 1, round((pairs + spread) / 2.0))
    return float(np.median(slopes)), float(slopes[lo]), float(slopes[hi])


def weekly_slope(
    rows: Sequence[dict[str, Any]], key: str, meaningful: float, higher_is_better: bool
) -> dict[str, Any] | None:
    """``{slope, low, high, weeks, from_week, to_week, direction}`` of one weekly column over
    the last TREND_WEEKS weeks, or None with fewer than MIN_TREND_WEEKS values."""
    if not rows:
        return None
    last = date.fromisoformat(str(rows[-1]["week_start"]))
    points = []
    for row in rows:
        value = row.get(key)
        monday = date.fromisoformat(str(row["week_start"]))
        weeks_back = (last - monday).days / 7.0
        if value is not None and weeks_back < TREND_WEEKS:
            points.append((-weeks_back, float(value), str(row["week"])))
    if len(points) < MIN_TREND_WEEKS:
        return None
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    slope, low, high = sen_slope(x, y)
    return {
        "slope": round(slope, 2),
        "low": round(low, 2),
        "high": round(high, 2),
        "weeks": len(points),
        "from_week": points[0][2],
        "to_week": points[-1][2],
        "direction": direction(slope, low, high, meaningful, higher_is_better),
    }


def direction(
    slope: float, low: float, high: float, meaningful: float, higher_is_better: bool
) -> str:
    """improving, steady or worsening: the interval must exclude zero and the slope be
    meaningful."""
    rising = low > 0 and slope >= meaningful
    falling = high < 0 and slope <= -meaningful
    if not (rising or falling):
        return "steady"
    return "improving" if rising == higher_is_better else "worsening"


def season_trend(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ``trend`` object of the season JSON."""
    cadence = weekly_slope(rows, "cadence_at_ref_speed_spm", MEANINGFUL_SPM_PER_WEEK, True)
    contact = weekly_slope(rows, "stance_time_ms_at_ref_speed", MEANINGFUL_MS_PER_WEEK, False)
    raw = weekly_slope(rows, "median_cadence_spm", MEANINGFUL_SPM_PER_WEEK, True)
    return {
        "cadence_at_ref_speed_spm_per_week": cadence,
        "stance_time_ms_at_ref_speed_per_week": contact,
        "median_cadence_spm_per_week": raw,
        "direction": cadence["direction"] if cadence else None,
        "method": "Theil-Sen slope over weekly values, Sen's 95 % interval; last "
        f"{TREND_WEEKS} weeks",
    }
