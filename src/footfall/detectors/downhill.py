"""Downhill share (science §6.5): downhill running brings braking, overstride-like
mechanics (Vernillo 2017); a run with much of it explains form numbers and foot load."""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import Context, has_channels
from footfall.model import Finding, running
from footfall.series.segments import grade

NAME: str = "downhill"
NEEDS: tuple[str, ...] = ("altitude_m", "distance_m")
KIND: str = "context"
PRIORITY: int = 5  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

DOWNHILL_GRADE = -0.04  # science §6.5: grade <= -4 %
MIN_SHARE = 0.20  # science §6.5: > 20 % of running time
#: five minutes of running with a known grade before a share is judged [heuristic]
MIN_KNOWN_S = 300
STEEP = f"{100 * DOWNHILL_GRADE:g}"
RULE = (
    f"> {MIN_SHARE:.0%} of running time at grade <= {100 * DOWNHILL_GRADE:g}% "
    "(science §6.5, grade C)"
)


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS) or "state" not in series.columns or ctx.activity.treadmill:
        return []
    g = grade(series)
    if g is None:
        return []
    run = running(series)
    known = run & np.isfinite(g)
    if known.sum() < MIN_KNOWN_S:
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
            title=f"Much downhill: {100 * share:.0f}% of running at {STEEP}% or steeper",
            explanation=(
                f"{100 * share:.0f}% of your running was downhill at a grade of {STEEP}% or "
                "steeper. "
                "Downhill running brings longer, braking steps; keep downhill steps short and "
                "quick, and judge cadence on the flat."
            ),
            evidence={
                "downhill_share_pct": round(100 * share, 1),
                "grade_threshold_pct": 100 * DOWNHILL_GRADE,
            },
            rule=RULE,
            basis="altitude",
            references=["Vernillo 2017"],
        )
    ]
