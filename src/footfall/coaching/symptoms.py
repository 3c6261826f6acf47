"""The symptom log: when numbness started in a run, and what form did before it.

`footfall analyze run.fit --numbness-at 25m --side left` relates the onset to the minutes
before it (cadence drop, ground-contact rise, late-run drift) and always brings the red flags
of science §4.3 forward. Timing alone suggests patterns, never a diagnosis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from footfall.errors import ProfileError
from footfall.model import running

SIDES = ("left", "right", "both")
BEFORE_S = 300  # compare the 5 minutes before onset [heuristic] ...
BASELINE_START_S = 300  # ... with the 5 minutes after the warm-up (science §3.5)
CECS_WINDOW_S = (10 * 60, 20 * 60)  # science §6.5: onset 10-20 min into runs
CADENCE_DROP_SPM = 3.0  # a drop worth naming: the +-3 spm alert band of science §5
GCT_RISE_MS = 10.0  # a rise worth naming [heuristic; ~1 Garmin GCT band is 30 ms, §2.3]

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,3}):(\d{2})$")
_UNITS = re.compile(r"(\d+(?:\.\d+)?)\s*(h|min|m|s)", re.IGNORECASE)


@dataclass(frozen=True)
class Numbness:
    """One numbness entry, parsed once: when it started in the run and on which side."""

    at_s: int | None = None  # seconds into the run; None when only the side was logged
    side: str | None = None  # left | right | both

    @classmethod
    def parse(cls, at: str | int | None, side: str | None) -> Numbness | None:
        """From user text ('25m', '1h05m', '25:30', seconds) to a typed entry; None if empty."""
        if at is None and side is None:
            return None
        onset = at if isinstance(at, int) or at is None else parse_onset(str(at))
        return cls(onset, parse_side(side))


def parse_onset(text: str) -> int:
    """'25m', '25', '1h05m', '25:30', '1:05:00', '1500s' -> seconds."""
    raw = text.strip().lower()
    if not raw:
        raise ProfileError(None, "the numbness onset is empty")
    clock = _CLOCK.match(raw)
    if clock:
        h, m, s = clock.groups()
        return int(h or 0) * 3600 + int(m) * 60 + int(s)
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return int(float(raw) * 60)  # a bare number is minutes
    parts = _UNITS.findall(raw)
    if parts and "".join(f"{n}{u}" for n, u in parts) == raw.replace(" ", ""):
        scale = {"h": 3600, "m": 60, "min": 60, "s": 1}
        return int(sum(float(n) * scale[u] for n, u in parts))
    raise ProfileError(
        None,
        f"cannot read the numbness onset '{text}': use minutes like 25m, 1h05m or a clock 25:30",
    )


def parse_side(text: str | None) -> str | None:
    if text is None:
        return None
    side = text.strip().lower()
    if side not in SIDES:
        raise ProfileError(None, f"the side must be one of {', '.join(SIDES)}, not '{text}'")
    return side


def _median(frame: pd.DataFrame, column: str, a: int, b: int) -> float | None:
    if column not in frame.columns:
        return None
    part = frame[column].iloc[max(a, 0) : max(b, 0)]
    part = part[running(frame)[max(a, 0) : max(b, 0)]].dropna()
    return float(np.median(part)) if len(part) >= 60 else None


def relate(frame: pd.DataFrame, onset_s: int, side: str | None, drift_seen: bool) -> dict[str, Any]:
    """What the form metrics did before the onset, in plain sentences with numbers."""
    n = len(frame)
    observations: list[str] = []
    running_before = int(running(frame)[: min(onset_s, n)].sum()) if n else 0
    out: dict[str, Any] = {"at_s": onset_s, "side": side, "running_before_s": running_before}
    if onset_s > n:
        observations.append(
            f"The onset you logged ({onset_s // 60} min) is after the end of the recording "
            f"({n // 60} min), so the data cannot show what came before it."
        )
        out["observations"] = observations
        return out
    observations.append(f"Numbness started after {running_before // 60} min of running.")
    before = (onset_s - BEFORE_S, onset_s)
    baseline = (BASELINE_START_S, BASELINE_START_S + BEFORE_S)
    if before[0] >= baseline[1]:
        for column, label, unit, threshold, sign in (
            ("cadence_spm", "cadence", "spm", CADENCE_DROP_SPM, -1),
            ("stance_time_ms", "ground-contact time", "ms", GCT_RISE_MS, 1),
        ):
            early = _median(frame, column, *baseline)
            late = _median(frame, column, *before)
            if early is None or late is None:
                continue
            change = late - early
            out[f"{column}_change"] = round(change, 1)
            if sign * change >= threshold:
                verb = "fell" if change < 0 else "rose"
                observations.append(
                    f"In the 5 min before it, your {label} {verb} to {late:.0f} {unit} from "
                    f"{early:.0f} {unit} after the warm-up ({change:+.0f} {unit})."
                )
            else:
                observations.append(
                    f"Your {label} held steady before it ({early:.0f} → {late:.0f} {unit})."
                )
    else:
        observations.append("The onset came early in the run, before form could drift.")
    if drift_seen:
        observations.append("Your cadence faded late in this run (see the drift finding).")
    if CECS_WINDOW_S[0] <= running_before <= CECS_WINDOW_S[1]:
        observations.append(
            "Numbness that starts 10-20 min into runs and clears within 15 min of stopping, "
            "run after run, is a pattern to show a clinician (exertional compartment "
            "syndrome can present this way; science §6.5)."
        )
    if side == "both":
        observations.append(
            "Numbness in both feet needs a clinician's view before any form change: if it "
            "also affects the saddle area, or comes with bladder/bowel changes or leg "
            "weakness, go to an emergency department now."
        )
    out["observations"] = observations
    out["text"] = " ".join(observations)
    return out
