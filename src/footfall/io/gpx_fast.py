"""The fast path of the GPX reader: the track points of every <trkseg> read by patterns, the
rest of the document (metadata, track names and types, routes) left as a skeleton that gpxpy
reads in :mod:`footfall.io.gpx` (gpxpy stays in that module).

expat first checks the whole document as gpxpy will parse it (gpxpy drops the first default
namespace declaration, then runs ElementTree). A track point is read only when it is a plain
``<trkpt lat=".." lon="..">`` whose children are elements gpxpy reads (``ele``, ``time``, the
GPX 1.0 ``speed``/``course``, DOP, fix, satellites, names) holding plain text, and
``<extensions>`` holding elements at most two deep (``<power>``, or
``<gpxtpx:TrackPointExtension>`` around ``hr`` and ``cad``), every value free of references
and CDATA. Anything else makes :func:`scan_gpx` decline (None), and gpxpy reads the file.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import numpy as np

from footfall.io.xml_stream import (
    NC,
    W,
    cut_runs,
    expat_accepts,
    normalise_line_ends,
    only_points,
)

#: extension local name (lower case) -> contract column; matched in any namespace
EXTENSION_CHANNELS: dict[str, str] = {
    "cad": "cadence_raw",
    "cadence": "cadence_raw",
    "runcadence": "cadence_raw",
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "atemp": "temperature_c",
    "temp": "temperature_c",
    "temperature": "temperature_c",
    "power": "power_w",
    "powerinwatts": "power_w",
    "speed": "speed_mps",
    "distance": "distance_m",
}

_TEXT = "[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+"
_VALUE = '"([^"<&]*+)"'
_ATTRS = f"""(?:[ \t\r\n]++{NC}(?::{NC})?{W}={W}(?:"[^"<]*+"|'[^'<]*+'))*+{W}"""
#: trkpt children gpxpy reads (gpxpy.gpx GPX_10_POINT_FIELDS / GPX_11_POINT_FIELDS)
_FLOATS = ("ele", "magvar", "geoidheight", "hdop", "vdop", "pdop", "ageofdgpsdata")
_INTS = ("sat", "dgpsid")
_TEXTS = ("time", "name", "cmt", "desc", "src", "sym", "type", "fix")
_V10 = ("speed", "course", "url", "urlname")  # GPX 1.0 only (ignored by a 1.1 parse)
_FIX = ("none", "2d", "3d", "dgps", "pps", "3")  # gpxpy's possible values of <fix>
_SIMPLE = "|".join((*_FLOATS, *_INTS, *_TEXTS, *_V10))
_EXT_LEAF = f"<{NC}(?::{NC})?{_ATTRS}(?:/>|>{_TEXT}</{NC}(?::{NC})?{W}>)"
_EXT_CONTAINER = f"<{NC}(?::{NC})?{_ATTRS}>(?:{W}{_EXT_LEAF})*{W}</{NC}(?::{NC})?{W}>"
#: extensions two deep at most (gpx.MAX_EXTENSION_DEPTH is far deeper)
_EXT_BODY = f"(?:{W}(?:{_EXT_LEAF}|{_EXT_CONTAINER}))*{W}"
#: a child of a trkpt (expat has checked that every end tag closes its own start tag)
_CHILD = (
    f"<(?:({_SIMPLE}){W}>({_TEXT})</(?:{_SIMPLE}){W}>"
    f"|extensions{_ATTRS}(?:/>|>({_EXT_BODY})</extensions{W}>))"
)
_BARE_CHILD = _CHILD.replace("(", "(?:").replace("(?:?:", "(?:")
#: one point with the white space before it; groups: whole, attr name, value, name, value, body
TRKPT = re.compile(
    f"({W}<trkpt[ \t\r\n]++(lat|lon){W}={W}{_VALUE}[ \t\r\n]++(lat|lon){W}={W}{_VALUE}{W}>"
    f"((?:{W}{_BARE_CHILD})*){W}</trkpt{W}>)"
)
#: groups: simple child name, its text, extensions body; run on points TRKPT matched, whose
#: structure is known, so the body is taken up to its end tag
CHILD = re.compile(
    f"{W}<(?:({_SIMPLE}){W}>({_TEXT})</(?:{_SIMPLE}){W}>|extensions{_ATTRS}(?:/>|>(.*?)</extensions{W}>))",
    re.S,
)
#: an extension element: its prefix, local name, and text (None for a container or ``/>``)
EXT_ELEMENT = re.compile(f"<(?:({NC}):)?({NC}){_ATTRS}(?:(/)>|>({_TEXT})(?=<))")
_NS_DECLARATION = re.compile(f"""xmlns:({NC}){W}={W}(?:"([^"]*)"|'([^']*)')""")
_DEFAULT_NS = re.compile(r"""\sxmlns=(['"])[^'"]+\1""")  # as gpxpy.parser removes it
#: gpxpy's time grammar (gpxpy.gpxfield.RE_TIMESTAMP), narrowed to two-digit fields and a Z
#: or ±hh:mm zone; one time a line
_TIMES = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,15})?(?:Z|[+-]\d\d:\d\d)?$", re.M)
#: years whose microseconds since 1970 a float64 holds exactly (|us| < 2**53: 1685-2255)
_YEARS = (1700, 2200)


@dataclass
class ScannedGpx:
    """What the scan read: the skeleton for gpxpy, and the points' columns."""

    skeleton: str
    runs: int  # the <trkseg> cut out, in document order
    version: str | None
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    ext_tags: dict[str, str] = field(default_factory=dict)  # column -> "short:name"
    bad_times: int = 0


def well_formed(text: str) -> bool:
    """Whether expat reads the text gpxpy hands to ElementTree (gpxpy first drops the first
    default namespace declaration)."""
    return expat_accepts(_DEFAULT_NS.sub("", text, count=1))


def scan_gpx(text: str, version: str | None, read_ext: bool) -> ScannedGpx | None:
    """Scan a decoded GPX that expat accepts as gpxpy parses it (:func:`well_formed`); None
    to decline."""
    first_default = _DEFAULT_NS.search(text)
    root_end = text.find(">", text.find("<gpx"))
    if first_default is not None and first_default.start() > root_end:
        return None  # gpxpy would drop a declaration inside the document
    text = normalise_line_ends(text)
    cut = cut_runs(text, "trkseg", "")
    if cut is None or "trkpt" in cut.skeleton:
        return None
    points = []
    for run in cut.runs:
        if "xmlns=" in run:
            return None  # a default namespace on an extension: its elements' namespace
        found = TRKPT.findall(run)
        if not only_points(run, [p[0] for p in found]):
            return None
        points.extend(found)
    if not points:
        return None
    namespaces = _namespaces(text)
    if namespaces is None:
        return None
    scanned = ScannedGpx(cut.skeleton, len(cut.runs), version)
    if not _fill(scanned, points, version != "1.1", read_ext, namespaces):
        return None
    return scanned


def _namespaces(text: str) -> dict[str, str] | None:
    """prefix -> namespace of every declaration; None when a prefix is bound to two."""
    out: dict[str, str] = {}
    for prefix, double, single in _NS_DECLARATION.findall(text):
        uri = double or single
        if out.setdefault(prefix, uri) != uri:
            return None
    return out


def _fill(
    scanned: ScannedGpx,
    points: list[tuple[str, ...]],
    read_v10: bool,
    read_ext: bool,
    namespaces: dict[str, str],
) -> bool:
    n = len(points)
    lat_text: list[str] = []
    lon_text: list[str] = []
    for _, name1, value1, name2, value2, _body in points:
        if name1 == name2:
            return False
        lat_text.append(value1 if name1 == "lat" else value2)
        lon_text.append(value2 if name1 == "lat" else value1)
    try:
        lat = np.array([float(v.strip()) for v in lat_text])
        lon = np.array([float(v.strip()) for v in lon_text])
    except ValueError:
        return False
    times: list[str | None] = [None] * n
    ele = np.full(n, math.nan)
    speed = np.full(n, math.nan)
    ext: dict[str, tuple[list[int], list[float]]] = {}
    order: dict[str, tuple[int, int]] = {}  # column -> (first point, place in its row)
    for i, point in enumerate(points):
        if point[5].count("<extensions") > 1:
            return False  # an <extensions> inside another: the body's end is not the first
        fields, ext_body = _children(point[5])
        if not _valid(fields, read_v10):
            return False
        times[i] = fields.get("time")
        if "ele" in fields:
            ele[i] = float(fields["ele"].strip())
            order.setdefault("altitude_m", (i, 0))
        if read_v10 and "speed" in fields:
            speed[i] = float(fields["speed"].strip())
            order.setdefault("speed_mps", (i, 1))
            scanned.ext_tags.setdefault("speed_mps", "trkpt/speed (GPX 1.0)")
        if read_ext and ext_body:
            filled = {"speed_mps"} if read_v10 and "speed" in fields else set()
            _extensions(ext_body, i, ext, order, filled, scanned.ext_tags, namespaces)
    unix, bad = _unix_times(times)
    if unix is None:
        return False
    scanned.bad_times = bad
    columns = {"time": unix, "lat": lat, "lon": lon, "altitude_m": ele, "speed_mps": speed}
    for column, (rows, values) in ext.items():
        columns[column] = np.full(n, math.nan)
        columns[column][rows] = values
    ranked = sorted((at, column) for column, at in order.items())
    scanned.columns = {c: columns[c] for c in ("time", "lat", "lon")}
    scanned.columns.update({column: columns[column] for _, column in ranked})
    return True


def _children(body: str) -> tuple[dict[str, str], str | None]:
    """The point's simple children (the first of each name, as gpxpy's ``find``; an empty one
    has text None, no value) and the body of its first <extensions>."""
    fields: dict[str, str] = {}
    ext_body = None
    for name, value, ext in CHILD.findall(body):
        if name:
            fields.setdefault(name, value)
        elif ext_body is None:
            ext_body = ext
    return {k: v for k, v in fields.items() if v}, ext_body


def _valid(fields: dict[str, str], read_v10: bool) -> bool:
    """Whether gpxpy converts every field of a point without raising."""
    try:
        for name in _FLOATS + (("speed", "course") if read_v10 else ()):
            if name in fields:
                float(fields[name].strip())
        for name in _INTS:
            if name in fields:
                int(fields[name].strip())
    except ValueError:
        return False
    return "fix" not in fields or fields["fix"] in _FIX


def _extensions(
    body: str,
    i: int,
    ext: dict[str, tuple[list[int], list[float]]],
    order: dict[str, tuple[int, int]],
    filled: set[str],
    ext_tags: dict[str, str],
    namespaces: dict[str, str],
) -> None:
    """gpx._point_row over one point's extensions: in document order, the first finite value
    of each column."""
    for position, (prefix, name, closed, text) in enumerate(EXT_ELEMENT.findall(body), 2):
        column = EXTENSION_CHANNELS.get(name.lower())
        if column is None or column in filled or closed or not text.strip():
            continue
        try:
            value = float(text.strip())
        except ValueError:
            continue
        if not math.isfinite(value):
            continue
        filled.add(column)
        rows, values = ext.setdefault(column, ([], []))
        rows.append(i)
        values.append(value)
        order.setdefault(column, (i, position))
        if column not in ext_tags:
            uri = namespaces.get(prefix) if prefix else None
            ext_tags[column] = f"{uri.rstrip('/').rsplit('/', 1)[-1]}:{name}" if uri else name


def _unix_times(times: list[str | None]) -> tuple[np.ndarray | None, int]:
    """gpxpy's time and ``datetime.timestamp()`` of each point, in bulk (numpy arithmetic on
    the characters, no datetime per point): UNIX seconds, NaN without a time or for an offset
    of 24 h or more (counted). None when a time is outside the narrowed grammar, the calendar
    or the years handled exactly."""
    out = np.full(len(times), math.nan)
    where = np.array([bool(t) for t in times])
    texts = [t for t in times if t]
    if not texts:
        return out, 0
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1 or len(_TIMES.findall(joined)) != len(texts):
        return None, 0
    width = max(map(len, texts)) + 7  # room to read a zone after the longest fraction
    chars = np.array(texts, dtype=f"<U{width}").view(np.uint32).reshape(len(texts), width)
    d = chars.astype(np.int64) - ord("0")

    def number(at: int, size: int) -> np.ndarray:
        return sum(d[:, at + k] * 10 ** (size - 1 - k) for k in range(size))

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    if not _calendar_ok(year, month, day, hour, minute, second):
        return None, 0
    digit = (d >= 0) & (d <= 9)
    has_fraction = chars[:, 19] == ord(".")
    run = np.argmin(np.c_[digit[:, 20:], np.zeros(len(texts), bool)], axis=1)
    micro = sum(np.where(run > k, d[:, 20 + k], 0) * 10 ** (5 - k) for k in range(6))
    micro = np.where(has_fraction, micro, 0)
    zone = np.where(has_fraction, 20 + run, 19)
    sign_char = np.take_along_axis(chars, zone[:, None], axis=1)[:, 0]
    aware = sign_char != 0
    if not aware.all() and (time.timezone != 0 or time.daylight):
        return None, 0  # naive times are local time in datetime.timestamp()
    cols = [np.take_along_axis(d, (zone + k)[:, None], axis=1)[:, 0] for k in (1, 2, 4, 5)]
    signed = np.isin(sign_char, (ord("+"), ord("-")))
    offset = cols[0] * 600 + cols[1] * 60 + cols[2] * 10 + cols[3]  # SimpleTZ: hh * 60 + mm
    offset = np.where(signed, np.where(sign_char == ord("-"), -offset, offset), 0)
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    too_far = np.abs(offset) >= 24 * 60  # datetime refuses such a utcoffset
    total_us = (seconds - offset * 60) * 1_000_000 + micro
    # datetime.timestamp(): aware, timedelta.total_seconds() (microseconds / 10**6); naive,
    # whole seconds + microsecond / 1e6
    unix = np.where(aware, total_us / 1e6, seconds.astype(float) + micro / 1e6)
    unix[too_far] = math.nan
    out[where] = unix
    return out, int(too_far.sum())


def _calendar_ok(*fields: np.ndarray) -> bool:
    year, month, day, hour, minute, second = fields
    if not ((year >= _YEARS[0]) & (year <= _YEARS[1])).all():
        return False
    if not ((month >= 1) & (month <= 12) & (hour < 24) & (minute < 60) & (second < 60)).all():
        return False
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month - 1]
    return bool(((day >= 1) & (day <= days + (leap & (month == 2)))).all())


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468
