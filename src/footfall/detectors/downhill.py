"""Downhill share (science §6.5): downhill running brings braking, overstride-like
mechanics (Vernillo 2017); a run with much of it explains form numbers and foot load."""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import Context, has_channels
from footfall.model import Finding
from footfall.series.segments import grade

NAME: str = "downhill"
NEEDS: tuple[str, ...] = ("altitude_m", "distance_m")
KIND: str = "context"
PRIORITY: int = 5  # rank among equal severities, form first [heuristic]

DOWNHILL_GRADE = -0.04  # science §6.5: grade <= -4 %
MIN_SHARE = 0.20  # science §6.5: > 20 % of running time


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS) or "state" not in series.columns or ctx.activity.treadmill:
        return []
    g = grade(series)
    if g is None:
        return []
    running = series["state"].to_numpy() == "run"
    known = running & np.isfinite(g)
    if known.sum() < 300:
        return []
    down = known & (g <= DOWNHILL_GRADE)
    share = float(down.sum()) / float(known.sum())
    if share <= MIN_SHARE:
        return []
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="medium",
            title=f"Much downhill: {100 * share:.0f}% of running at -4% or steeper",
            explanation=(
                f"{100 * share:.0f}% of your running was downhill at a grade of -4% or steeper. "
                "Downhill running brings longer, braking steps; keep downhill steps short and "
                "quick, and judge cadence on the flat."
            ),
            evidence={"downhill_share_pct": round(100 * share, 1), "grade_threshold_pct": -4.0},
            rule="> 20% of running time at grade <= -4% (science §6.5, grade C)",
            basis="altitude",
            references=["Vernillo 2017"],
        )
    ]
