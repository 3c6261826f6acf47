"""Cadence units: strides/min of one foot or steps/min, decided per stretch of a file.

FIT `record.cadence`, GPX `cad` and TCX `RunCadence` are strides/min of one foot in every
exporter seen so far, but some write steps/min, and a file can switch mid-way (a treadmill
TCX in the wild goes from 86 to 178). The values decide (science §3.1, magnitude rule):

- rolling median 65-105 -> strides/min (running), x2;
- rolling median 135-240 -> already steps/min;
- 20-65 -> strides/min of walking (20-65 steps/min is not locomotion), x2;
- 105-135 -> ambiguous: speed decides (slow -> steps/min of walking; >= 4 m/s -> strides of
  a sprint); otherwise the nearest unambiguous stretch, then the file's dominant unit.

Stretches shorter than a minute are merged into their neighbours so one odd minute cannot
flip the unit. A file without any unambiguous stretch keeps the format's convention and is
marked untrusted (science §3.1: "mark cadence untrusted for that file").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Bands of the magnitude rule, in raw units (science §3.1 [heuristic]); the 65/105 and
# 135 edges widen §3.1's 60-110 / 140 so walking strides and shuffling steps stay apart.
STRIDE_RUN_BAND = (65.0, 105.0)  # science §3.1 [heuristic]
STEP_RUN_BAND = (135.0, 240.0)  # science §3.1; 240 = implausible edge of §3.2
STRIDE_WALK_BAND = (20.0, 65.0)  # science §3.1 [heuristic]
AMBIGUOUS_BAND = (105.0, 135.0)  # science §3.1 "110-140 ambiguous" [heuristic]
#: speeds that settle the ambiguous band: walking pace vs sprint (science §3.2, §1.2)
SLOW_SPEED_MPS = 2.5  # science §3.1 (>= 2.2 m/s rule), §3.2
SPRINT_SPEED_MPS = 4.0  # science §1.2: 4 m/s x 1.38 m steps; 105-135 x2 only at speed
WINDOW_S = 31  # rolling-median window for the unit decision [heuristic]
MIN_STRETCH_S = 60  # shorter unit stretches merge into neighbours [heuristic]


@dataclass
class UnitDecision:
    """How raw cadence was read: the factor to steps/min, in words, and how sure."""

    factor: np.ndarray  # multiply raw cadence by this to get steps/min (1.0 or 2.0)
    description: str
    trusted: bool
    stretches: list[tuple[int, int, float]] = field(default_factory=list)  # [a, b), factor


def _fmt_clock(seconds: int) -> str:
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def decide_cadence_factor(
    raw: np.ndarray, speed: np.ndarray | None, prior_factor: float = 2.0, stored: str = ""
) -> UnitDecision:
    """Per-second factor to steps/min for a 1 Hz raw cadence series."""
    n = len(raw)
    values = np.where(np.isfinite(raw) & (raw > 0), raw, np.nan)
    med = pd.Series(values).rolling(WINDOW_S, center=True, min_periods=5).median().to_numpy()
    cls = np.full(n, np.nan)
    strong = np.zeros(n, dtype=bool)
    in_band = _between
    cls[in_band(med, STRIDE_RUN_BAND)] = 2.0
    cls[in_band(med, STEP_RUN_BAND)] = 1.0
    # 20-65 steps/min is not locomotion, so the walking band is strides too (and decisive).
    cls[in_band(med, STRIDE_WALK_BAND)] = 2.0
    strong[np.isfinite(cls)] = True
    if speed is not None:
        amb = in_band(med, AMBIGUOUS_BAND)
        cls[amb & (speed < SLOW_SPEED_MPS)] = 1.0
        cls[amb & (speed >= SPRINT_SPEED_MPS)] = 2.0
    n_strides = int(np.sum(strong & (cls == 2.0)))
    n_steps = int(np.sum(strong & (cls == 1.0)))
    trusted = (n_strides + n_steps) > 0
    dominant = prior_factor
    if n_strides != n_steps:
        dominant = 2.0 if n_strides > n_steps else 1.0
    # Undecided seconds take the nearest decided stretch, else the dominant unit.
    filled = pd.Series(cls).ffill().bfill().to_numpy()
    filled = np.where(np.isfinite(filled), filled, dominant)
    filled = _merge_short(filled, MIN_STRETCH_S)
    stretches = _stretches(filled)
    median_raw = float(np.nanmedian(values)) if np.isfinite(values).any() else float("nan")
    return UnitDecision(
        filled, _describe(stretches, median_raw, trusted, stored), trusted, stretches
    )


def _between(values: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (values >= band[0]) & (values < band[1])


def _merge_short(factor: np.ndarray, min_len: int) -> np.ndarray:
    out = factor.copy()
    for _ in range(3):  # a few passes settle nested short stretches
        runs = _stretches(out)
        if len(runs) <= 1:
            break
        changed = False
        for i, (a, b, f) in enumerate(runs):
            if b - a >= min_len:
                continue
            left = runs[i - 1] if i > 0 else None
            right = runs[i + 1] if i + 1 < len(runs) else None
            neighbour = max((r for r in (left, right) if r is not None), key=lambda r: r[1] - r[0])
            if neighbour[2] != f:
                out[a:b] = neighbour[2]
                changed = True
        if not changed:
            break
    return out


def _stretches(factor: np.ndarray) -> list[tuple[int, int, float]]:
    if len(factor) == 0:
        return []
    edges = np.flatnonzero(np.diff(factor) != 0) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [len(factor)]])
    return [(int(a), int(b), float(factor[a])) for a, b in zip(starts, ends, strict=True)]


def _describe(
    stretches: list[tuple[int, int, float]], median_raw: float, trusted: bool, stored: str
) -> str:
    def unit(f: float) -> str:
        return "strides/min of one foot, doubled" if f == 2.0 else "already steps/min, used as is"

    stored_note = f" (file declares: {stored})" if stored else ""
    if len(stretches) <= 1:
        f = stretches[0][2] if stretches else 2.0
        text = f"{unit(f)}; median raw value {median_raw:.0f}{stored_note}"
    else:
        parts = [f"{_fmt_clock(a)}-{_fmt_clock(b)}: {unit(f)}" for a, b, f in stretches]
        text = "unit switches mid-file: " + "; ".join(parts) + stored_note
    if not trusted:
        text += "; no stretch was unambiguous, so the unit is a guess (cadence untrusted)"
    return text
