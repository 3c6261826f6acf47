"""Distances on the Earth's surface between consecutive positions."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)


def haversine_steps_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Metres from each position to the next, first element 0; NaN positions give 0."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat.size == 0:
        return np.zeros(0)
    p1, p2 = np.radians(lat[:-1]), np.radians(lat[1:])
    dl = np.radians(lon[1:] - lon[:-1])
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    d = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.concatenate([[0.0], np.nan_to_num(d)])
