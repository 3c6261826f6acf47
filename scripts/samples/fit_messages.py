"""FIT message helpers: file start, timer events, laps, sessions, records, running dynamics.

They write through :class:`samples.fit_write.FitWriter` in the order a Garmin watch does,
and summaries are computed from the values actually written.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from samples.fit_write import DevField, FitWriter, semicircles
from samples.motion import Arrays, ar1


def quantise_fit_cadence(spm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FIT running cadence: strides/min of one foot + fractional_cadence in 1/128 (SCIENCE.md
    §3.1); returns the two fields and the steps/min they stand for."""
    half = np.rint(spm / 2 * 128) / 128
    whole = np.floor(half)
    return whole, half - whole, 2 * half


def fit_start(w: FitWriter, t0: int, sport: str | None = "running", sub: str = "street") -> None:
    product = 3113  # a Forerunner-class watch
    ident = {"type": "activity", "manufacturer": "garmin", "product": product}
    w.message("file_id", {**ident, "serial_number": 3_912_345_678, "time_created": t0})
    info = {"timestamp": t0, "device_index": "creator", "software_version": 12.1}
    w.message("device_info", {**info, "manufacturer": "garmin", "product": product}, local=1)
    if sport:
        w.message("sport", {"sport": sport, "sub_sport": sub, "name": sport.title()}, local=1)
    timer(w, t0, "start")


def timer(w: FitWriter, t: float, kind: str) -> None:
    values = {"timestamp": t, "event": "timer", "event_type": kind, "event_group": 0}
    w.message("event", values, local=1)


def summary(a: Arrays, t0: int, sl: slice, sport: str) -> dict[str, Any]:
    """Fields shared by lap and session messages, computed from the written records."""
    t = a["t"][sl] + t0
    out: dict[str, Any] = {
        "timestamp": int(t[-1]) + 1,
        "start_time": int(t[0]),
        "total_elapsed_time": float(t[-1] - t[0] + 1),
        "total_timer_time": float(len(t)),
        "total_distance": float(a["distance"][sl][-1] - a["distance"][sl][0]),
        "enhanced_avg_speed": float(np.mean(a["speed"][sl])),
        "enhanced_max_speed": float(np.max(a["speed"][sl])),
        "avg_heart_rate": int(np.mean(a["hr"][sl])),
        "max_heart_rate": int(np.max(a["hr"][sl])),
        "sport": sport,
    }
    if sport == "running" and "spm_q" in a:
        half = float(np.mean(a["spm_q"][sl])) / 2
        out["avg_running_cadence"] = int(half)
        out["avg_fractional_cadence"] = math.floor((half - int(half)) * 128) / 128
    elif "cad_raw" in a:
        out["avg_cadence"] = int(np.mean(a["cad_raw"][sl]))
    if "power" in a:
        out["avg_power"] = int(np.mean(a["power"][sl]))
    averages = {"stance_time": "avg_stance_time", "vo": "avg_vertical_oscillation"}
    averages |= {"vr": "avg_vertical_ratio", "balance": "avg_stance_time_balance"}
    for name, key in (averages | {"step_mm": "avg_step_length"}).items():
        if name in a:
            out[key] = float(np.mean(a[name][sl]))
    return out


def km_laps(distance: np.ndarray, every_m: float = 1000.0) -> list[int]:
    """End index (exclusive) of each auto lap, the last one at the end of the records."""
    marks = np.searchsorted(distance, np.arange(every_m, distance[-1], every_m))
    return sorted({*(int(m) for m in marks if 0 < m < len(distance)), len(distance)})


def write_leg(
    w: FitWriter,
    a: Arrays,
    t0: int,
    records: dict[str, np.ndarray],
    lap_ends: list[int],
    sport: str,
    sub: str,
    *,
    pauses: tuple[int, ...] = (),
    dev: dict[DevField, np.ndarray] | None = None,
    compressed: bool = False,
    intensity: list[str] | None = None,
    index: int = 0,
    first_lap: int = 0,
) -> int:
    """One session: records in blocks, a lap message after each lap and timer events around
    pauses, then the session message (the order a Garmin watch writes them); returns the
    number of laps. :func:`finish` adds the final timer stop and the activity message."""
    start = lap_start = laps = 0
    for stop in sorted({*lap_ends, *pauses}):
        block = slice(start, stop)
        cols = {k: v[block] for k, v in records.items()}
        devs = {f: v[block] for f, v in dev.items()} if dev else None
        w.messages("record", cols, local=2, dev=devs, compressed_time=compressed)
        if stop in pauses:
            timer(w, int(a["t"][stop - 1]) + t0 + 1, "stop_all")
            timer(w, int(a["t"][stop]) + t0, "start")
        if stop in lap_ends:
            lap = summary(a, t0, slice(lap_start, stop), sport)
            trigger = "session_end" if stop == lap_ends[-1] else "distance"
            lap.update(event="lap", event_type="stop", lap_trigger=trigger)
            lap.update(message_index=first_lap + laps, sub_sport=sub)
            if intensity:
                lap.update(intensity=intensity[laps], lap_trigger="manual")
            w.message("lap", lap, local=3)
            lap_start, laps = stop, laps + 1
        start = stop
    session = summary(a, t0, slice(0, len(a["t"])), sport)
    session.update(sub_sport=sub, event="session", event_type="stop", trigger="activity_end")
    session.update(first_lap_index=first_lap, num_laps=laps, message_index=index)
    w.message("session", session, local=0)
    return laps


def finish(w: FitWriter, end: int, timer_s: float, sessions: int = 1) -> bytes:
    timer(w, end, "stop_all")
    kind = "manual" if sessions == 1 else "auto_multi_sport"
    values = {"timestamp": end, "total_timer_time": timer_s, "num_sessions": sessions}
    w.message("activity", {**values, "type": kind, "event": "activity", "event_type": "stop"})
    return w.to_bytes()


def run_records(a: Arrays, t0: int) -> dict[str, np.ndarray]:
    cad, frac, a["spm_q"] = quantise_fit_cadence(a["spm"])
    return {
        "timestamp": a["t"] + t0,
        "position_lat": semicircles(a["lat"]),
        "position_long": semicircles(a["lon"]),
        "distance": a["distance"],
        "enhanced_speed": a["speed"],
        "enhanced_altitude": a["alt"],
        "heart_rate": a["hr"],
        "cadence": cad,
        "fractional_cadence": frac,
    }


def dynamics(
    a: Arrays, seed: int, gct: np.ndarray, vo: float, vr: float, balance: float
) -> dict[str, np.ndarray]:
    """Running dynamics of a chest strap; step length = speed / step rate (mm in FIT)."""
    rng, n = np.random.default_rng(seed), len(gct)
    a["stance_time"] = gct + ar1(rng, n, 3.0, 0.7)
    a["vo"] = vo + ar1(rng, n, 1.8, 0.7)
    a["vr"] = vr + ar1(rng, n, 0.18, 0.7)
    a["balance"] = balance + ar1(rng, n, 0.35, 0.8)
    a["step_mm"] = 60_000.0 * a["speed"] / a["spm_q"]
    a["step_m"] = a["step_mm"] / 1000.0
    names = ("stance_time", "vertical_oscillation", "vertical_ratio", "stance_time_balance")
    keys = ("stance_time", "vo", "vr", "balance")
    return {**{f: a[k] for f, k in zip(names, keys, strict=True)}, "step_length": a["step_mm"]}
