"""Steady-state segments (science §3.5): the stretches where form can be judged.

A segment is a window of running that is past the warm-up, away from lap boundaries, at a
steady speed and cadence, on the flat, at distance-running speed. Windows are 60 s long
(120 s when speed comes from GPS positions only, §6.4). Each gets the means of every form
channel; detectors and the cadence-speed fit work on segments, not on raw seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from footfall.model import Activity, running

WARMUP_S = 300  # science §3.5: after the first 5 min of the activity
LAP_MARGIN_S = 30  # science §3.5: not within 30 s of a lap/interval boundary
WINDOW_S = 60  # science §3.5: duration >= 60 s
GPS_ONLY_WINDOW_S = 120  # science §6.4: steady segments need >= 120 s on GPX
MAX_SPEED_CV = 0.08  # science §3.5: speed CV <= 8 %
MAX_CADENCE_CV = 0.04  # science §3.5: cadence CV <= 4 %
MAX_ABS_GRADE = 0.02  # science §3.5: abs(grade) <= 2 %
GRADE_BASE_M = 50.0  # science §3.5: altitude smoothed over >= 50 m
SPEED_RANGE_MPS = (1.8, 5.0)  # science §3.5
ALTITUDE_SMOOTH_S = 30  # [heuristic] GPS altitude noise, see grade()
GPS_SPEED_BLOCK_S = 30  # science §6.4: GPS-only speed from distance/time over >= 30 s
INTERVAL_FACTOR = 1.15  # science §3.5: speed > 115 % of the run's median is an interval

FORM_CHANNELS = (
    "speed_mps",
    "cadence_spm",
    "step_length_m",
    "stance_time_ms",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "stance_balance_left_pct",
    "temperature_c",
    "heart_rate_bpm",
)


@dataclass
class Segment:
    """One steady window of running: where it lies and the medians of its channels."""

    start_s: int
    end_s: int
    speed_mps: float
    cadence_spm: float
    step_length_m: float | None = None
    stance_time_ms: float | None = None
    vertical_oscillation_mm: float | None = None
    vertical_ratio_pct: float | None = None
    stance_balance_left_pct: float | None = None
    temperature_c: float | None = None
    heart_rate_bpm: float | None = None
    grade_pct: float | None = None
    interval: bool = False

    @property
    def duration_s(self) -> int:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, float | int | bool | None]:
        # the fields are plain numbers: no deep copy (dataclasses.asdict) needed
        values = ((name, getattr(self, name)) for name in _SEGMENT_FIELDS)
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in values}


#: Segment's field names, in order: to_dict runs for every segment of every analysis
_SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))


def grade(frame: pd.DataFrame) -> np.ndarray | None:
    """Grade (rise/run) per second from altitude and distance over >= 50 m (§3.5)."""
    if "altitude_m" not in frame.columns or "distance_m" not in frame.columns:
        return None
    # GPS altitude jitters by metres from second to second; a 30 s mean keeps the hills and
    # drops the jitter before the >= 50 m base of §3.5 turns it into a grade
    alt = (
        frame["altitude_m"]
        .rolling(ALTITUDE_SMOOTH_S, center=True, min_periods=1)
        .mean()
        .to_numpy(dtype=float)
    )
    dist = frame["distance_m"].to_numpy(dtype=float)
    if np.isfinite(alt).sum() < 10 or np.isfinite(dist).sum() < 10:
        return None
    speed = frame["speed_mps"].to_numpy(dtype=float) if "speed_mps" in frame else None
    typical = float(np.nanmedian(speed)) if speed is not None and np.isfinite(speed).any() else 3.0
    half = max(5, int(np.ceil(GRADE_BASE_M / max(typical, 1.0) / 2)))
    n = len(alt)
    idx = np.arange(n)
    hi = np.minimum(idx + half, n - 1)
    lo = np.maximum(idx - half, 0)
    run = dist[hi] - dist[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        g = (alt[hi] - alt[lo]) / run
    g[~(run >= GRADE_BASE_M * 0.8)] = np.nan
    return g


def _lap_mask(n: int, laps: list[float]) -> np.ndarray:
    near = np.zeros(n, dtype=bool)
    for t in laps:
        a, b = int(max(0, t - LAP_MARGIN_S)), int(min(n, t + LAP_MARGIN_S))
        near[a:b] = True
    return near


def eligible_mask(activity: Activity) -> np.ndarray:
    """Seconds that may belong to a steady segment; grade is judged per window."""
    frame = activity.data
    n = len(frame)
    ok = running(frame).copy()
    ok &= np.arange(n) >= WARMUP_S
    ok &= ~_lap_mask(n, activity.laps)
    if "cadence_spm" not in frame.columns or "speed_mps" not in frame.columns:
        return np.zeros(n, dtype=bool)
    cad = frame["cadence_spm"].to_numpy(dtype=float)
    speed = frame["speed_mps"].to_numpy(dtype=float)
    ok &= np.isfinite(cad) & np.isfinite(speed)
    return ok


def steady_segments(activity: Activity, window_s: int | None = None) -> list[Segment]:
    """Non-overlapping steady windows over the eligible running seconds."""
    frame = activity.data
    if window_s is None:
        window_s = WINDOW_S if _has_device_speed(activity) else GPS_ONLY_WINDOW_S
    grades = None if activity.treadmill else grade(frame)  # a belt has no hills (§3.4)
    ok = eligible_mask(activity)
    if not ok.any():
        return []
    running_speed = frame["speed_mps"].to_numpy(dtype=float)[running(frame)]
    median_speed = float(np.nanmedian(running_speed)) if running_speed.size else float("nan")
    columns = {c: frame[c].to_numpy(dtype=float) for c in FORM_CHANNELS if c in frame.columns}
    distance = None
    if not _has_device_speed(activity) and "distance_m" in frame.columns:
        distance = frame["distance_m"].to_numpy(dtype=float)
    edges = np.diff(np.concatenate([[0], ok.astype(np.int8), [0]]))
    starts = [
        np.arange(int(a), int(b) - window_s + 1, window_s)
        for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True)
    ]
    window_starts = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    return _windows(columns, grades, window_starts, window_s, median_speed, distance)


def _has_device_speed(activity: Activity) -> bool:
    source = activity.channels.get("speed_mps")
    return source is not None and not source.derived


def _windows(
    columns: dict[str, np.ndarray],
    grades: np.ndarray | None,
    starts: np.ndarray,
    width: int,
    median_speed: float,
    distance: np.ndarray | None = None,
) -> list[Segment]:
    """The steady windows among ``[a, a + width)`` for each ``a`` in ``starts``, judged all at
    once, a window per row of a matrix (a 1-hour run has ~50 windows, and numpy's cost per
    call on 60 values would otherwise be most of the work)."""
    if not starts.size:
        return []
    rows = starts[:, None] + np.arange(width)
    speed, cad = columns["speed_mps"][rows], columns["cadence_spm"][rows]
    v, c = speed.mean(axis=1), cad.mean(axis=1)
    keep = (v > 0) & (c > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if distance is not None:
            v, speed_cv = _block_speeds(distance, starts, width)
            keep &= np.isfinite(v)
        else:
            speed_cv = speed.std(axis=1) / v
        cad_cv = cad.std(axis=1) / c
    keep &= (speed_cv <= MAX_SPEED_CV) & (cad_cv <= MAX_CADENCE_CV)
    keep &= (v >= SPEED_RANGE_MPS[0]) & (v <= SPEED_RANGE_MPS[1])  # the window's speed (§3.5)
    values: dict[str, list[float | None]] = {}
    for name, col in columns.items():
        if name not in ("speed_mps", "cadence_spm"):
            means, count = _finite_means(col[rows])
            values[name] = _or_none(means, count >= width // 2)
    g: list[float | None] = [None] * len(starts)
    if grades is not None:
        means, count = _finite_means(grades[rows])
        g = _or_none(means * 100, count > 0)
        # the segment's grade, not each second's, must be flat (§3.5); unknown grade passes
        keep &= np.array([x is None or abs(x) <= 100 * MAX_ABS_GRADE for x in g])
    interval = np.isfinite(median_speed) & (v > INTERVAL_FACTOR * median_speed)
    return [
        Segment(
            start_s=int(a),
            end_s=int(a) + width,
            speed_mps=float(v[i]),
            cadence_spm=float(c[i]),
            grade_pct=g[i],
            interval=bool(interval[i]),
            **{name: column[i] for name, column in values.items()},
        )
        for i, a in enumerate(starts)
        if keep[i]
    ]


def _block_speeds(
    distance: np.ndarray, starts: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """GPS-only speed (§6.4): each window's mean and CV of its 30 s block speeds, steadiness
    judged on blocks rather than noisy seconds; NaN where fewer than two blocks are known."""
    v = np.full(len(starts), np.nan)
    cv = np.full(len(starts), np.nan)
    for i, a in enumerate(starts):
        marks = distance[a : a + width + 1 : GPS_SPEED_BLOCK_S]
        blocks = np.diff(marks) / GPS_SPEED_BLOCK_S
        if blocks.size < 2 or not np.isfinite(blocks).all():
            continue
        v[i] = float(np.mean(blocks))
        cv[i] = float(np.std(blocks) / v[i]) if v[i] > 0 else np.inf
    return v, cv


def _finite_means(part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean over its finite values, and how many there are."""
    finite = np.isfinite(part)
    count = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(finite, part, 0.0).sum(axis=1) / count, count


def _or_none(values: np.ndarray, known: np.ndarray) -> list[float | None]:
    return [float(x) if ok else None for x, ok in zip(values, known, strict=True)]
