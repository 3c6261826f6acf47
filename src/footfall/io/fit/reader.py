"""FIT reader: decoded FIT messages -> RawTrack (contract units, running legs only).

Which decoder runs is decided in :func:`decode_fit`: the numpy fast path when it accepts the
file, fitparse otherwise. Everything below works on :class:`FitMessages` and does not care.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from footfall.errors import CorruptFile, NotARun
from footfall.io.fit.messages import (
    FIT_EPOCH_UNIX,
    FIT_MIN_ABSOLUTE_TIME,
    DevChannel,
    FitMessages,
)
from footfall.io.fit.sessions import (
    choose_run_sessions,
    file_sport,
    lap_starts,
    number,
    timer_pauses,
)
from footfall.io.registry import ReadOptions
from footfall.io.sport import is_run
from footfall.io.track import CadenceHint, RawTrack
from footfall.model import ChannelSource

SEMICIRCLE_TO_DEG = 180.0 / 2**31  # FIT profile: position in semicircles


def decode_fit(data: bytes, path: str, *, fast: bool = True) -> FitMessages:
    """Decode with the numpy fast path when it accepts the file, else with fitparse."""
    if fast:
        from footfall.io.fit.fast.decoder import decode_fast

        messages = decode_fast(data)
        if messages is not None:
            return messages
    from footfall.io.fit.fitparse_decoder import decode_with_fitparse

    try:
        return decode_with_fitparse(data)
    except Exception as exc:  # fitparse raises plain ValueErrors for damaged files
        raise CorruptFile(path, f"cannot read FIT data: {exc}") from None


def read_fit(data: bytes, path: str, options: ReadOptions | None = None) -> RawTrack:
    """FIT bytes -> RawTrack. Both decoders keep the records read before any damage and
    report it; the caller applies the damage policy (``options.errors``)."""
    options = options or ReadOptions()
    messages = decode_fit(data, path, fast=options.fast)
    return fit_to_track(messages, path)


def fit_to_track(m: FitMessages, path: str) -> RawTrack:
    warnings = [p.message for p in m.problems if p.kind in ("crc", "header_size")]
    damage = [
        (p.kind, p.message, p.offset) for p in m.problems if p.kind not in ("crc", "header_size")
    ]
    times = m.records.get("timestamp")
    if times is None or m.n_records == 0 or not np.isfinite(times).any():
        problem = m.fatal_problem
        if problem is not None:
            raise CorruptFile(path, f"no records could be read: {problem.message}", problem.offset)
        sport = file_sport(m)
        if is_run(sport) is False:
            raise NotARun(path, str(sport))
        from footfall.errors import NoUsableData

        kind = m.file_id.get("type")
        what = f" (a FIT '{kind}' file)" if kind and kind != "activity" else ""
        raise NoUsableData(path, f"no activity records in this FIT file{what}")

    unix = times + FIT_EPOCH_UNIX
    keep = np.ones(len(unix), dtype=bool)
    runs = choose_run_sessions(m, unix, keep, path, warnings)
    samples = _samples(m, unix, keep)
    channels, hint = _channel_sources(m, samples)
    track = RawTrack(
        fmt="fit",
        samples=samples,
        channels=channels,
        cadence_hint=hint,
        sport=runs.sport,
        sub_sport=runs.sub_sport,
        device=_device(m),
        name=None,
        laps=lap_starts(m),
        pauses=timer_pauses(m),
        legs=runs.legs,
        warnings=warnings,
        damage=damage,
        treadmill=runs.sub_sport in ("treadmill", "indoor_running"),
        relative_time=bool(np.nanmedian(times) < FIT_MIN_ABSOLUTE_TIME),
        timer_time_s=runs.timer_s,
        device_distance_m=runs.distance_m,
        leg_spans=runs.spans,
        athlete=_athlete(m),
    )
    if track.relative_time:
        track.warnings.append(
            "the device clock was not set: times count from power-on, so the date is unknown"
        )
    return track


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _col(m: FitMessages, name: str) -> np.ndarray | None:
    values = m.records.get(name)
    if values is None or not np.isfinite(values).any():
        return None
    return values


def _dev(m: FitMessages, names: tuple[str, ...], native: int | None) -> DevChannel | None:
    wanted = {n.lower().replace(" ", "").replace("_", "") for n in names}
    for ch in m.dev_records.values():
        if (
            _label(ch.name).lower().replace(" ", "").replace("_", "") in wanted
            and np.isfinite(ch.values).any()
        ):
            return ch
    if native is not None:
        for ch in m.dev_records.values():
            if ch.native_field_num == native and np.isfinite(ch.values).any():
                return ch
    return None


def _samples(m: FitMessages, unix: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {"time": unix}
    speed = _col(m, "enhanced_speed")
    if speed is None:
        speed = _col(m, "speed")
    if speed is not None:
        cols["speed_mps"] = speed
    simple = {
        "distance": ("distance_m", 1.0),
        "stance_time": ("stance_time_ms", 1.0),
        "stance_time_balance": ("stance_balance_left_pct", 1.0),
        "vertical_oscillation": ("vertical_oscillation_mm", 1.0),
        "vertical_ratio": ("vertical_ratio_pct", 1.0),
        "step_length": ("step_length_m", 1e-3),  # FIT step_length is mm (profile, scale 10)
        "heart_rate": ("heart_rate_bpm", 1.0),
        "power": ("power_w", 1.0),
        "temperature": ("temperature_c", 1.0),
    }
    for fit_name, (column, factor) in simple.items():
        values = _col(m, fit_name)
        if values is not None:
            cols[column] = values * factor
    altitude = _col(m, "enhanced_altitude")
    if altitude is None:
        altitude = _col(m, "altitude")
    if altitude is not None:
        cols["altitude_m"] = altitude
    lat, lon = _col(m, "position_lat"), _col(m, "position_long")
    if lat is not None and lon is not None:
        cols["lat"] = lat * SEMICIRCLE_TO_DEG
        cols["lon"] = lon * SEMICIRCLE_TO_DEG
    cadence = _col(m, "cadence")
    if cadence is not None:
        frac = m.records.get("fractional_cadence")
        if frac is not None:
            cadence = cadence + np.where(np.isfinite(frac), frac, 0.0)
        cols["cadence_raw"] = cadence
    activity_type = _col(m, "activity_type")
    if activity_type is not None:
        cols["activity_type"] = activity_type
    _developer_fallbacks(m, cols)
    frame = pd.DataFrame(cols)
    return frame.loc[keep].reset_index(drop=True)


def _developer_fallbacks(m: FitMessages, cols: dict[str, np.ndarray]) -> None:
    """Native fields win; developer fields (Stryd) fill the channels the watch did not write."""
    if "cadence_raw" not in cols:
        ch = _dev(m, ("Cadence",), 4)
        if ch is not None:
            cols["cadence_raw"] = ch.values
    if "stance_time_ms" not in cols:
        ch = _dev(m, ("Ground Time", "GroundTime", "GCT"), 41)
        if ch is not None:
            cols["stance_time_ms"] = ch.values
    if "vertical_oscillation_mm" not in cols:
        ch = _dev(m, ("Vertical Oscillation",), 39)
        if ch is not None:
            cols["vertical_oscillation_mm"] = ch.values * _vo_to_mm(ch)
    if "power_w" not in cols:
        ch = _dev(m, ("Power",), 7)
        if ch is not None:
            cols["power_w"] = ch.values
    ch = _dev(m, ("Form Power",), None)
    if ch is not None:
        cols["form_power_w"] = ch.values
    ch = _dev(m, ("Leg Spring Stiffness",), None)
    if ch is not None:
        cols["leg_spring_stiffness_kn_m"] = ch.values


def _label(value: object) -> str:
    """A developer field's name or units as text: a file may declare them as anything."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _vo_to_mm(ch: DevChannel) -> float:
    units = _label(ch.units).lower()
    if units.startswith(("mm", "milli")):
        return 1.0
    if units.startswith(("cm", "centi")):
        return 10.0
    # Undeclared unit: running VO is 50-150 mm, i.e. 5-15 cm (science §2.3 bands)
    median = float(np.nanmedian(ch.values))
    return 10.0 if median < 30 else 1.0


def _channel_sources(
    m: FitMessages, samples: pd.DataFrame
) -> tuple[dict[str, ChannelSource], CadenceHint | None]:
    out: dict[str, ChannelSource] = {}
    native = {
        "distance_m": ("record.distance", "m"),
        "stance_time_ms": ("record.stance_time", "ms"),
        "stance_balance_left_pct": ("record.stance_time_balance", "% left"),
        "vertical_oscillation_mm": ("record.vertical_oscillation", "mm"),
        "vertical_ratio_pct": ("record.vertical_ratio", "%"),
        "step_length_m": ("record.step_length", "mm"),
        "heart_rate_bpm": ("record.heart_rate", "bpm"),
        "power_w": ("record.power", "W"),
        "temperature_c": ("record.temperature", "°C"),
        "lat": ("record.position_lat", "semicircles"),
        "lon": ("record.position_long", "semicircles"),
    }
    fit_names = {
        "distance_m": "distance",
        "stance_time_ms": "stance_time",
        "stance_balance_left_pct": "stance_time_balance",
        "vertical_oscillation_mm": "vertical_oscillation",
        "vertical_ratio_pct": "vertical_ratio",
        "step_length_m": "step_length",
        "heart_rate_bpm": "heart_rate",
        "power_w": "power",
        "temperature_c": "temperature",
        "lat": "position_lat",
        "lon": "position_long",
    }
    for column in samples.columns:
        if column in native and _col(m, fit_names[column]) is not None:
            src, unit = native[column]
            out[column] = ChannelSource(src, unit)
        elif column == "speed_mps":
            name = "enhanced_speed" if _col(m, "enhanced_speed") is not None else "speed"
            out[column] = ChannelSource(f"record.{name}", "m/s")
        elif column == "altitude_m":
            name = "enhanced_altitude" if _col(m, "enhanced_altitude") is not None else "altitude"
            out[column] = ChannelSource(f"record.{name}", "m")
    dev_columns = {
        "stance_time_ms": (("Ground Time", "GroundTime", "GCT"), 41),
        "vertical_oscillation_mm": (("Vertical Oscillation",), 39),
        "power_w": (("Power",), 7),
        "form_power_w": (("Form Power",), None),
        "leg_spring_stiffness_kn_m": (("Leg Spring Stiffness",), None),
    }
    for column, (names, num) in dev_columns.items():
        if column in samples.columns and column not in out:
            ch = _dev(m, names, num)
            if ch is not None:
                note = (
                    "converted cm -> mm"
                    if column == "vertical_oscillation_mm" and _vo_to_mm(ch) == 10
                    else ""
                )
                out[column] = ChannelSource(
                    f"developer field '{_label(ch.name)}' (Stryd)",
                    _label(ch.units) or "undeclared",
                    note,
                )
    hint = None
    if "cadence_raw" in samples.columns:
        if _col(m, "cadence") is not None:
            has_frac = _col(m, "fractional_cadence") is not None
            src = "record.cadence" + (" + fractional_cadence" if has_frac else "")
            hint = CadenceHint(src, "strides/min of one foot (FIT 'rpm')", 2.0)
        else:
            ch = _dev(m, ("Cadence",), 4)
            name = _label(ch.name) if ch else "Cadence"
            hint = CadenceHint(
                f"developer field '{name}' (Stryd)",
                f"{(_label(ch.units) if ch else '') or 'undeclared'}; "
                "strides/min or steps/min depending on the app version",
                2.0,
            )
    return out, hint


def _device(m: FitMessages) -> str | None:
    fid = m.file_id
    maker = fid.get("manufacturer")
    product = fid.get("garmin_product") or fid.get("product_name") or fid.get("product")
    parts = [str(p) for p in (maker, product) if p is not None]
    return " ".join(parts) if parts else None


#: a height the file may state, outside it the field is broken (config.HEIGHT_RANGE_CM)
HEIGHT_RANGE_M = (1.2, 2.3)


def _athlete(m: FitMessages) -> dict[str, float]:
    """Height (cm) and weight (kg) from the file's user_profile message, when plausible."""
    out: dict[str, float] = {}
    for msg in m.user_profiles:
        height = number(msg.get("height"))  # FIT profile: metres, scale 100
        if height is not None and HEIGHT_RANGE_M[0] <= height <= HEIGHT_RANGE_M[1]:
            out.setdefault("height_cm", round(100.0 * height, 1))
        weight = number(msg.get("weight"))  # FIT profile: kg, scale 10
        if weight is not None and 25.0 <= weight <= 250.0:
            out.setdefault("weight_kg", round(weight, 1))
    return out
