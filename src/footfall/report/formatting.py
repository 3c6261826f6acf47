"""Numbers as a runner reads them: units from the key's suffix, paces, durations.

Plain strings only (no HTML): the templates escape and style them. The suffix rules follow the
channel names of the data contract (DESIGN.md "Units and channels"): ``*_spm`` steps/min,
``*_ms`` milliseconds, ``*_pct`` percent, ``*_mps`` a speed shown as a pace, ``*_s`` a duration.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from footfall.reference import pace_text

DASH = "—"

#: words in evidence keys that read better in capitals
_ACRONYMS = {
    "gct": "GCT",
    "vo": "VO",
    "vr": "VR",
    "hr": "HR",
    "sd": "SD",
    "c-ref": "C_ref",
    "cv": "CV",
    "p10": "p10",
    "p90": "p90",
}

#: key suffix -> (unit shown, decimals); first match wins, longest suffixes first
_SUFFIX_UNITS: tuple[tuple[str, str, int | None], ...] = (
    ("_spm_per_mps", "spm per m/s", 1),
    ("_spm", "spm", 0),
    ("_bpm", "bpm", 0),
    ("_pct", "%", None),
    ("_ms", "ms", 0),
    ("_mm", "mm", 0),
    ("_cm", "cm", 1),
    ("_km", "km", 2),
    ("_m", "m", 2),
    ("_w", "W", 0),
    ("_deg", "°", 1),
    ("_c", "°C", 1),
)


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return math.isfinite(float(value))
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return is_number(value.item())
    return False


def as_float(value: Any) -> float | None:
    """A finite float, or None for anything else (None, NaN, text, booleans)."""
    return float(value) if is_number(value) else None


def number(value: Any, decimals: int | None = None) -> str:
    """A number with sensible precision; ``decimals=None`` picks it from the magnitude."""
    if value is None or not is_number(value):
        return DASH
    v = float(value)
    if decimals is None:
        a = abs(v)
        if (float(v).is_integer() and a >= 1) or a >= 100:
            decimals = 0
        elif a >= 10:
            decimals = 1
        else:
            decimals = 2
    text = f"{v:,.{decimals}f}"
    if decimals > 0 and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def duration(seconds: Any) -> str:
    """754 -> '12:34'; 3725 -> '1:02:05'."""
    if seconds is None or not is_number(seconds) or float(seconds) < 0:
        return DASH
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def pace(speed_mps: Any) -> str:
    if speed_mps is None or not is_number(speed_mps):
        return DASH
    return pace_text(float(speed_mps))


def distance(metres: Any) -> str:
    if metres is None or not is_number(metres):
        return DASH
    return f"{float(metres) / 1000.0:.2f} km"


def percent(value: Any) -> str:
    if value is None or not is_number(value):
        return DASH
    v = float(value)
    return f"{v:.0f} %" if abs(v) >= 10 or v == 0 else f"{v:.1f} %"


def spm(value: Any) -> str:
    if value is None or not is_number(value):
        return DASH
    return f"{float(value):.0f} spm"


def timestamp(iso: Any) -> str:
    """'2019-09-07T09:22:19+00:00' -> '2019-09-07 09:22 UTC' (the file's clock is UTC)."""
    if not iso:
        return DASH
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def label(key: str) -> str:
    """'median_cadence_spm' -> 'Median cadence'; 'gct_ms' -> 'GCT'."""
    base = key
    for suffix, _, _ in _SUFFIX_UNITS:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    else:
        for suffix in ("_mps", "_s"):
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                break
    base = base.replace("c_ref", "C-ref")
    words = [_ACRONYMS.get(w.lower(), w) for w in base.split("_") if w]
    if not words:
        return key
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def evidence_value(key: str, value: Any) -> str:
    """One evidence value as text, with the unit its key names."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{label(str(k))} {evidence_value(str(k), v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(is_number(v) for v in value) and key.endswith("_s"):
            return f"{duration(value[0])}–{duration(value[1])}"
        return ", ".join(evidence_value(key, v) for v in value)
    if not is_number(value):
        return str(value)
    return _with_unit(key, value)


def _with_unit(key: str, value: Any) -> str:
    """A number with the unit its key's suffix names (``_mps`` a pace, ``_s`` a duration)."""
    if key.endswith("_mps"):
        return pace(value)
    if key.endswith("_s"):
        return duration(value)
    for suffix, unit, decimals in _SUFFIX_UNITS:
        if key.endswith(suffix):
            return percent(value) if unit == "%" else f"{number(value, decimals)} {unit}"
    return number(value)


def evidence_rows(evidence: dict[str, Any]) -> list[dict[str, str]]:
    """The numbers behind a finding, as (label, value) rows in the detector's order."""
    return [
        {"key": str(k), "label": label(str(k)), "value": evidence_value(str(k), v)}
        for k, v in evidence.items()
    ]
