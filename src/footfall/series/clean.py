"""Channel cleaning on the 1 Hz grid: ranges, speed, cadence units and glitches, step length.

Rules come from science §3.3 (noise, dropouts, sampling) and §3.2 (implausible values);
each constant below names its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from footfall.model import has_values
from footfall.series.geo import haversine_steps_m
from footfall.series.states import MOVING_SPEED_MPS
from footfall.series.units import UnitDecision, decide_cadence_factor

#: physically plausible ranges; values outside are sensor sentinels or glitches [heuristic,
#: bounds well outside the Garmin bands of science §2.3 so real extremes are kept]
VALID_RANGES: dict[str, tuple[float, float]] = {
    "stance_time_ms": (80.0, 1200.0),
    "stance_balance_left_pct": (30.0, 70.0),
    "vertical_oscillation_mm": (10.0, 250.0),
    "vertical_ratio_pct": (1.0, 30.0),
    "step_length_m": (0.1, 3.0),
    "heart_rate_bpm": (25.0, 250.0),
    "power_w": (1.0, 2500.0),
    "form_power_w": (1.0, 1000.0),
    "leg_spring_stiffness_kn_m": (1.0, 40.0),
    "temperature_c": (-40.0, 60.0),
    "altitude_m": (-500.0, 9000.0),
    "lat": (-90.0, 90.0),
    "lon": (-180.0, 180.0),
}
MAX_SPEED_MPS = 12.5  # faster than any human sprint: GPS error (science §3.3)
MAX_ACCEL_MPS2 = 3.0  # implied acceleration limit per second (science §3.3)
MAX_DV_MPS = 1.5  # speed jump in 1 s treated as a spike (science §3.3)
SPEED_DISTANCE_TOLERANCE = 0.25  # [heuristic] GPS error is 3-9 % (science §3.3)
SPEED_SMOOTH_S = 5  # GPS-derived speed smoothed over >= 5 s (DESIGN.md; science §3.3)
CADENCE_MIN_SPM, CADENCE_MAX_SPM = 40.0, 240.0  # implausible while moving (science §3.2)
DROPOUT_MAX_S = 5  # cadence gaps/dips shorter than this are interpolated (science §3.3)
DROPOUT_DIP_SPM = 30.0  # a dip this far below the 30 s median while running fast (§3.3)
DROPOUT_MIN_SPEED = 2.0  # ... only when speed > 2 m/s (science §3.3)
GLITCH_WINDOW_S = 30  # rolling median for half/double glitches (science §3.3)
GLITCH_TOLERANCE = 0.08  # within 8 % of half/double the median is a glitch [heuristic]


@dataclass
class CleanReport:
    """What cleaning changed, for the data-quality notes."""

    notes: list[str] = field(default_factory=list)
    speed_spikes: int = 0
    cadence_fixed: int = 0
    cadence_dropouts: int = 0
    cadence_lost: int = 0
    speed_replaced: bool = False
    speed_derived: str | None = None  # how speed was computed when the file had none
    unit: UnitDecision | None = None


def clean_ranges(frame: pd.DataFrame) -> None:
    for column, (lo, hi) in VALID_RANGES.items():
        if column in frame.columns:
            values = frame[column].to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                bad = (values < lo) | (values > hi)
            if bad.any():
                frame[column] = np.where(bad, np.nan, values)


def derive_distance_and_speed(frame: pd.DataFrame, report: CleanReport) -> list[str]:
    """Fill distance and speed from whatever the file has; returns how each was obtained."""
    how: list[str] = []
    if not has_values(frame, "distance_m"):
        if "lat" in frame.columns and frame["lat"].notna().sum() > 1:
            steps = haversine_steps_m(frame["lat"].to_numpy(), frame["lon"].to_numpy())
            frame["distance_m"] = np.where(frame["lat"].notna(), np.cumsum(steps), np.nan)
            how.append("distance from positions")
        elif has_values(frame, "speed_mps"):
            # only plausible speeds are distance (science §3.3): a sentinel of 1e308 would
            # overflow the sum, and a GPS spike is no metre run
            v = frame["speed_mps"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                v = np.where((v >= 0) & (v <= MAX_SPEED_MPS), v, 0.0)
            frame["distance_m"] = np.cumsum(v)
            how.append("distance from speed")
    has_speed = has_values(frame, "speed_mps")
    if not has_speed and "distance_m" in frame.columns:
        d = frame["distance_m"].to_numpy(dtype=float)
        half = SPEED_SMOOTH_S // 2
        ahead = np.roll(d, -half)
        behind = np.roll(d, half)
        with np.errstate(over="ignore", invalid="ignore"):  # garbage distances: range below
            speed = (ahead - behind) / (2 * half)
        speed[:half] = np.nan
        speed[-half:] = np.nan
        with np.errstate(invalid="ignore"):
            speed = np.where((speed >= 0) & (speed <= MAX_SPEED_MPS), speed, np.nan)
        frame["speed_mps"] = speed
        report.speed_derived = f"speed from distance over {SPEED_SMOOTH_S} s"
        how.append(report.speed_derived)
    elif has_speed:
        report.speed_spikes = _despike_speed(frame)
        if _speed_disagrees_with_distance(frame):
            frame.pop("speed_mps")
            how.extend(derive_distance_and_speed(frame, report))
            report.speed_replaced = True
            report.notes.append(
                "the recorded speed disagrees with the recorded distance by more than "
                f"{SPEED_DISTANCE_TOLERANCE:.0%}; speed was recomputed from distance"
            )
    return how


def _speed_disagrees_with_distance(frame: pd.DataFrame) -> bool:
    """A broken speed channel (wrong scale after an export round trip) shows against the
    distance counter; GPS speed error is 3-9 % (science §3.3), so 25 % is a fault."""
    if "distance_m" not in frame.columns or frame["distance_m"].notna().sum() < 60:
        return False
    d = frame["distance_m"].to_numpy(dtype=float)
    v = frame["speed_mps"].to_numpy(dtype=float)
    ok = np.isfinite(d) & np.isfinite(v)
    if ok.sum() < 60:
        return False
    seconds = np.flatnonzero(ok)
    with np.errstate(over="ignore", invalid="ignore"):  # garbage values: not finite below
        travelled = float(d[seconds[-1]] - d[seconds[0]])
        recorded = float(np.sum(v[ok]))
    if not (np.isfinite(travelled) and np.isfinite(recorded)):
        return False
    if travelled < 100 or recorded <= 0:
        return False
    ratio = recorded / travelled
    return bool(abs(ratio - 1.0) > SPEED_DISTANCE_TOLERANCE)


def _despike_speed(frame: pd.DataFrame) -> int:
    v = frame["speed_mps"].to_numpy(dtype=float).copy()
    with np.errstate(invalid="ignore"):
        bad = (v < 0) | (v > MAX_SPEED_MPS)
        median = pd.Series(v).rolling(SPEED_SMOOTH_S, center=True, min_periods=1).median()
        spike = np.abs(v - median.to_numpy()) > MAX_DV_MPS
    bad |= spike
    v[bad] = np.nan
    filled = pd.Series(v).interpolate(limit=DROPOUT_MAX_S, limit_area="inside").to_numpy()
    frame["speed_mps"] = filled
    return int(bad.sum())


def convert_cadence(
    frame: pd.DataFrame, prior_factor: float, stored: str, report: CleanReport
) -> None:
    """cadence_raw (file unit) -> cadence_spm, then repair dropouts and half/double glitches."""
    raw = frame.pop("cadence_raw").to_numpy(dtype=float)
    # No unit makes a negative cadence or one above CADENCE_MAX_SPM plausible (science §3.2):
    # such raw values are sentinels or garbage (1e308 in a hostile GPX), dropped before the
    # unit is decided, so neither the decision nor the conversion overflows.
    with np.errstate(invalid="ignore"):
        sentinel = ~((raw >= 0) & (raw <= CADENCE_MAX_SPM)) & ~np.isnan(raw)
    raw = np.where(sentinel, np.nan, raw)
    speed = frame["speed_mps"].to_numpy(dtype=float) if "speed_mps" in frame.columns else None
    decision = decide_cadence_factor(raw, speed, prior_factor, stored)
    report.unit = decision
    spm = raw * decision.factor
    moving = np.ones(len(spm), dtype=bool) if speed is None else np.nan_to_num(speed) > 0.5
    with np.errstate(invalid="ignore"):
        implausible = (spm > CADENCE_MAX_SPM) | (moving & (spm > 0) & (spm < CADENCE_MIN_SPM))
    spm[implausible] = np.nan
    fixed = _fix_half_double(spm)
    dropouts = _fill_dropouts(spm, speed)
    report.cadence_fixed = fixed + int(implausible.sum()) + int(sentinel.sum())
    report.cadence_dropouts = dropouts
    if speed is not None:
        # Zero cadence while moving (walking included) for longer than a dropout is a lost
        # sensor (a footpod battery, a wrist that stopped counting): unknown, not a stop
        # (science §3.3).
        with np.errstate(invalid="ignore"):
            lost = (spm == 0) & (np.nan_to_num(speed) >= MOVING_SPEED_MPS)
        spm[lost] = np.nan
        report.cadence_lost = int(lost.sum())
    frame["cadence_spm"] = spm


def _fix_half_double(spm: np.ndarray) -> int:
    running = np.where(spm >= 120, spm, np.nan)
    median = pd.Series(running).rolling(GLITCH_WINDOW_S, center=True, min_periods=10).median()
    m = median.to_numpy()
    with np.errstate(invalid="ignore"):
        half = np.abs(spm / m - 0.5) <= GLITCH_TOLERANCE
        double = np.abs(spm / m - 2.0) <= 2 * GLITCH_TOLERANCE
    spm[half] *= 2.0
    spm[double] /= 2.0
    return int(half.sum() + double.sum())


def _fill_dropouts(spm: np.ndarray, speed: np.ndarray | None) -> int:
    """Zeros and short dips while running fast are sensor dropouts, not stops (§3.3)."""
    if speed is None:
        return 0
    fast = np.nan_to_num(speed) > DROPOUT_MIN_SPEED
    median = (
        pd.Series(np.where(spm > 0, spm, np.nan))
        .rolling(GLITCH_WINDOW_S, center=True, min_periods=10)
        .median()
        .to_numpy()
    )
    with np.errstate(invalid="ignore"):
        dip = fast & ((spm == 0) | (median - spm > DROPOUT_DIP_SPM) | np.isnan(spm))
    runs = _short_runs(dip, DROPOUT_MAX_S)
    spm[runs] = np.nan
    series = pd.Series(spm)
    filled = series.interpolate(limit=DROPOUT_MAX_S, limit_area="inside").to_numpy()
    # Only gaps between two moving values are bridged; a ramp down to a stop is not data.
    before = series.ffill().to_numpy()
    after = series.bfill().to_numpy()
    with np.errstate(invalid="ignore"):
        bridged = np.isnan(spm) & (before >= CADENCE_MIN_SPM) & (after >= CADENCE_MIN_SPM)
    spm[bridged] = filled[bridged]
    return int(runs.sum())


def _short_runs(mask: np.ndarray, max_len: int) -> np.ndarray:
    out = np.zeros_like(mask)
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        if b - a < max_len:
            out[a:b] = True
    return out


def derive_step_length(frame: pd.DataFrame) -> bool:
    """Step length = speed / step rate when the device did not record it (DESIGN.md)."""
    if has_values(frame, "step_length_m"):
        return False
    if "cadence_spm" not in frame.columns or "speed_mps" not in frame.columns:
        return False
    spm = frame["cadence_spm"].to_numpy(dtype=float)
    v = frame["speed_mps"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        sl = np.where(spm >= 100, 60.0 * v / spm, np.nan)
    lo, hi = VALID_RANGES["step_length_m"]
    with np.errstate(invalid="ignore"):
        sl = np.where((sl >= lo) & (sl <= hi), sl, np.nan)
    frame["step_length_m"] = sl
    return bool(np.isfinite(sl).any())
