"""Steady-state segments (SCIENCE.md §3.5) on hand-built series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from footfall.model import Activity, ChannelSource, SourceInfo
from footfall.series.segments import steady_segments


def _activity(n: int = 1800, *, hill: bool = False, gps_only: bool = False) -> Activity:
    rng = np.random.default_rng(3)
    t = np.arange(n)
    speed = 3.0 + rng.normal(0, 0.05, n)
    distance = np.cumsum(speed)
    altitude = np.full(n, 100.0)
    if hill:
        climbing = (t >= 900) & (t < 1200)  # 5 min at 6 % up
        altitude = 100 + np.cumsum(np.where(climbing, speed * 0.06, 0.0))
    frame = pd.DataFrame(
        {
            "distance_m": distance,
            "speed_mps": speed + (rng.normal(0, 0.6, n) if gps_only else 0.0),
            "cadence_spm": 170 + rng.normal(0, 1.5, n),
            "altitude_m": altitude,
            "state": np.full(n, "run", dtype=object),
        },
        index=pd.RangeIndex(n, name="elapsed_s"),
    )
    source = "computed from positions and times" if gps_only else "record.enhanced_speed"
    return Activity(
        source=SourceInfo("t", "gpx" if gps_only else "fit", "0"),
        data=frame,
        start_time=None,
        channels={"speed_mps": ChannelSource(source, "m/s", derived=gps_only)},
        laps=[600.0],
    )


def test_warmup_laps_and_hills_are_excluded() -> None:
    segments = steady_segments(_activity(hill=True))
    starts = [s.start_s for s in segments]
    assert min(starts) >= 300  # warm-up (§3.5)
    assert not any(570 <= s.start_s < 630 or 570 < s.end_s <= 630 for s in segments)  # lap
    assert not any(960 <= s.start_s < 1140 for s in segments)  # the 6 % climb
    assert all(s.duration_s == 60 for s in segments)
    assert all(abs(s.grade_pct or 0) <= 2 for s in segments)


def test_gps_only_speed_uses_long_windows_and_block_speeds() -> None:
    activity = _activity(gps_only=True)
    segments = steady_segments(activity)
    assert segments, "noisy per-second GPS speed still gives steady 30 s block speeds (§6.4)"
    assert all(s.duration_s == 120 for s in segments)
    assert all(abs(s.speed_mps - 3.0) < 0.1 for s in segments)


def test_intervals_are_marked() -> None:
    activity = _activity()
    frame = activity.data.copy()
    fast = (frame.index >= 1500) & (frame.index < 1680)
    frame.loc[fast, "speed_mps"] = 4.0
    activity.data = frame
    segments = steady_segments(activity)
    assert any(s.interval for s in segments if s.start_s >= 1500)
    assert not any(s.interval for s in segments if s.end_s <= 1500)
