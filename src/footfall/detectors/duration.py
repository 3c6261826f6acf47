"""Long duration (science §6.5): runs over 90 minutes change foot shape (Fukano & Iso 2016:
dorsal and navicular height fall after 35 km), so laces set at the start no longer fit."""

from __future__ import annotations

import pandas as pd

from footfall.detectors.base import Context, clock
from footfall.model import Finding, moving

NAME: str = "duration"
NEEDS: tuple[str, ...] = ()
KIND: str = "context"
PRIORITY: int = 6  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

LONG_RUN_S = 90 * 60  # science §6.5: > 90 min (or the runner's 90th percentile)
RULE = f"moving time > {LONG_RUN_S // 60} min (science §6.5, grade C)"


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if "state" not in series.columns or series.empty:
        return []
    moving_s = int(moving(series).sum())
    if moving_s <= LONG_RUN_S:
        return []
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="high",
            title=f"A long run: {clock(moving_s)} on your feet",
            explanation=(
                f"You were moving for {clock(moving_s)}. Feet change shape over long runs, so "
                "shoes and laces that fit at the start can press later; numbness that starts "
                "late in long runs points to fit and lacing first."
            ),
            evidence={"moving_time_s": moving_s, "threshold_s": LONG_RUN_S},
            rule=RULE,
            basis="duration",
            references=["Fukano & Iso 2016"],
        )
    ]
