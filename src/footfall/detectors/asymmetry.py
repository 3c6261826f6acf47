"""Ground-contact-time asymmetry from stance_time_balance (science §6.3, grade D).

An asymmetry note, not part of the overstride score: Garmin's colour gauge puts more than
52.2 % to one side in its red band, and there is no injury-threshold evidence behind it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import Context, clock, has_channels, windows_of
from footfall.model import Finding, Severity
from footfall.reference import band_top

NAME: str = "asymmetry"
NEEDS: tuple[str, ...] = ("stance_balance_left_pct",)
KIND: str = "form"
PRIORITY: int = 4  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

RED_BAND_PCT = band_top("stance_balance_side_pct", "orange")  # science §2.3: beyond is red
MIN_SHARE = 0.5  # science §6.3: on >= 50 % of steady time
EVEN_PCT = 50.0  # an even split of contact time between the feet (science §2.3 mirrors it)
RULE = (
    f"balance beyond {RED_BAND_PCT:g}% to one side on >= {MIN_SHARE:.0%} of steady time "
    "(science §6.3; Garmin band, grade D)"
)


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS):
        return []
    segments = [s for s in ctx.segments if s.stance_balance_left_pct is not None]
    if not segments:
        return []
    steady = sum(s.duration_s for s in segments)
    off = [s for s in segments if _side_share(s.stance_balance_left_pct) > RED_BAND_PCT]
    off_s = sum(s.duration_s for s in off)
    left = float(np.median([s.stance_balance_left_pct for s in segments]))
    side = "left" if left > EVEN_PCT else "right"
    share = max(left, 100 - left)
    severity: Severity = "watch" if off_s >= MIN_SHARE * steady else "ok"
    if severity == "ok":
        title = f"Contact time balanced ({left:.1f}% left)"
    else:
        title = f"Contact time leans {side}: {share:.1f}% on the {side} foot"
    return [
        Finding(
            detector=NAME,
            severity=severity,
            confidence="medium",
            title=title,
            explanation=(
                f"Median ground-contact balance {left:.1f}% left / {100 - left:.1f}% right; "
                f"{clock(off_s)} of {clock(steady)} steady running was beyond "
                f"{RED_BAND_PCT}% to one side. A difference between feet is worth knowing when "
                "numbness is on one side; it is not a diagnosis."
            ),
            evidence={
                "median_balance_left_pct": round(left, 2),
                "share_beyond_red_band_pct": round(100 * off_s / steady, 1),
                "steady_time_s": steady,
            },
            windows=windows_of(off) if severity != "ok" else [],
            rule=RULE,
            basis="device balance",
            references=["Garmin Running Dynamics"],
        )
    ]


def _side_share(left_pct: float | None) -> float:
    if left_pct is None:
        return 50.0
    return max(left_pct, 100.0 - left_pct)
