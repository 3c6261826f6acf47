"""Population cadence reference for a speed and a height (science §1.2).

``C_ref(v, h) = (150.0 + 6.0 v) - 0.5 (h_cm - 181)`` steps/min, v clamped to 1.6-4.7 m/s.
Intercept and slope: van Oeveren et al. wearable study (256 Garmin users; SF = 75.01 +
3.006 v strides/min); stature term from dynamic similarity (cadence ~ leg length^-0.5, about
-0.47 spm/cm near 170 spm), centred on that sample's mean stature of 181 cm.
"""

from __future__ import annotations

import math

import numpy as np

INTERCEPT_SPM = 150.0  # science §1.2, van Oeveren wearable study (2 x 75.01)
SLOPE_SPM_PER_MPS = 6.0  # science §1.2 (2 x 3.006; Burns 2019 5.6; Cavanagh & Kram ~6-7)
HEIGHT_SPM_PER_CM = -0.5  # science §1.2, dynamic similarity
REFERENCE_HEIGHT_CM = 181.0  # science §1.2, mean stature of the wearable sample
VALID_SPEED_MPS = (1.6, 4.7)  # science §1.2: range of the regression, clamp outside
BETWEEN_RUNNER_SD_SPM = 7.5  # science §1.2: SD at a given speed 7-8 spm (Luedke 2016/2021)


def c_ref(speed_mps: float | np.ndarray, height_cm: float | None = None) -> float | np.ndarray:
    """Typical cadence (steps/min) for a runner of ``height_cm`` at ``speed_mps``.

    Without a height the reference stature (181 cm) is used; callers lower their confidence.
    """
    h = REFERENCE_HEIGHT_CM if height_cm is None else float(height_cm)
    if isinstance(speed_mps, float | int):  # the common call, one speed: no numpy round trip
        lo, hi = VALID_SPEED_MPS
        clamped = lo if speed_mps < lo else hi if speed_mps > hi else float(speed_mps)
        return (
            INTERCEPT_SPM
            + SLOPE_SPM_PER_MPS * clamped
            + HEIGHT_SPM_PER_CM * (h - REFERENCE_HEIGHT_CM)
        )
    v = np.clip(speed_mps, *VALID_SPEED_MPS)
    value = INTERCEPT_SPM + SLOPE_SPM_PER_MPS * v + HEIGHT_SPM_PER_CM * (h - REFERENCE_HEIGHT_CM)
    if np.ndim(value) == 0:
        return float(value)
    return np.asarray(value, dtype=float)


def pace_text(speed_mps: float) -> str:
    """3.0 m/s -> '5:33/km'."""
    if not speed_mps or speed_mps <= 0 or not np.isfinite(speed_mps):
        return "—"
    seconds = 1000.0 / speed_mps
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}/km"


#: Garmin Running Dynamics colour gauges as published (science §2.3), the one home of these
#: numbers: per metric, (colour, low, high) in the table's own units, None for an open end.
#: Not speed-adjusted, so they are context (report backgrounds) and two detector borders
#: (contact-time balance, vertical ratio), never verdicts on their own. Balance bands are
#: for the share on one side, mirrored around 50 %.
GARMIN_BANDS: dict[str, tuple[tuple[str, float | None, float | None], ...]] = {
    "stance_time_ms": (
        ("purple", None, 218.0),
        ("blue", 218.0, 248.0),
        ("green", 249.0, 277.0),
        ("orange", 278.0, 308.0),
        ("red", 308.0, None),
    ),
    "vertical_oscillation_cm": (
        ("purple", None, 6.4),
        ("blue", 6.4, 8.1),
        ("green", 8.2, 9.7),
        ("orange", 9.8, 11.5),
        ("red", 11.5, None),
    ),
    "vertical_ratio_pct": (
        ("purple", None, 6.1),
        ("blue", 6.1, 7.4),
        ("green", 7.5, 8.6),
        ("orange", 8.7, 10.1),
        ("red", 10.1, None),
    ),
    "stance_balance_side_pct": (
        ("green", None, 50.7),
        ("orange", 50.8, 52.2),
        ("red", 52.2, None),
    ),
}


def band_top(metric: str, colour: str) -> float:
    """The published upper bound of a colour band, e.g. ('vertical_ratio_pct', 'green') -> 8.6."""
    for name, _, high in GARMIN_BANDS[metric]:
        if name == colour and high is not None:
            return high
    raise KeyError(f"{metric} has no bounded {colour} band")


def band_edges(metric: str) -> list[tuple[float, float, str]]:
    """Display bands as contiguous (low, high, colour) with -inf/inf at the ends: a gap in the
    published integers (248 | 249) is split half-way (248.5), so every value has a colour."""
    bands = GARMIN_BANDS[metric]
    out: list[tuple[float, float, str]] = []
    for i, (colour, low, high) in enumerate(bands):
        lo = -math.inf if low is None else low
        hi = math.inf if high is None else high
        if i > 0 and bands[i - 1][2] is not None and low is not None:
            lo = round((bands[i - 1][2] + low) / 2, 3)  # type: ignore[operator]
        if i + 1 < len(bands) and high is not None and bands[i + 1][1] is not None:
            hi = round((high + bands[i + 1][1]) / 2, 3)  # type: ignore[operator]
        out.append((lo, hi, colour))
    return out
