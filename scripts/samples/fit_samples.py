"""The FIT samples: one function per file, returning its bytes and its truth."""

from __future__ import annotations

from typing import Any

import numpy as np

from samples.fit_messages import dynamics, finish, fit_start, km_laps, run_records, write_leg
from samples.fit_write import DevField, FitWriter, semicircles
from samples.motion import DAY, ar1, heart_rate, iso, lag, recorded_speed, route, run_data
from samples.truth import DYNAMICS, NO_DYNAMICS, RUN_CHANNELS, channels, median, truth


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
