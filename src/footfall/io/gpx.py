"""GPX reader (gpxpy), with the cadence/HR/temperature/power extensions real exporters write.

With ``ReadOptions.fast`` the streaming scan of :mod:`footfall.io.gpx_fast` reads the track
points and gpxpy only the rest (names, type, creator); when the scan declines, gpxpy reads the
whole file. Both end in :func:`assemble`.

Extension elements are matched by local name, whatever their namespace or prefix: Garmin's
TrackPointExtension v1/v2 (``cad``, ``hr``, ``atemp``, ``speed``), cluetrust GPXDATA
(``cadence``, ``temp``, ``distance``, ``speed``), Garmin GpxExtensions (``Temperature``),
power extensions (``power``, ``PowerInWatts``) and un-namespaced copies (``<cadence>``).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import gpxpy
import gpxpy.gpx
import pandas as pd

from footfall.errors import CorruptFile, NoUsableData
from footfall.io.gpx_fast import EXTENSION_CHANNELS
from footfall.io.registry import ReadOptions
from footfall.io.sport import SportClaim, sport_from_label, sport_from_name, strongest
from footfall.io.track import CadenceHint, RawTrack
from footfall.io.xml_salvage import Damage, close_cut_short
from footfall.io.xml_text import (
    check_safe,
    declare_missing_prefixes,
    decode_text,
    local_name,
    strip_bom,
    to_float,
)
from footfall.model import ChannelSource


def read_gpx(data: bytes, path: str, options: ReadOptions | None = None) -> RawTrack:
    options = options or ReadOptions()
    check_safe(data, path)
    data = strip_bom(data).lstrip()
    if options.fast:
        track = _read_fast(data, path)
        if track is not None:
            return track
    gpx, warnings, damage = _parse(data, path)
    ext_source = gpx
    if _reads_both(gpx, data):
        # gpxpy reads <extensions> only under the 1.1 schema, <speed> only under 1.0: a 1.0
        # file that carries extensions (heart rate, cadence) is read both ways
        ext_source, _, _ = _parse(data, path, version="1.1")
        warnings.append(BOTH_READ)
    rows: list[dict[str, float]] = []
    ext_tags: dict[str, str] = {}
    bad_times = 0
    for point, ext_point in zip(_points(gpx), _points(ext_source), strict=True):
        row = _point_row(point, ext_point.extensions, ext_tags)
        bad_times += int(point.time is not None and math.isnan(row["time"]))
        rows.append(row)
    if not rows:
        for route in gpx.routes:
            if route.points:
                raise NoUsableData(path, "the GPX holds a planned route, not a recorded activity")
        raise NoUsableData(path, "the GPX holds no track points")
    return assemble(gpx, pd.DataFrame(rows), ext_tags, bad_times, warnings, damage, path)


BOTH_READ = "a GPX 1.0 file with 1.1 extensions: both were read"


def _reads_both(gpx: gpxpy.gpx.GPX, data: bytes) -> bool:
    return gpx.version == "1.0" and b"<extensions" in data


def _read_fast(data: bytes, path: str) -> RawTrack | None:
    """The streaming scan (:mod:`footfall.io.gpx_fast`) with gpxpy reading the skeleton; None
    when the scan declines. A document expat refuses gets the reference reader's repairs."""
    from footfall.io.gpx_fast import well_formed

    track = _scan_and_assemble(data, path, [], [])
    if track is not None or well_formed(data) is not False:
        return track
    repaired, warnings, damage = repair(data)
    return None if repaired == data else _scan_and_assemble(repaired, path, warnings, damage)


def _scan_and_assemble(
    data: bytes, path: str, warnings: list[str], damage: list[Damage]
) -> RawTrack | None:
    from footfall.io.gpx_fast import scan_gpx

    scanned = scan_gpx(data)
    if scanned is None:
        return None
    skeleton = decode_text(scanned.skeleton)
    try:
        gpx = gpxpy.parse(skeleton)
        if _reads_both(gpx, data):
            gpxpy.parse(skeleton, version="1.1")
            warnings.append(BOTH_READ)
    except Exception:  # gpxpy raises GPXXMLSyntaxException and GPXException
        return None
    segments = [segment for track in gpx.tracks for segment in track.segments]
    if gpx.version != scanned.version or len(segments) != scanned.segments:
        return None
    samples = pd.DataFrame(scanned.columns)
    return assemble(gpx, samples, scanned.ext_tags, scanned.bad_times, warnings, damage, path)


def assemble(
    gpx: gpxpy.gpx.GPX,
    samples: pd.DataFrame,
    ext_tags: dict[str, str],
    bad_times: int,
    warnings: list[str],
    damage: list[Damage],
    path: str,
) -> RawTrack:
    """The RawTrack of a GPX: ``gpx`` for its names, sport and creator, ``samples`` the rows
    of its track points, from gpxpy or from the fast scan."""
    if bad_times:
        warnings.append(f"{bad_times} track points with an impossible time were left out")
    if samples["time"].isna().all():
        raise NoUsableData(path, "the GPX track points carry no time stamps")
    label = next((t.type for t in gpx.tracks if t.type), None)
    name = next((t.name for t in gpx.tracks if t.name), None) or gpx.name
    claim = strongest(
        [
            SportClaim(sport_from_label(label), "type"),
            SportClaim(sport_from_name(name), "name"),
            SportClaim(sport_from_label(gpx.creator), "creator"),
        ]
    )
    channels = _channels(samples, ext_tags)
    hint = None
    if "cadence_raw" in samples.columns:
        hint = CadenceHint(
            f"GPX extension <{ext_tags.get('cadence_raw', 'cad')}>",
            "strides/min of one foot (Garmin convention); some exporters write steps/min",
            2.0,
        )
    return RawTrack(
        fmt="gpx",
        samples=samples,
        channels=channels,
        cadence_hint=hint,
        sport=claim.sport if claim else None,
        sport_source=claim.source if claim else "file",
        device=gpx.creator,
        name=name,
        warnings=warnings,
        damage=damage,
    )


def _points(gpx: gpxpy.gpx.GPX) -> list[gpxpy.gpx.GPXTrackPoint]:
    return [p for track in gpx.tracks for segment in track.segments for p in segment.points]


def _parse(
    data: bytes, path: str, version: str | None = None
) -> tuple[gpxpy.gpx.GPX, list[str], list[Damage]]:
    """gpxpy's GPX, after the repairs real files need (:func:`repair`) when it does not
    parse."""
    try:
        return gpxpy.parse(decode_text(data), version=version), [], []
    except Exception as first:  # gpxpy raises GPXXMLSyntaxException and GPXException
        problem = first
    repaired, warnings, damage = repair(data)
    if repaired == data:
        raise CorruptFile(path, f"not readable as GPX: {_short(problem)}")
    try:
        return gpxpy.parse(decode_text(repaired), version=version), warnings, damage
    except Exception as second:
        raise CorruptFile(path, f"not readable as GPX: {_short(second)}") from None


def repair(data: bytes) -> tuple[bytes, list[str], list[Damage]]:
    """The repairs real files need: a document cut short is closed after its last complete
    point (and reported as damage), undeclared namespace prefixes are declared, and track
    points without a position are skipped (and counted). ``data`` itself when none applies."""
    warnings: list[str] = []
    repaired, damage = close_cut_short(data, "trkpt", "GPX")
    repaired, added = declare_missing_prefixes(repaired)
    if added:
        warnings.append(
            "the GPX uses namespace prefixes it never declares "
            f"({', '.join(added)}); they were declared so the file could be read"
        )
    repaired, skipped = drop_unpositioned_points(repaired)
    if skipped:
        warnings.append(f"{skipped} track points without a valid position were skipped")
    return repaired, warnings, damage


_TRKPT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?trkpt)\b([^>]*?)(/?)>", re.IGNORECASE)
_COORD = re.compile(rb"""\b(lat|lon)\s*=\s*["']\s*([^"']*)["']""")


def drop_unpositioned_points(data: bytes) -> tuple[bytes, int]:
    """Remove every <trkpt> whose lat or lon is missing or not a number (GPX makes both
    mandatory; one such point must not cost the whole track). Returns the bytes and the count."""
    out: list[bytes] = []
    pos = 0
    skipped = 0
    for match in _TRKPT.finditer(data):
        if match.start() < pos:
            continue
        coords = {k.lower(): v for k, v in _COORD.findall(match.group(2))}
        if all(_is_number(coords.get(k)) for k in (b"lat", b"lon")):
            continue
        end = match.end()
        if not match.group(3):  # not self-closing: up to its closing tag
            close = data.find(b"</" + match.group(1) + b">", end)
            end = len(data) if close < 0 else close + len(match.group(1)) + 3
        out.append(data[pos : match.start()])
        pos = end
        skipped += 1
    out.append(data[pos:])
    return b"".join(out), skipped


def _is_number(raw: bytes | None) -> bool:
    if raw is None:
        return False
    try:
        return math.isfinite(float(raw))
    except ValueError:
        return False


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _point_row(
    point: gpxpy.gpx.GPXTrackPoint, extensions: list[ET.Element], ext_tags: dict[str, str]
) -> dict[str, float]:
    row: dict[str, float] = {
        "time": _timestamp(point),
        "lat": float(point.latitude),
        "lon": float(point.longitude),
    }
    if point.elevation is not None:
        row["altitude_m"] = float(point.elevation)
    if point.speed is not None:  # GPX 1.0 <speed> (m/s); an extension speed also fills it
        row["speed_mps"] = float(point.speed)
        ext_tags.setdefault("speed_mps", "trkpt/speed (GPX 1.0)")
    for element in _walk(extensions):
        key = local_name(element.tag).lower()
        column = EXTENSION_CHANNELS.get(key)
        if column is None or column in row:
            continue
        value = to_float(element.text)
        if math.isfinite(value):
            row[column] = value
            ext_tags.setdefault(column, _prefixed(element.tag))
    return row


def _timestamp(point: gpxpy.gpx.GPXTrackPoint) -> float:
    """UNIX seconds, or NaN for a time Python cannot represent (an offset of 24 h or more)."""
    if point.time is None:
        return math.nan
    try:
        return float(point.time.timestamp())
    except (ValueError, OverflowError, OSError):
        return math.nan


#: extension elements deeper than this are not channels of any exporter [heuristic: the
#: deepest real one, TrackPointExtension/cad, sits at depth 2]
MAX_EXTENSION_DEPTH = 8


def _walk(elements: Iterable[ET.Element]) -> Iterable[ET.Element]:
    """Every element under ``elements``, depth first, without recursion and to a bounded
    depth (a hostile file may nest extensions thousands deep)."""
    stack = [(element, 0) for element in reversed(list(elements))]
    while stack:
        element, depth = stack.pop()
        yield element
        if depth < MAX_EXTENSION_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(list(element)))


def _prefixed(tag: str) -> str:
    if tag.startswith("{"):
        namespace, name = tag[1:].split("}", 1)
        short = namespace.rstrip("/").rsplit("/", 1)[-1]
        return f"{short}:{name}"
    return tag


def _channels(samples: pd.DataFrame, ext_tags: dict[str, str]) -> dict[str, ChannelSource]:
    units = {
        "heart_rate_bpm": "bpm",
        "temperature_c": "°C",
        "power_w": "W",
        "speed_mps": "m/s",
        "distance_m": "m",
    }
    out: dict[str, ChannelSource] = {
        "lat": ChannelSource("trkpt@lat", "degrees"),
        "lon": ChannelSource("trkpt@lon", "degrees"),
    }
    if "altitude_m" in samples.columns:
        out["altitude_m"] = ChannelSource("trkpt/ele", "m")
    for column, tag in ext_tags.items():
        if column in units:
            where = tag if tag.startswith("trkpt") else f"extension <{tag}>"
            out[column] = ChannelSource(where, units[column])
    if "speed_mps" not in samples.columns:
        out["speed_mps"] = ChannelSource("computed from positions and times", "m/s", derived=True)
    if "distance_m" not in samples.columns:
        out["distance_m"] = ChannelSource("computed from positions (haversine)", "m", derived=True)
    return out
