"""Per-run summaries of every channel (over running time, time-weighted by the 1 Hz grid)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from footfall.model import SUMMARY_CHANNELS, Activity

#: a distance counter jump faster than this between two seconds is a reset or GPS jump
MAX_DISTANCE_STEP_MPS = 12.5


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


def running_mask(activity: Activity) -> np.ndarray:
    return (activity.data["state"] == "run").to_numpy()


def distance_m(frame: pd.DataFrame) -> float | None:
    if "distance_m" not in frame.columns or not frame["distance_m"].notna().any():
        return None
    d = frame["distance_m"].dropna()
    steps = np.diff(d.to_numpy())
    dt = np.diff(d.index.to_numpy()).astype(float)
    ok = (steps > 0) & (steps <= MAX_DISTANCE_STEP_MPS * np.maximum(dt, 1))
    return round(float(steps[ok].sum()), 1)


def summarize(activity: Activity, target_spm: float) -> dict[str, Any]:
    """The `summary` object of the analysis JSON (DESIGN.md)."""
    frame = activity.data
    state = frame["state"].to_numpy()
    run = state == "run"
    summary: dict[str, Any] = {
        "start_time": activity.start_time.isoformat() if activity.start_time else None,
        "duration_s": len(frame),
        "moving_time_s": int(np.sum(state != "stop")),
        "running_time_s": int(np.sum(run)),
        "walking_time_s": int(np.sum(state == "walk")),
        "distance_m": distance_m(frame),
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
