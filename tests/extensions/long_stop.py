"""An extra detector, as a contributor would write one: one module, then one registry line.

It flags a stop longer than five minutes in the middle of a run [heuristic, a test example].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.detectors.base import Context
from footfall.model import Finding, moving

NAME: str = "long_stop"
NEEDS: tuple[str, ...] = ()
KIND: str = "context"
PRIORITY: int = 8  # after the built-in context detectors [heuristic]
LONG_STOP_S = 300  # five minutes [heuristic, a test example]


def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
    if series.empty or "state" not in series.columns:
        return []
    stopped = ~moving(series)
    edges = np.diff(np.concatenate([[0], stopped.astype(np.int8), [0]]))
    longest = int(
        max(
            (
                b - a
                for a, b in zip(
                    np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True
                )
            ),
            default=0,
        )
    )
    if longest < LONG_STOP_S:
        return []
    return [
        Finding(
            detector=NAME,
            severity="watch",
            confidence="high",
            title=f"A {longest // 60} min stop",
            explanation=f"The run stopped for {longest} s in one go.",
            evidence={"longest_stop_s": longest},
            rule=f"a stop of at least {LONG_STOP_S} s",
            basis="duration",
        )
    ]
