"""Heat (science §6.5): context only. Evidence that heat swells feet is weak and mixed,
and wrist temperature reads high (skin warmth), so this never drives coaching."""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import Context, has_channels
from footfall.model import Finding, running

NAME: str = "heat"
NEEDS: tuple[str, ...] = ("temperature_c",)
KIND: str = "context"
PRIORITY: int = 7  # rank among equal severities, form first [heuristic]
#: a flagged finding asks for the next cadence step of the plan (science §1.5)
CADENCE_STEP: bool = False

HOT_C = 25.0  # science §6.5: FIT temperature (wrist-biased) >= 25 °C
MIN_RUNNING_S = 60  # a minute of running temperature before a median means anything [heuristic]
RULE = f"median running temperature >= {HOT_C:g} °C (science §6.5, context only)"


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if not has_channels(series, NEEDS):
        return []
    temp = series["temperature_c"].to_numpy(dtype=float)
    if "state" in series.columns:
        temp = temp[running(series)]
    temp = temp[np.isfinite(temp)]
    if temp.size < MIN_RUNNING_S:
        return []
    median = float(np.median(temp))
    if median < HOT_C:
        return []
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="low",
            title=f"A warm run: {median:.0f} °C at the device",
            explanation=(
                f"The device read a median {median:.0f} °C while running. Wrist sensors read high "
                "from skin warmth. Heat may make feet swell, but the evidence is weak and mixed: "
                "context, not a cause."
            ),
            evidence={"median_temperature_c": round(median, 1), "threshold_c": HOT_C},
            rule=RULE,
            basis="temperature",
            references=["science §4.2 (heat / swelling: weak evidence)"],
        )
    ]
