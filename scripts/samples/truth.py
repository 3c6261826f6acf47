"""Ground truth of a sample (its ``X.truth.json``): channel medians, tolerances, defaults."""

from __future__ import annotations

from typing import Any

import numpy as np

from samples.motion import Arrays

RUN_CHANNELS = {"cadence_spm": ("spm_q", 2.0), "speed_mps": ("speed", 0.1)}
RUN_CHANNELS |= {"heart_rate_bpm": ("hr", 3.0)}
DYNAMICS = {"stance_time_ms": ("stance_time", 4.0), "vertical_oscillation_mm": ("vo", 2.0)}
DYNAMICS |= {"vertical_ratio_pct": ("vr", 0.3), "stance_balance_left_pct": ("balance", 0.4)}
DYNAMICS |= {"step_length_m": ("step_m", 0.03)}
NO_DYNAMICS = ["stance_time_ms", "vertical_oscillation_mm", "vertical_ratio_pct"]
NO_DYNAMICS += ["stance_balance_left_pct"]


def median(values: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Median of the finite values (under ``mask`` when given), rounded to 0.01."""
    v = values if mask is None else values[mask]
    return round(float(np.median(v[np.isfinite(v)])), 2)


def channels(a: Arrays, mask: np.ndarray, names: dict[str, tuple[str, float]]) -> dict[str, Any]:
    """Expected median of each channel over the running seconds, with its tolerance."""
    return {
        col: {"median": median(a[key], mask), "tolerance": tol} for col, (key, tol) in names.items()
    }


def truth(file: str, description: str, **fields: Any) -> dict[str, Any]:
    """A truth sidecar's content: the defaults of a readable run, overridden by ``fields``."""
    out: dict[str, Any] = {
        "file": file,
        "format": file.rsplit(".", 1)[1],
        "description": description,
        "sport": "running",
        "expected_error": None,
        "duration_tolerance_s": 2,
        "state_tolerance_s": 60,
        "channels": {},
        "absent_channels": [],
        "stored_units": {},
        "lap_starts_s": [],
        "pauses_s": [],
        "warnings_contain": [],
    }
    out.update(fields)
    return out
