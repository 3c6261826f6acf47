"""Per-run summaries of every channel (over running time, time-weighted by the 1 Hz grid)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from footfall.model import SUMMARY_CHANNELS, Activity, has_values, moving, running

#: a distance counter jump faster than this between two seconds is a reset or GPS jump
MAX_DISTANCE_STEP_MPS = 12.5  # faster than any sprint: GPS error (science §3.3)

#: a catch-up may exceed speed x stall time by this share: GPS speed error is 3-9 %
#: (science §3.3) and the speed channel lags the counter [heuristic]
CATCH_UP_TOLERANCE = 0.5
CATCH_UP_SLACK_M = 5.0  # a few metres of position noise at the end of a stall [heuristic]


def channel_stats(values: np.ndarray | pd.Series) -> dict[str, float] | None:
    """mean / median / p10 / p90 of the finite values, or None when there are none."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    p10, median, p90 = np.percentile(v, [10, 50, 90])
    return {
        "mean": round(float(v.mean()), 2),
        "median": round(float(median), 2),
        "p10": round(float(p10), 2),
        "p90": round(float(p90), 2),
    }


def distance_m(frame: pd.DataFrame, legs: list[tuple[int, int]] | None = None) -> float | None:
    """Metres covered: the sum of the distance counter's forward steps.

    A step faster than any runner (:data:`MAX_DISTANCE_STEP_MPS`) is a reset or a GPS jump,
    judged against the time since the counter last advanced: after a stall of a few seconds
    the counter makes up the distance in one step, and that catch-up is kept when the speed
    over the stall accounts for it. Steps between two joined legs (the other sports of a
    multisport file) are not the runner's.
    """
    if not has_values(frame, "distance_m"):
        return None
    d = frame["distance_m"].dropna()
    t = d.index.to_numpy().astype(float)
    values = d.to_numpy(dtype=float)
    steps = np.diff(values)
    if steps.size == 0:
        return 0.0
    dt = np.maximum(np.diff(t), 1.0)
    since = np.maximum(t[1:] - t[_last_advance(steps)], 1.0)
    ok = (steps > 0) & (steps <= MAX_DISTANCE_STEP_MPS * dt)
    catch_up = (steps > 0) & ~ok & (steps <= MAX_DISTANCE_STEP_MPS * since)
    if catch_up.any() and "speed_mps" in frame.columns:
        speed = frame["speed_mps"].reindex(d.index).to_numpy(dtype=float)
        pace = np.fmax(speed[1:], speed[:-1])
        expected = (1.0 + CATCH_UP_TOLERANCE) * np.nan_to_num(pace) * since + CATCH_UP_SLACK_M
        catch_up &= steps <= expected
    ok |= catch_up
    if legs:
        leg = _leg_of(t, legs)
        ok &= (leg[1:] == leg[:-1]) & (leg[1:] >= 0)
    return round(float(steps[ok].sum()), 1)


def _last_advance(steps: np.ndarray) -> np.ndarray:
    """For each step, the index of the sample at which the counter last moved before it."""
    fresh = np.concatenate([[True], steps > 0])
    idx = np.where(fresh, np.arange(fresh.size), 0)
    return np.asarray(np.maximum.accumulate(idx)[:-1])


def _leg_of(t: np.ndarray, legs: list[tuple[int, int]]) -> np.ndarray:
    out = np.full(t.size, -1)
    for i, (a, b) in enumerate(legs):
        out[(t >= a) & (t < b)] = i
    return out


def elapsed_time_s(activity: Activity) -> int:
    """Seconds from the first record to the last; joined legs count only their own time."""
    if activity.leg_spans:
        return int(sum(b - a for a, b in activity.leg_spans))
    return len(activity.data)


def timer_time_s(activity: Activity) -> float:
    """The device's timer time where the file records one, else elapsed time less the timer
    pauses and recording gaps."""
    if activity.timer_time_s is not None:
        return round(float(activity.timer_time_s), 1)
    paused = sum(_within(a, b, activity.leg_spans) for a, b in activity.pauses)
    return float(max(0, elapsed_time_s(activity) - paused))


def _within(a: int, b: int, legs: list[tuple[int, int]]) -> int:
    if not legs:
        return b - a
    return sum(max(0, min(b, hi) - max(a, lo)) for lo, hi in legs)


def summarize(activity: Activity, target_spm: float) -> dict[str, Any]:
    """The `summary` object of the analysis JSON (DESIGN.md)."""
    frame = activity.data
    state = frame["state"].to_numpy()
    run = running(frame)
    moving_s = activity.moving_time_s
    elapsed = elapsed_time_s(activity)
    summary: dict[str, Any] = {
        "start_time": activity.start_time.isoformat() if activity.start_time else None,
        "duration_s": elapsed,
        "elapsed_time_s": elapsed,
        "timer_time_s": timer_time_s(activity),
        "timer_time_source": "device" if activity.timer_time_s is not None else "derived",
        "moving_time_s": int(moving_s if moving_s is not None else np.sum(moving(frame))),
        "running_time_s": int(np.sum(run)),
        "walking_time_s": int(np.sum(state == "walk")),
        "distance_m": distance_m(frame, activity.leg_spans),
        "device_distance_m": (
            round(float(activity.device_distance_m), 1)
            if activity.device_distance_m is not None
            else None
        ),
    }
    for column, key in SUMMARY_CHANNELS.items():
        if column in frame.columns:
            summary[key] = channel_stats(frame[column].to_numpy()[run])
        else:
            summary[key] = None
    summary["target_cadence_spm"] = target_spm
    summary["time_below_target_pct"] = time_below_pct(frame, run, target_spm)
    return summary


def time_below_pct(frame: pd.DataFrame, run: np.ndarray, target_spm: float) -> float | None:
    if "cadence_spm" not in frame.columns:
        return None
    cad = frame["cadence_spm"].to_numpy()[run]
    cad = cad[np.isfinite(cad)]
    if cad.size == 0:
        return None
    return round(100.0 * float(np.mean(cad < target_spm)), 1)


# --- cadence against speed ------------------------------------------------------------------

#: below this speed span a slope fitted on one run is noise; use the population slope
MIN_SPEED_SPAN_MPS = 0.4  # [heuristic]; science §1.5 cold start uses the 6 spm per m/s slope
MIN_FIT_SEGMENTS = 3  # [heuristic] fewer windows cannot carry a line (science §1.5)


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Median of pairwise slopes and the matching intercept (Theil 1950, Sen 1968).

    Written out with numpy so the analysis does not import scipy.stats (about half a second
    of start-up for `footfall analyze --format json`); segment counts are small (< 500).
    """
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    slope = float(np.median((y[j] - y[i])[keep] / dx[keep]))
    intercept = float(np.median(y - slope * x))
    return slope, intercept


def cadence_speed_fit(segments: list[Any]) -> dict[str, Any] | None:
    """The runner's own cadence-vs-speed line from steady, non-interval segments.

    Theil-Sen (robust to a few odd windows) when the speeds span enough; otherwise the
    cold-start line of science §1.5: median cadence + 6.0 spm per m/s around median speed.
    """
    from footfall.reference import SLOPE_SPM_PER_MPS

    usable = [s for s in segments if not s.interval]
    if len(usable) < MIN_FIT_SEGMENTS:
        return None
    v = np.array([s.speed_mps for s in usable])
    c = np.array([s.cadence_spm for s in usable])
    span = float(v.max() - v.min())
    if span >= MIN_SPEED_SPAN_MPS:
        slope, intercept = theil_sen(v, c)
        method = "theil-sen over steady segments"
    else:
        slope = SLOPE_SPM_PER_MPS
        intercept = float(np.median(c) - slope * np.median(v))
        method = "median cadence + population slope 6 spm per m/s (speed span too narrow)"
    return {
        "slope": round(float(slope), 3),
        "intercept": round(float(intercept), 2),
        "speed_min": round(float(v.min()), 3),
        "speed_max": round(float(v.max()), 3),
        "n": len(usable),
        "method": method,
    }


# --- late-run drift -------------------------------------------------------------------------

DRIFT_SHARE = 0.25  # science §6.5: last 25 % vs first post-warm-up 25 % of steady time
DRIFT_SPEED_MATCH = 0.05  # science §6.5: at speed within +-5 %
#: two quarters of at least two windows each before a drift is judged [heuristic]
DRIFT_MIN_SEGMENTS = 8


def drift(segments: list[Any], height_cm: float | None) -> dict[str, Any] | None:
    """Form in the first vs the last quarter of steady running (science §6.5)."""
    from footfall.reference import c_ref

    usable = [s for s in segments if not s.interval]
    if len(usable) < DRIFT_MIN_SEGMENTS:
        return None
    k = max(2, round(len(usable) * DRIFT_SHARE))
    early, late = usable[:k], usable[-k:]
    v_early = float(np.median([s.speed_mps for s in early]))
    matched = [s for s in late if abs(s.speed_mps / v_early - 1) <= DRIFT_SPEED_MATCH]
    speed_matched = len(matched) >= 2
    late_used = matched if speed_matched else late

    def ratio(group: list[Any]) -> float:
        return float(np.median([s.cadence_spm / c_ref(s.speed_mps, height_cm) for s in group]))

    def mean_of(group: list[Any], name: str) -> float | None:
        values = [getattr(s, name) for s in group if getattr(s, name) is not None]
        return float(np.mean(values)) if values else None

    out: dict[str, Any] = {
        "early_window_s": [early[0].start_s, early[-1].end_s],
        "late_window_s": [late_used[0].start_s, late_used[-1].end_s],
        "speed_matched": speed_matched,
        "early_speed_mps": round(v_early, 3),
        "late_speed_mps": round(float(np.median([s.speed_mps for s in late_used])), 3),
        "early_cadence_spm": round(float(np.median([s.cadence_spm for s in early])), 1),
        "late_cadence_spm": round(float(np.median([s.cadence_spm for s in late_used])), 1),
        "early_ratio": round(ratio(early), 4),
        "late_ratio": round(ratio(late_used), 4),
    }
    out["ratio_change_pct"] = round(100 * (out["late_ratio"] / out["early_ratio"] - 1), 2)
    for name in ("stance_time_ms", "vertical_oscillation_mm"):
        a, b = mean_of(early, name), mean_of(late_used, name)
        if a is not None and b is not None:
            out[f"{name}_change"] = round(b - a, 1)
    return out
