"""What every detector receives and returns.

A detector is a module with ``NAME`` (str), ``NEEDS`` (the channels it cannot work without)
and ``detect(series, ctx) -> list[Finding]``. It returns well-formed findings or nothing and
never raises on missing data: the common-checks test runs every registered detector on an
empty series, on a series without its channels and on a normal run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from footfall.config import Profile
from footfall.io.registry import DEVICE_SPEED, RUNNING_DYNAMICS, capabilities
from footfall.model import Activity, Confidence, Finding, has_values
from footfall.series.segments import Segment

#: share of GPS-flagged seconds above which findings that need speed drop to low confidence
GPS_FLAGGED_LOW_CONFIDENCE = 0.20  # science §6.3


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class Context:
    """Everything computed before the detectors run, shared by all of them."""

    activity: Activity
    profile: Profile
    segments: list[Segment] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    fit: dict[str, Any] | None = None
    drift: dict[str, Any] | None = None
    gps_flagged_share: float = 0.0

    @property
    def height_cm(self) -> float | None:
        return self.profile.height_cm

    @property
    def target_spm(self) -> float:
        return self.profile.target_cadence_spm

    @property
    def speed_from_gps_positions(self) -> bool:
        source = self.activity.channels.get("speed_mps")
        return source is None or source.derived

    @property
    def gps_only_file(self) -> bool:
        """GPX/TCX: cadence and speed only, the fallback of science §6.4."""
        return RUNNING_DYNAMICS not in capabilities(self.activity.source.format)

    def speed_confidence(self, *, treadmill_is_low: bool) -> Confidence:
        """Confidence of a finding built on cadence at speed (science §6.3): medium needs a
        FIT file with trusted cadence, speed and a height; GPX/TCX, no height or noisy GPS give
        low. "High" needs an 8-run baseline, which one file cannot have."""
        if (
            self.height_cm is None
            or DEVICE_SPEED not in capabilities(self.activity.source.format)
            or self.gps_flagged_share > GPS_FLAGGED_LOW_CONFIDENCE
            or not self.activity.cadence_trusted
            or (treadmill_is_low and self.activity.treadmill)
        ):
            return "low"
        return "medium"

    def steady_time_s(self) -> int:
        return sum(s.duration_s for s in self.segments)


class Detector(Protocol):
    """A detector module: its name, the channels it needs, what kind of finding it gives
    ("form", "context" or "data") and its place among findings of equal severity."""

    NAME: str
    NEEDS: tuple[str, ...]
    KIND: str
    PRIORITY: int
    CADENCE_STEP: bool

    def detect(self, series: pd.DataFrame, ctx: Context) -> list[Finding]: ...


def has_channels(series: pd.DataFrame, needs: tuple[str, ...]) -> bool:
    return all(has_values(series, c) for c in needs)


def windows_of(segments: list[Segment], merge_gap_s: int = 0) -> list[tuple[float, float]]:
    """Merge adjacent segment windows into [start, end] pairs for the report."""
    out: list[tuple[float, float]] = []
    for s in sorted(segments, key=lambda s: s.start_s):
        if out and s.start_s - out[-1][1] <= merge_gap_s:
            out[-1] = (out[-1][0], float(s.end_s))
        else:
            out.append((float(s.start_s), float(s.end_s)))
    return out


def clock(seconds: float) -> str:
    """1523 -> '25:23'; 4000 -> '1:06:40'."""
    total = round(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
