"""Population cadence reference for a speed and a height (science §1.2).

``C_ref(v, h) = (150.0 + 6.0 v) - 0.5 (h_cm - 181)`` steps/min, v clamped to 1.6-4.7 m/s.
Intercept and slope: van Oeveren et al. wearable study (256 Garmin users; SF = 75.01 +
3.006 v strides/min); stature term from dynamic similarity (cadence ~ leg length^-0.5, about
-0.47 spm/cm near 170 spm), centred on that sample's mean stature of 181 cm.
"""

from __future__ import annotations

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
