"""Shared signals of the samples: seeded noise, speed, cadence, heart rate, route, sampling.

Every generator takes its own seeded ``numpy`` generator so each sample is deterministic.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from scipy.signal import lfilter

DAY = int(datetime(2024, 5, 4, 7, 30, tzinfo=UTC).timestamp())  # first sample's start
HOME = (45.1885, 5.7245)  # a park loop (lat, lon of its centre)
Arrays = dict[str, np.ndarray]


def ar1(rng: np.random.Generator, n: int, sigma: float, rho: float) -> np.ndarray:
    """Smooth noise (AR(1)) with stationary standard deviation ``sigma``."""
    white = rng.normal(0.0, sigma * math.sqrt(1 - rho**2), n)
    out: np.ndarray = lfilter([1.0], [1.0, -rho], white)
    return out


def lag(values: np.ndarray, tau_s: float) -> np.ndarray:
    """First-order lag (heart rate follows effort with a ~30 s time constant)."""
    a = math.exp(-1.0 / tau_s)
    zi = np.array([a * values[0]])
    out: np.ndarray = lfilter([1 - a], [1.0, -a], values, zi=zi)[0]
    return out


def cadence_spm(rng: np.random.Generator, base: np.ndarray) -> np.ndarray:
    """Steps/min with the ±2-3 spm jitter of a watch's per-second cadence."""
    out: np.ndarray = base + ar1(rng, len(base), 1.2, 0.8) + rng.normal(0.0, 0.8, len(base))
    return out


def recorded_speed(rng: np.random.Generator, true: np.ndarray) -> np.ndarray:
    """GPS-ish speed: slow wander plus per-second noise, never negative."""
    n = len(true)
    out: np.ndarray = np.clip(true + ar1(rng, n, 0.08, 0.9) + rng.normal(0.0, 0.05, n), 0, None)
    return out


def heart_rate(rng: np.random.Generator, speed: np.ndarray, drift_per_h: float) -> np.ndarray:
    effort = 92.0 + 20.0 * speed + drift_per_h * np.arange(len(speed)) / 3600.0
    return np.rint(
        lag(np.r_[np.full(60, 100.0), effort], 35.0)[60:] + rng.normal(0, 1.0, len(speed))
    )


def route(
    rng: np.random.Generator, dist: np.ndarray, kind: str = "loop", size: float = 600.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lat, lon, altitude along a loop (ellipse) or an out-and-back, with GPS wander."""
    if kind == "loop":
        theta = np.linspace(0.0, 2 * math.pi, 721)
        x, y = size * np.cos(theta), 0.5 * size * np.sin(theta)
        s = np.r_[0.0, np.cumsum(np.hypot(np.diff(x), np.diff(y)))]
        along = np.mod(dist, s[-1])
        px, py = np.interp(along, s, x), np.interp(along, s, y)
        phase = along / s[-1]
    else:
        turn = 2.5 * size
        along = turn - np.abs(turn - np.mod(dist, 2 * turn))
        px, py = along * math.cos(0.5), along * math.sin(0.5)
        phase = along / turn / 2
    px = px + ar1(rng, len(dist), 1.5, 0.98)
    py = py + ar1(rng, len(dist), 1.5, 0.98)
    lat = HOME[0] + py / 111_320.0
    lon = HOME[1] + px / (111_320.0 * math.cos(math.radians(HOME[0])))
    alt = 212.0 + 7.0 * np.sin(2 * math.pi * phase) + 2.5 * np.sin(6 * math.pi * phase + 1)
    return lat, lon, alt


def run_data(
    seed: int, n: int, speed: np.ndarray, spm: np.ndarray, *, kind: str = "loop", drift: float = 8.0
) -> Arrays:
    """Per-second truth of a run: speed, distance, cadence, HR, positions, altitude."""
    rng = np.random.default_rng(seed)
    v = recorded_speed(rng, speed)
    d = np.cumsum(v) - v[0]
    lat, lon, alt = route(rng, d, kind)
    return {
        "t": np.arange(n, dtype=np.int64),
        "speed": v,
        "distance": d,
        "spm": cadence_spm(rng, spm),
        "hr": heart_rate(rng, speed, drift),
        "lat": lat,
        "lon": lon,
        "alt": alt,
    }


def held(values: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    """Per-second series a correct reader holds between irregular points."""
    return values[np.searchsorted(idx, np.arange(n), side="right") - 1]


def irregular(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    """Record indices of a watch in smart recording: every lo..hi seconds, last one kept."""
    idx = np.cumsum(np.r_[0, rng.integers(lo, hi + 1, n)])
    return np.unique(np.r_[idx[idx < n], n - 1])


def iso(unix: float) -> str:
    """UTC ISO 8601 time to the second, as GPX, TCX and the truth sidecars write it."""
    return datetime.fromtimestamp(float(unix), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
