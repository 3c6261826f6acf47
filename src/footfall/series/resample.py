"""From a file's own timing to a regular 1 Hz grid (science §3.3 "Smart recording").

Records arrive irregularly (Garmin smart recording writes every 1-8 s), sometimes twice for
one second, sometimes with a clock that jumps. Values are held until the next record
(time-weighting) when records are close enough; a longer silence is a gap and stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from footfall.io.limits import MAX_ACTIVITY_S
from footfall.model import has_values
from footfall.series.clean import MAX_SPEED_MPS
from footfall.series.geo import haversine_steps_m

#: hold a value at most this long when the file records every second (science §3.3)
HOLD_S = 5
#: ... and at most this long for smart recording, where 1-8 s intervals are normal (corpus)
MAX_HOLD_S = 10  # [heuristic] corpus smart-recording intervals reach 8 s
#: a record more than this far from both neighbours is a clock glitch [heuristic]
GLITCH_S = 6 * 3600
#: a silence up to this long is bridged when the distance kept growing at a moving pace
MAX_MOVING_GAP_S = 60  # [heuristic] smart recording on steady stretches (corpus: <= 30 s)
MOVING_GAP_MIN_SPEED_MPS = 1.0  # [heuristic] faster than standing, see science §3.2 stops
#: records further than this from the median time are clock garbage, not part of the
#: activity [heuristic]; the activity itself may last at most MAX_ACTIVITY_S (io/limits.py)
MAX_SPAN_S = 14 * 24 * 3600
#: a distance counter outside [0, this] is a sentinel or garbage, never metres run: the
#: longest activity analysed at the top speed of science §3.3
MAX_COUNTER_M = MAX_ACTIVITY_S * MAX_SPEED_MPS
#: channels interpolated linearly inside a hold (positions and counters); the rest are held
LINEAR = ("distance_m", "altitude_m", "lat", "lon")


@dataclass(eq=False)  # holds series: == on them is identity (field-wise it would raise)
class Grid:
    """The records on a 1 Hz grid, with what resampling dropped and left as gaps."""

    frame: pd.DataFrame  # index 0..n-1 seconds, columns as input (without "time")
    t0: float  # UNIX seconds of elapsed 0
    gaps: list[tuple[int, int]]  # [a, b) seconds with no record
    dropped_backwards: int
    dropped_glitches: int
    hold_s: int


def clean_times(samples: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Drop untimed rows, clock glitches and records that go back in time."""
    frame = samples[np.isfinite(samples["time"].to_numpy(dtype=float))]
    t = frame["time"].to_numpy(dtype=float)
    glitches = 0
    if len(t):
        # Garbage clocks (a damaged last record, a reset device) land years away.
        far = np.abs(t - np.median(t)) > MAX_SPAN_S
        glitches += int(far.sum())
        frame, t = frame[~far], t[~far]
    if len(t) >= 3:
        gap = np.abs(np.diff(t))
        before = np.concatenate([[np.inf], gap])  # distance to the previous record
        after = np.concatenate([gap, [np.inf]])  # distance to the next record
        around = np.full(len(t), np.inf)
        around[1:-1] = np.abs(t[2:] - t[:-2])
        lone = (before > GLITCH_S) & (after > GLITCH_S)
        lone[1:-1] &= around[1:-1] <= GLITCH_S
        glitches += int(lone.sum())
        frame, t = frame[~lone], t[~lone]
    running_max = np.maximum.accumulate(t) if len(t) else t
    forward = np.concatenate([[True], t[1:] >= running_max[:-1]]) if len(t) else np.array([], bool)
    backwards = int((~forward).sum())
    return frame[forward], backwards, glitches


def to_grid(samples: pd.DataFrame) -> Grid:
    """Resample to whole seconds from the first record."""
    frame, backwards, glitches = clean_times(samples)
    if frame.empty:
        return Grid(pd.DataFrame(), 0.0, [], backwards, glitches, HOLD_S)
    frame = with_distance_from_positions(_plausible_counter(frame))
    t = frame["time"].to_numpy(dtype=float)
    t0 = float(t[0])
    elapsed = np.round(t - t0).astype(np.int64)
    span = int(elapsed[-1])
    if span > MAX_ACTIVITY_S:  # the grid, and all that follows, grows with the span
        raise ValueError(
            f"the records span {_duration(span)}, longer than the "
            f"{_duration(MAX_ACTIVITY_S)} footfall analyses as one activity"
        )
    data = frame.drop(columns=["time"])
    data.index = elapsed
    # Several records in one second: the last non-empty value of each channel wins (most
    # files have one record per second or fewer, and need no grouping).
    if len(elapsed) > 1 and not bool((np.diff(elapsed) > 0).all()):
        data = data.groupby(level=0).last()
    seconds = data.index.to_numpy()
    steps = np.diff(seconds)
    hold = HOLD_S
    if len(steps):
        p95 = float(np.percentile(steps, 95))
        hold = int(np.clip(np.ceil(p95), HOLD_S, MAX_HOLD_S))
    grid = np.arange(span + 1)
    pos = np.searchsorted(seconds, grid, side="right") - 1  # last record at or before
    nxt = np.minimum(pos + 1, len(seconds) - 1)
    exact = seconds[pos] == grid
    gap_len = seconds[nxt] - seconds[pos]
    bridged = (gap_len <= hold) | _moving_gap(data, pos, nxt, gap_len)
    fill = exact | (bridged & (nxt > pos))
    out = {}
    for column in data.columns:
        col = data[column].to_numpy()
        if col.dtype.kind not in "fiub":
            continue
        values = col.astype(float)
        if column in LINEAR:
            out[column] = _interp_within(seconds, values, grid, fill)
        else:
            out[column] = np.where(fill, values[pos], np.nan)
    gaps = _gaps(fill)
    return Grid(pd.DataFrame(out, index=grid), t0, gaps, backwards, glitches, hold)


def _plausible_counter(frame: pd.DataFrame) -> pd.DataFrame:
    """The distance counter without impossible values (a file's -1e308 or 1e308 would
    overflow every difference taken from it); positions fill in when nothing is left."""
    if "distance_m" not in frame.columns:
        return frame
    d = frame["distance_m"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (d < 0) | (d > MAX_COUNTER_M)
    return frame.assign(distance_m=np.where(bad, np.nan, d)) if bad.any() else frame


def _duration(seconds: float) -> str:
    return f"{seconds / 86400:.1f} days" if seconds >= 3 * 86400 else f"{seconds / 3600:.0f} h"


def with_distance_from_positions(frame: pd.DataFrame) -> pd.DataFrame:
    """A distance counter from the positions, record by record, when the file has none
    (position-only GPX): bridging a recording silence needs to know the distance kept growing
    (science §3.3), and positions give it before the grid is built."""
    has_distance = has_values(frame, "distance_m")
    if has_distance or "lat" not in frame.columns or "lon" not in frame.columns:
        return frame
    lat = frame["lat"].to_numpy(dtype=float)
    lon = frame["lon"].to_numpy(dtype=float)
    valid = np.isfinite(lat) & np.isfinite(lon)
    if valid.sum() < 2:
        return frame
    distance = np.full(len(frame), np.nan)
    distance[valid] = np.cumsum(haversine_steps_m(lat[valid], lon[valid]))
    out = frame.copy()
    out["distance_m"] = distance
    return out


def _moving_gap(
    data: pd.DataFrame, pos: np.ndarray, nxt: np.ndarray, gap_len: np.ndarray
) -> np.ndarray:
    """Silences the runner kept running through: the distance counter advanced at running
    pace across the gap. Smart recording leaves 10-30 s between records on steady stretches;
    those are not stops (science §3.3: time-weight, the record holds until the next)."""
    if "distance_m" not in data.columns:
        return np.zeros(len(pos), dtype=bool)
    d = data["distance_m"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = (d[nxt] - d[pos]) / np.maximum(gap_len, 1)
        return (gap_len <= MAX_MOVING_GAP_S) & (pace >= MOVING_GAP_MIN_SPEED_MPS)


def _interp_within(
    seconds: np.ndarray, values: np.ndarray, grid: np.ndarray, fill: np.ndarray
) -> np.ndarray:
    ok = np.isfinite(values)
    if ok.sum() < 2:
        out = np.full(len(grid), np.nan)
        if ok.any():
            out[seconds[ok]] = values[ok]
        return out
    result = np.interp(grid, seconds[ok], values[ok], left=np.nan, right=np.nan)
    return np.where(fill, result, np.nan)


def _gaps(fill: np.ndarray) -> list[tuple[int, int]]:
    missing = ~fill
    if not missing.any():
        return []
    edges = np.diff(np.concatenate([[0], missing.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]
