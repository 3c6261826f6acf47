#!/usr/bin/env python3
"""Write sample_activities/: synthetic FIT, GPX and TCX runs whose ground truth is known.

Each sample ``X.ext`` comes with ``X.truth.json``: what footfall must find in it (median running
cadence, run/walk seconds, channels and their medians, expected error...). The truth is
computed from the very values written to the file (after the format's quantisation), on the
seconds the generator made running, so tests can hold footfall to tight tolerances.

Deterministic: every sample has its own seeded numpy generator and nothing depends on the
clock, so running the script twice gives identical bytes. ``--check`` regenerates into a
temporary folder and exits 1 when anything differs from the committed files.

    .venv/bin/python scripts/make_samples.py            # (re)write sample_activities/
    .venv/bin/python scripts/make_samples.py --check    # verify the committed files
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from scipy.signal import lfilter

from footfall.io.fit_write import DevField, FitWriter, semicircles

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sample_activities"
DAY = int(datetime(2024, 5, 4, 7, 30, tzinfo=UTC).timestamp())  # first sample's start
HOME = (45.1885, 5.7245)  # a park loop (lat, lon of its centre)
Arrays = dict[str, np.ndarray]


# --- signals -------------------------------------------------------------------------------
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


def median(values: np.ndarray, mask: np.ndarray | None = None) -> float:
    v = values if mask is None else values[mask]
    return round(float(np.median(v[np.isfinite(v)])), 2)


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


def quantise_fit_cadence(spm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FIT running cadence: strides/min of one foot + fractional_cadence in 1/128 (SCIENCE.md
    §3.1); returns the two fields and the steps/min they stand for."""
    half = np.rint(spm / 2 * 128) / 128
    whole = np.floor(half)
    return whole, half - whole, 2 * half


def held(values: np.ndarray, idx: np.ndarray, n: int) -> np.ndarray:
    """Per-second series a correct reader holds between irregular points."""
    return values[np.searchsorted(idx, np.arange(n), side="right") - 1]


def irregular(rng: np.random.Generator, n: int, lo: int, hi: int) -> np.ndarray:
    """Record indices of a watch in smart recording: every lo..hi seconds, last one kept."""
    idx = np.cumsum(np.r_[0, rng.integers(lo, hi + 1, n)])
    return np.unique(np.r_[idx[idx < n], n - 1])


def iso(unix: float) -> str:
    return datetime.fromtimestamp(float(unix), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- FIT ---------------------------------------------------------------------------------
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


# --- truth -------------------------------------------------------------------------------
RUN_CHANNELS = {"cadence_spm": ("spm_q", 2.0), "speed_mps": ("speed", 0.1)}
RUN_CHANNELS |= {"heart_rate_bpm": ("hr", 3.0)}
DYNAMICS = {"stance_time_ms": ("stance_time", 4.0), "vertical_oscillation_mm": ("vo", 2.0)}
DYNAMICS |= {"vertical_ratio_pct": ("vr", 0.3), "stance_balance_left_pct": ("balance", 0.4)}
DYNAMICS |= {"step_length_m": ("step_m", 0.03)}
NO_DYNAMICS = ["stance_time_ms", "vertical_oscillation_mm", "vertical_ratio_pct"]
NO_DYNAMICS += ["stance_balance_left_pct"]


def channels(a: Arrays, mask: np.ndarray, names: dict[str, tuple[str, float]]) -> dict[str, Any]:
    """Expected median of each channel over the running seconds, with its tolerance."""
    return {
        col: {"median": median(a[key], mask), "tolerance": tol} for col, (key, tol) in names.items()
    }


def truth(file: str, description: str, **fields: Any) -> dict[str, Any]:
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


# --- the samples ---------------------------------------------------------------------------
def efficient_runner() -> tuple[bytes, dict[str, Any]]:
    t0, n, pause_at, pause_s = DAY, 2400, 1500, 45
    warm = np.clip(np.arange(n) / 30.0 - 10.0, 0.0, 1.0)  # 5 min warm-up, 30 s to race pace
    a = run_data(101, n, 2.75 + 0.45 * warm, 173.0 + 7.0 * warm, drift=6.0)
    rec = run_records(a, t0)
    rec |= dynamics(a, 102, 236.0 - 11.0 * warm, 78.0, 7.0, 50.2)
    a["temp"] = rec["temperature"] = np.rint(14.0 + 0.6 * np.sin(np.arange(n) / 900.0))
    a["t"][pause_at:] += pause_s  # auto-pause at a crossing: no records for 45 s
    rec["timestamp"] = a["t"] + t0
    w = FitWriter()
    fit_start(w, t0)
    lap_ends = km_laps(a["distance"])
    write_leg(w, a, t0, rec, lap_ends, "running", "street", pauses=(pause_at,))
    data = finish(w, int(a["t"][-1]) + t0 + 1, float(n))
    run = np.ones(n, dtype=bool)
    names = RUN_CHANNELS | DYNAMICS | {"temperature_c": ("temp", 1.0), "altitude_m": ("alt", 1.5)}
    return data, truth(
        "efficient_runner.fit",
        "40 min at ~3.2 m/s and ~180 spm after a 5 min warm-up at ~2.75 m/s and ~173 spm; "
        "full running dynamics, 1 km laps, one 45 s timer pause; the efficient reference.",
        start_time=iso(t0),
        duration_s=int(a["t"][-1]) + 1,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, names),
        absent_channels=["power_w", "form_power_w"],
        stored_units={"step_length_m": "mm", "vertical_oscillation_mm": "mm"},
        lap_starts_s=[int(a["t"][i]) for i in lap_ends[:-1]],
        pauses_s=[[pause_at, pause_at + pause_s]],
        sub_sport="street",
    )


def overstrider() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 86_400, 2700
    drift_from, ramp_s = int(0.75 * n), 120
    ramp = np.clip((np.arange(n) - drift_from) / ramp_s, 0.0, 1.0)
    a = run_data(201, n, np.full(n, 3.0), 150.0 - 6.0 * ramp, kind="out_and_back", drift=10.0)
    rec = run_records(a, t0) | dynamics(a, 202, 305.0 + 15.0 * ramp, 104.0, 9.6, 53.0)
    w = FitWriter()
    fit_start(w, t0)
    lap_ends = km_laps(a["distance"])
    write_leg(w, a, t0, rec, lap_ends, "running", "street")
    data = finish(w, t0 + n, float(n))
    run = np.ones(n, dtype=bool)
    early, late = np.arange(n) < drift_from, np.arange(n) >= drift_from + ramp_s
    return data, truth(
        "overstrider.fit",
        "45 min at ~3.0 m/s and ~150 spm with long ground contact (~305 ms), high vertical "
        "oscillation and ratio, 53 % left GCT balance; over the last 25 % cadence drops ~6 spm "
        "and GCT rises ~15 ms at the same speed (fatigue drift).",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS | DYNAMICS),
        lap_starts_s=lap_ends[:-1],
        drift={
            "from_s": drift_from,
            "ramp_s": ramp_s,
            "cadence_before_spm": median(a["spm_q"], early),
            "cadence_after_spm": median(a["spm_q"], late),
            "cadence_drop_spm": round(median(a["spm_q"], early) - median(a["spm_q"], late), 2),
            "stance_time_rise_ms": round(
                median(a["stance_time"], late) - median(a["stance_time"], early), 2
            ),
            "speed_change_mps": round(median(a["speed"], late) - median(a["speed"], early), 3),
        },
        sub_sport="street",
    )


def run_walk() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 2 * 86_400, 8 * 300
    walking = np.arange(n) % 300 >= 240
    speed = lag(np.where(walking, 1.4, 3.0), 2.0)
    a = run_data(301, n, speed, lag(np.where(walking, 110.0, 172.0), 2.0), drift=4.0)
    rec = run_records(a, t0)
    w = FitWriter()
    fit_start(w, t0)
    ends = [e for k in range(8) for e in (300 * k + 240, 300 * k + 300)]
    intensity = ["active", "rest"] * 8
    # compressed timestamp headers, as some watches write them (FIT protocol)
    write_leg(w, a, t0, rec, ends, "running", "generic", compressed=True, intensity=intensity)
    data = finish(w, t0 + n, float(n))
    run = ~walking
    return data, truth(
        "run_walk.fit",
        "8 x (4 min run at ~172 spm, 3.0 m/s + 1 min walk at ~110 spm, 1.4 m/s), a lap per "
        "interval; records use compressed timestamp headers.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=int(run.sum()),
        walking_time_s=int(walking.sum()),
        median_running_cadence_spm=median(a["spm_q"], run),
        median_walking_cadence_spm=median(a["spm_q"], walking),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        absent_channels=NO_DYNAMICS,
        lap_starts_s=ends[:-1],
        sub_sport="generic",
    )


def truncated() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 3 * 86_400, 1800
    a = run_data(601, n, np.full(n, 3.1), np.full(n, 176.0))
    rec = run_records(a, t0)
    w = FitWriter()
    fit_start(w, t0)
    lap_ends = km_laps(a["distance"])
    write_leg(w, a, t0, rec, lap_ends, "running", "street")
    finish(w, t0 + n, float(n))
    data = w.truncated(2 / 3)
    kept = int(2 / 3 * n)  # records before the one that is cut
    run = np.arange(n) < kept
    return data, truth(
        "truncated.fit",
        "30 min run whose bytes stop in the middle of a record message two thirds in (a "
        "copy interrupted mid-transfer): no CRC, header declares the full size.",
        start_time=iso(t0),
        duration_s=kept,
        running_time_s=kept,
        walking_time_s=0,
        records_before_cut=kept,
        cut_at_byte=len(data),
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        # a lap's start is known from its lap message, written when the lap ends
        lap_starts_s=[lap_ends[k - 1] for k in range(1, len(lap_ends)) if lap_ends[k] <= kept],
        warnings_contain=["damaged"],
        strict_error="TruncatedFile",
    )


def cycling() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 4 * 86_400, 1800
    rng = np.random.default_rng(701)
    v = recorded_speed(rng, np.full(n, 8.0))
    d = np.cumsum(v) - v[0]
    lat, lon, alt = route(rng, d, size=1500.0)
    a = {"t": np.arange(n), "speed": v, "distance": d, "hr": heart_rate(rng, v / 2.6, 5.0)}
    a["cad_raw"] = np.rint(85.0 + ar1(rng, n, 3.0, 0.8))
    a["power"] = np.rint(np.clip(200.0 + ar1(rng, n, 25.0, 0.6), 0, None))
    rec = {"timestamp": a["t"] + t0, "position_lat": semicircles(lat)}
    rec |= {"position_long": semicircles(lon), "distance": d, "enhanced_speed": v}
    rec |= {"enhanced_altitude": alt, "heart_rate": a["hr"], "cadence": a["cad_raw"]}
    rec |= {"power": a["power"]}
    w = FitWriter()
    fit_start(w, t0, "cycling", "road")
    write_leg(w, a, t0, rec, km_laps(d, 5000.0), "cycling", "road")
    return finish(w, t0 + n, float(n)), truth(
        "cycling.fit",
        "30 min road ride: 8 m/s, ~85 rpm, ~200 W; session sport=cycling. footfall must "
        "refuse it as not a run.",
        sport="cycling",
        expected_error={"type": "NotARun", "sport": "cycling"},
        start_time=iso(t0),
        duration_s=n,
        median_cadence_rpm=median(a["cad_raw"]),
    )


def stryd_spm() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 5 * 86_400, 2100
    a = run_data(901, n, np.full(n, 3.3), np.full(n, 176.0), kind="out_and_back")
    rng = np.random.default_rng(902)
    a["gct"] = np.rint(240.0 + ar1(rng, n, 4.0, 0.7))
    a["vo"] = (7.5 + ar1(rng, n, 0.2, 0.7)).astype(np.float32).astype(np.float64)
    a["power"] = np.rint(262.0 + ar1(rng, n, 12.0, 0.6))
    a["form_power"] = np.rint(78.0 + ar1(rng, n, 3.0, 0.7))
    a["lss"] = (10.5 + ar1(rng, n, 0.3, 0.8)).astype(np.float32).astype(np.float64)
    a["vo_mm"] = a["vo"] * 10.0
    rec = run_records(a, t0)
    a["spm_q"] = np.rint(a["spm"])  # older Stryd apps: steps/min in a field labelled "RPM"
    for column in ("cadence", "fractional_cadence"):
        rec.pop(column)
    w = FitWriter()
    fit_start(w, t0)
    w.developer(0, bytes.fromhex("18fb2cf01a4b430dad66988c847421f4"))
    # name, base type, units, native record field, column (Stryd's names and units)
    fields: list[tuple[str, str, str, int | None, str]] = [
        ("Power", "uint16", "Watts", 7, "power"),
        ("Cadence", "uint8", "RPM", 4, "spm_q"),
        ("Ground Time", "uint16", "Milliseconds", None, "gct"),
        ("Vertical Oscillation", "float32", "Centimeters", None, "vo"),
        ("Form Power", "uint16", "Watts", None, "form_power"),
        ("Leg Spring Stiffness", "float32", "KN/m", None, "lss"),
    ]
    dev = {}
    for num, (name, base, units, native, key) in enumerate(fields):
        dev[w.dev_field(DevField(0, num, name, base, units, native))] = a[key]
    lap_ends = km_laps(a["distance"])
    write_leg(w, a, t0, rec, lap_ends, "running", "street", dev=dev)
    run = np.ones(n, dtype=bool)
    names = RUN_CHANNELS | {
        "stance_time_ms": ("gct", 4.0),
        "vertical_oscillation_mm": ("vo_mm", 2.0),
    }
    names |= {"power_w": ("power", 6.0), "form_power_w": ("form_power", 3.0)}
    names |= {"leg_spring_stiffness_kn_m": ("lss", 0.3)}
    return finish(w, t0 + n, float(n)), truth(
        "stryd_spm.fit",
        "35 min run with no native cadence: Stryd developer fields only (Cadence labelled RPM "
        "but in steps/min ~176, Ground Time ms, Vertical Oscillation cm, Form Power, Leg "
        "Spring Stiffness, Power) plus native speed, distance and positions.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="steps/min",
        channels=channels(a, run, names),
        absent_channels=["stance_balance_left_pct", "vertical_ratio_pct"],
        lap_starts_s=lap_ends[:-1],
        stored_units={"vertical_oscillation_mm": "Centimeters", "stance_time_ms": "Milliseconds"},
    )


def multisport() -> tuple[bytes, dict[str, Any]]:
    t0 = DAY + 6 * 86_400
    # sport, sub_sport, seconds, speed m/s, cadence (raw), speed -> heart-rate effort factor
    legs = [
        ("swimming", "open_water", 900, 0.95, 28.0, 2.8),
        ("transition", "swim_to_bike_transition", 120, 1.6, None, 1.4),
        ("cycling", "road", 2400, 8.0, 85.0, 0.38),
        ("transition", "bike_to_run_transition", 90, 1.8, None, 1.6),
        ("running", "street", 1500, 3.2, 174.0, 1.0),
    ]
    rng = np.random.default_rng(1101)
    w = FitWriter()
    fit_start(w, t0, sport=None)
    start, dist0, laps = 0, 0.0, 0
    for i, (sport, sub, n, speed, cad, effort) in enumerate(legs):
        leg_t0 = t0 + start
        if sport == "running":
            a = run_data(1102, n, np.full(n, speed), np.full(n, cad))
            a["distance"] += dist0
            rec, run_a, run_t0 = run_records(a, leg_t0), a, leg_t0
        else:
            v = recorded_speed(rng, np.full(n, speed))
            a = {"t": np.arange(n), "speed": v, "distance": dist0 + np.cumsum(v) - v[0]}
            a["hr"] = heart_rate(rng, v * effort, 0.0)
            lat, lon, alt = route(rng, a["distance"] - dist0, "out_and_back", 400.0 * speed)
            rec = {"timestamp": a["t"] + leg_t0, "position_lat": semicircles(lat)}
            rec |= {"position_long": semicircles(lon), "distance": a["distance"]}
            rec |= {"enhanced_speed": v, "enhanced_altitude": alt, "heart_rate": a["hr"]}
            if cad is not None:
                rec["cadence"] = a["cad_raw"] = np.rint(cad + ar1(rng, n, 2.0, 0.8))
            if sport == "cycling":
                rec["power"] = a["power"] = np.rint(200.0 + ar1(rng, n, 25.0, 0.6))
        laps += write_leg(w, a, leg_t0, rec, [n], sport, sub, index=i, first_lap=laps)
        start, dist0 = start + n, float(a["distance"][-1])
    data = finish(w, t0 + start, float(start), sessions=len(legs))
    run = np.ones(len(run_a["t"]), dtype=bool)
    return data, truth(
        "multisport.fit",
        "Triathlon: swim 15 min -> transition -> bike 40 min -> transition -> run 25 min at "
        "~174 spm; one session per leg, records for all. footfall keeps only the run leg.",
        start_time=iso(run_t0),
        duration_s=len(run_a["t"]),
        running_time_s=len(run_a["t"]),
        walking_time_s=0,
        median_running_cadence_spm=median(run_a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(run_a, run, RUN_CHANNELS),
        absent_channels=["power_w"],
        legs_contain="running leg 5 of 5",
        sessions=[leg[0] for leg in legs],
    )


# --- GPX and TCX -----------------------------------------------------------------------------
GPX_NS = (
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
)


def gpx_points(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, extra: Arrays) -> str:
    """One compact <trkpt> per line; ``extra`` may hold ele, hr and cad."""
    lines = []
    for i in range(len(t)):
        text = f'<trkpt lat="{lat[i]:.6f}" lon="{lon[i]:.6f}">'
        if "ele" in extra:
            text += f"<ele>{extra['ele'][i]:.1f}</ele>"
        text += f"<time>{iso(t[i])}</time>"
        ext = "".join(
            f"<gpxtpx:{k}>{int(extra[k][i])}</gpxtpx:{k}>" for k in ("hr", "cad") if k in extra
        )
        if ext:
            text += f"<extensions><gpxtpx:TrackPointExtension>{ext}</gpxtpx:TrackPointExtension>"
            text += "</extensions>"
        lines.append(text + "</trkpt>\n")
    return "".join(lines)


def gpx_file(
    points: str, t0: int, creator: str, name: str | None = None, desc: str | None = None
) -> bytes:
    meta = f"<metadata>{f'<name>{escape(name)}</name>' if name else ''}"
    meta += f"{f'<desc>{escape(desc)}</desc>' if desc else ''}<time>{iso(t0)}</time></metadata>"
    trk = f"<trk>{f'<name>{escape(name)}</name>' if name else ''}"
    trk += f"{f'<desc>{escape(desc)}</desc>' if desc else ''}<type>running</type><trkseg>\n"
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator={quoteattr(creator)} '
    )
    return (f"{head}{GPX_NS}>\n{meta}\n{trk}{points}</trkseg></trk>\n</gpx>\n").encode()


def gpx_run(
    seed: int,
    n: int,
    speed: float,
    spm: float,
    factor: float,
    step: tuple[int, int],
    kind: str = "loop",
) -> tuple[Arrays, np.ndarray, Arrays]:
    """A run sampled at irregular points; cad written as spm / factor (integers, as in GPX)."""
    a = run_data(seed, n, np.full(n, speed), np.full(n, spm), kind=kind)
    idx = irregular(np.random.default_rng(seed + 1), n, *step)
    cad = np.rint(a["spm"] / factor)
    extra = {"ele": a["alt"][idx], "hr": a["hr"][idx], "cad": cad[idx]}
    a["spm_q"] = held(cad[idx] * factor, idx, n)
    a["hr"] = held(a["hr"][idx], idx, n)
    return a, idx, extra


def steps_per_min() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 7 * 86_400, 1800
    a, idx, extra = gpx_run(401, n, 3.1, 172.0, 1.0, (1, 5), "out_and_back")
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "StravaGPX"), truth(
        "steps_per_min.gpx",
        "30 min run, GPX with Garmin TrackPointExtension v1 whose gpxtpx:cad is already in "
        "steps/min (~172), as some exporters write it; points every 1-5 s.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="steps/min",
        channels=channels(a, run, RUN_CHANNELS | {"altitude_m": ("alt", 1.5)}),
        absent_channels=NO_DYNAMICS,
    )


def gpx_cadence_only() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 9 * 86_400, 2100
    a, idx, extra = gpx_run(801, n, 2.9, 162.0, 2.0, (1, 5))
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "Garmin Connect"), truth(
        "gpx_cadence_only.gpx",
        "35 min run, GPX with gpxtpx:cad in strides/min (~81, i.e. ~162 spm), positions, "
        "elevation and HR, and no athlete height anywhere: overstriding can only be judged "
        "with low confidence.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        absent_channels=NO_DYNAMICS,
        height_cm=None,
        expected_overstride_confidence="low",
    )


def no_cadence() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 10 * 86_400, 1800
    a = run_data(1001, n, np.full(n, 3.0), np.full(n, 170.0), kind="out_and_back")
    t = np.arange(n)
    points = gpx_points(t0 + t, a["lat"], a["lon"], {})
    run = np.ones(n, dtype=bool)
    return gpx_file(points, t0, "Open GPX Tracker"), truth(
        "no_cadence.gpx",
        "30 min run at ~3.0 m/s, GPX with positions and times only (no cadence, HR or "
        "elevation): states come from speed alone.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=None,
        cadence_stored_unit=None,
        channels=channels(a, run, {"speed_mps": ("speed", 0.15)}),
        absent_channels=["cadence_spm", "heart_rate_bpm", "altitude_m", *NO_DYNAMICS],
    )


SCRIPT_NAME = '<script>alert("footfall")</script>'
SCRIPT_DESC = 'Hills & "tempo" <b>5 < 6 > 4</b> it\'s <img src=x onerror=alert(1)>'
SCRIPT_CREATOR = 'Footfall "Test" <GPX> & Co\'s app'


def script_name() -> tuple[bytes, dict[str, Any]]:
    t0, n = DAY + 11 * 86_400, 600
    a, idx, extra = gpx_run(1201, n, 3.0, 170.0, 2.0, (1, 3))
    points = gpx_points(t0 + idx, a["lat"][idx], a["lon"][idx], extra)
    run = np.ones(n, dtype=bool)
    data = gpx_file(points, t0, SCRIPT_CREATOR, SCRIPT_NAME, SCRIPT_DESC)
    return data, truth(
        "script_name.gpx",
        "10 min run whose track name is a <script> element and whose description and creator "
        "hold other HTML-special characters (all XML-escaped): reports must escape them.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(a["spm_q"], run),
        cadence_stored_unit="strides/min",
        channels=channels(a, run, RUN_CHANNELS),
        name=SCRIPT_NAME,
        desc=SCRIPT_DESC,
        creator=SCRIPT_CREATOR,
    )


TCX_NS = (
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def unit_switch() -> tuple[bytes, dict[str, Any]]:
    t0, n, switch = DAY + 8 * 86_400, 3000, 1500
    rng = np.random.default_rng(501)
    v = 3.05 + ar1(rng, n, 0.02, 0.9)  # belt speed via a calibrated foot pod
    d = np.cumsum(v) - v[0]
    first = np.arange(n) < switch
    spm = cadence_spm(rng, np.where(first, 172.0, 178.0))
    raw = np.where(first, np.rint(spm / 2), np.rint(spm))  # the export switches unit
    hr = heart_rate(rng, v, 8.0)
    idx = irregular(rng, n, 3, 7)
    lines = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase {TCX_NS}>\n'
        f'<Activities><Activity Sport="Running"><Id>{iso(t0)}</Id>\n'
    ]
    for lap in range(5):
        a, b = 600 * lap, 600 * lap + 600
        pts = idx[(idx >= a) & (idx < b)]
        lines.append(
            f'<Lap StartTime="{iso(t0 + a)}"><TotalTimeSeconds>600.0</TotalTimeSeconds>'
            f"<DistanceMeters>{d[b - 1] - d[a]:.1f}</DistanceMeters><Calories>0</Calories>"
            f"<AverageHeartRateBpm><Value>{int(np.mean(hr[a:b]))}</Value></AverageHeartRateBpm>"
            "<Intensity>Active</Intensity><TriggerMethod>Time</TriggerMethod><Track>\n"
        )
        for i in pts:
            lines.append(
                f"<Trackpoint><Time>{iso(t0 + i)}</Time><DistanceMeters>{d[i]:.1f}"
                f"</DistanceMeters><HeartRateBpm><Value>{int(hr[i])}</Value></HeartRateBpm>"
                f"<Extensions><ns3:TPX><ns3:Speed>{v[i]:.3f}</ns3:Speed><ns3:RunCadence>"
                f"{int(raw[i])}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n"
            )
        lines.append("</Track></Lap>\n")
    lines.append(
        '<Creator xsi:type="Device_t"><Name>Forerunner 245</Name><UnitId>3998877665'
        "</UnitId><ProductID>3076</ProductID></Creator>\n</Activity></Activities>\n"
        "</TrainingCenterDatabase>\n"
    )
    true_spm = held(np.where(first, raw * 2, raw)[idx], idx, n)
    margin = 120  # away from the switch, where a rolling decision may lag
    a_ = {"spm_q": true_spm, "speed": v, "hr": held(hr[idx], idx, n)}
    seg1, seg2 = np.arange(n) < switch - margin, np.arange(n) >= switch + margin
    return "".join(lines).encode(), truth(
        "unit_switch.tcx",
        "50 min treadmill TCX (no positions) at a steady ~3.05 m/s whose RunCadence is ~86 "
        "(strides/min) for 25 min, then ~178 (steps/min) for 25 min, like a real treadmill "
        "export; the true cadence is ~172-178 spm throughout.",
        start_time=iso(t0),
        duration_s=n,
        running_time_s=n,
        walking_time_s=0,
        median_running_cadence_spm=median(true_spm),
        cadence_stored_unit="strides/min, then steps/min",
        channels=channels(a_, np.ones(n, dtype=bool), RUN_CHANNELS),
        absent_channels=["lat", "lon", *NO_DYNAMICS],
        lap_starts_s=[600, 1200, 1800, 2400],
        unit_switch_at_s=switch,
        segments=[
            {
                "start_s": 0,
                "end_s": switch - margin,
                "stored_unit": "strides/min",
                "median_cadence_spm": median(true_spm, seg1),
            },
            {
                "start_s": switch + margin,
                "end_s": n,
                "stored_unit": "steps/min",
                "median_cadence_spm": median(true_spm, seg2),
            },
        ],
    )


# --- main ----------------------------------------------------------------------------------
SAMPLES: dict[str, Callable[[], tuple[bytes, dict[str, Any]]]] = {
    "efficient_runner.fit": efficient_runner,
    "overstrider.fit": overstrider,
    "run_walk.fit": run_walk,
    "steps_per_min.gpx": steps_per_min,
    "unit_switch.tcx": unit_switch,
    "truncated.fit": truncated,
    "cycling.fit": cycling,
    "gpx_cadence_only.gpx": gpx_cadence_only,
    "stryd_spm.fit": stryd_spm,
    "no_cadence.gpx": no_cadence,
    "multisport.fit": multisport,
    "script_name.gpx": script_name,
}


def build(out: Path) -> list[Path]:
    """Write every sample, its truth sidecar and the folder's README into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written, rows = [], []
    for name, make in SAMPLES.items():
        data, info = make()
        info["generator"] = "scripts/make_samples.py"
        stem = name.rsplit(".", 1)[0]
        sidecar = json.dumps(info, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for path, content in ((out / name, data), (out / f"{stem}.truth.json", sidecar.encode())):
            path.write_bytes(content)
            written.append(path)
        rows.append(f"| `{name}` | {len(data) // 1024} KB | {escape(info['description'])} |")
    readme = (
        "# Sample activities\n\nSynthetic files with known ground truth, written by "
        "`scripts/make_samples.py` (do not edit by hand: run it, and `--check` verifies them).\n"
        "Each `X.ext` has an `X.truth.json` sidecar with what footfall must find in it.\n\n"
        "| file | size | what it holds |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    (out / "README.md").write_bytes(readme.encode())
    return [*written, out / "README.md"]


def check() -> int:
    """Regenerate into a temporary folder; 1 when anything differs from sample_activities/."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_bytes() for p in build(Path(tmp))}
    committed = (
        {p.name: p.read_bytes() for p in OUT.iterdir() if p.is_file()} if OUT.is_dir() else {}
    )
    problems = [f"missing: {n}" for n in sorted(set(fresh) - set(committed))]
    problems += [f"not generated: {n}" for n in sorted(set(committed) - set(fresh))]
    problems += [
        f"differs: {n}" for n in sorted(set(fresh) & set(committed)) if fresh[n] != committed[n]
    ]
    for line in problems:
        print(f"make_samples --check: {line}", file=sys.stderr)
    if not problems:
        print(f"make_samples --check: {len(fresh)} files match {OUT}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for path in build(args.out):
        print(f"{path.stat().st_size:>8}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
