"""TCX reader (stdlib ElementTree): trackpoints, laps, RunCadence/Cadence, HR and speed.

Elements are matched by local name so the many prefixes exporters use (``ns3:``, ``ext:``, none)
all work. Only ``Activity`` elements whose Sport is Running are read; a multi-sport TCX gives
its run legs.

Two ways to the trackpoints, one assembly: with ``ReadOptions.fast`` the streaming scan of
:mod:`footfall.io.tcx_fast` reads them and hands over the rest of the document (activities,
laps, notes) as a small tree; when it declines, ElementTree reads the whole document. Both give
one table per ``<Track>``, and :func:`assemble` makes the RawTrack from them.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pandas as pd

from footfall.errors import CorruptFile, NotARun, NoUsableData
from footfall.io.registry import ReadOptions
from footfall.io.sport import is_run, sport_from_label
from footfall.io.track import CadenceHint, RawTrack, choose_outing
from footfall.io.xml_salvage import Damage, close_cut_short, recode_for_expat
from footfall.io.xml_text import (
    check_safe,
    declare_missing_prefixes,
    local_name,
    strip_bom,
    to_float,
)
from footfall.model import ChannelSource


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local_name(c.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for c in element:
        if local_name(c.tag) == name:
            return c
    return None


def _find(element: ET.Element, *path: str) -> ET.Element | None:
    node: ET.Element | None = element
    for name in path:
        if node is None:
            return None
        node = _child(node, name)
    return node


#: the points of one <Track>: a table (columns in the order of first appearance, ``time`` as
#: the file's text) and whether a RunCadence was among them
TrackPoints = tuple[pd.DataFrame, bool]


def read_tcx(data: bytes, path: str, options: ReadOptions | None = None) -> RawTrack:
    options = options or ReadOptions()
    data, warnings = prepare(data, path)
    if options.fast:
        from footfall.io.tcx_fast import scan_tcx

        scanned = scan_tcx(data)
        if scanned is not None:
            skeleton, more, damage, points_of = scanned
            return assemble(skeleton, warnings + more, damage, points_of, path, fast=True)
    root, more, damage = _parse(data, path)
    return assemble(root, warnings + more, damage, _reference_points, path, fast=False)


def assemble(
    root: ET.Element,
    warnings: list[str],
    damage: list[Damage],
    points_of: Callable[[ET.Element], TrackPoints],
    path: str,
    *,
    fast: bool,
) -> RawTrack:
    """The RawTrack of a parsed TCX: ``points_of`` gives the points of each <Track>."""
    activities = [a for a in root.iter() if local_name(a.tag) == "Activity"]
    if not activities:
        if any(local_name(e.tag) == "Course" for e in root.iter()):
            raise NoUsableData(path, "the TCX holds a course (a planned route), not an activity")
        raise NoUsableData(path, "the TCX holds no Activity")
    sports = [sport_from_label(a.get("Sport")) for a in activities]
    runs = [a for a, s in zip(activities, sports, strict=True) if is_run(s) is not False]
    if not runs:
        raise NotARun(path, ", ".join(dict.fromkeys(s or "unknown" for s in sports)))
    legs = []
    if len(activities) > 1:
        legs = [f"running leg {activities.index(a) + 1} of {len(activities)}" for a in runs]
    laps: list[float] = []
    run_cadence: list[bool] = []
    per_activity = [_activity_points(a, laps, run_cadence, points_of) for a in runs]
    totals = [_lap_totals(a) for a in runs]
    spans = [_span(frames) for frames in per_activity]
    chosen, outing_note = choose_outing(spans)
    if outing_note:
        warnings.append(outing_note)
        legs = [legs[i] for i in chosen] if legs else legs
        lo, hi = min(spans[i][0] for i in chosen), max(spans[i][1] for i in chosen)
        laps = [t for t in laps if lo <= t <= hi]
    frames = [frame for i in chosen for frame in per_activity[i]]
    timer = [totals[i][0] for i in chosen]
    distance = [totals[i][1] for i in chosen]
    if not frames:
        raise NoUsableData(path, "the TCX activity holds no trackpoints")
    samples = _samples(frames, path, fast)
    lead = runs[chosen[0]]
    creator = _find(lead, "Creator", "Name")
    device = creator.text.strip() if creator is not None and creator.text else None
    notes = _find(lead, "Notes")
    hint = None
    if "cadence_raw" in samples.columns:
        tag = "RunCadence" if any(run_cadence) else "Cadence"
        hint = CadenceHint(
            f"TCX <{tag}>",
            "strides/min of one foot (Garmin convention); some exporters write steps/min",
            2.0,
        )
    return RawTrack(
        fmt="tcx",
        samples=samples,
        channels=_channels(samples),
        cadence_hint=hint,
        sport=sports[activities.index(lead)],
        device=device,
        name=notes.text.strip()[:200] if notes is not None and notes.text else None,
        laps=sorted(set(laps)),
        legs=legs,
        warnings=warnings,
        timer_time_s=sum(t for t in timer if t is not None) if all(timer) else None,
        device_distance_m=sum(d for d in distance if d is not None) if all(distance) else None,
        leg_spans=[spans[i] for i in chosen] if len(chosen) > 1 else [],
        damage=damage,
    )


def _activity_points(
    activity: ET.Element,
    laps: list[float],
    run_cadence: list[bool],
    points_of: Callable[[ET.Element], TrackPoints],
) -> list[pd.DataFrame]:
    """The trackpoint tables of one <Activity>, lap by lap (tables without rows left out);
    lap start times go into ``laps``, whether RunCadence was seen into ``run_cadence``."""
    frames: list[pd.DataFrame] = []
    for lap in _children(activity, "Lap"):
        start = _parse_time(lap.get("StartTime") or "")
        if start is not None:
            laps.append(start)
        for track in _children(lap, "Track"):
            frame, has_run_cadence = points_of(track)
            run_cadence.append(has_run_cadence)
            if len(frame):
                frames.append(frame)
    return frames


def _reference_points(track: ET.Element) -> TrackPoints:
    run_cadence_tags: set[str] = set()
    rows = [_trackpoint(p, run_cadence_tags) for p in _children(track, "Trackpoint")]
    return pd.DataFrame(rows), bool(run_cadence_tags)


def _lap_totals(activity: ET.Element) -> tuple[float | None, float | None]:
    """The device's timer time and distance of one <Activity>: the sums of its laps'
    TotalTimeSeconds and DistanceMeters (None when a lap lacks one)."""
    timer, distance = 0.0, 0.0
    laps = _children(activity, "Lap")
    if not laps:
        return None, None
    for lap in laps:
        t = _child(lap, "TotalTimeSeconds")
        d = _child(lap, "DistanceMeters")
        t_value = to_float(t.text) if t is not None else float("nan")
        d_value = to_float(d.text) if d is not None else float("nan")
        timer = timer + t_value if math.isfinite(t_value) and t_value >= 0 else math.nan
        distance = distance + d_value if math.isfinite(d_value) and d_value >= 0 else math.nan
    return (timer if math.isfinite(timer) else None, distance if math.isfinite(distance) else None)


def _samples(frames: list[pd.DataFrame], path: str, fast: bool) -> pd.DataFrame:
    """Trackpoint tables -> samples with float UNIX ``time`` (NaN where a point has none)."""
    samples = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if "time" not in samples.columns:
        raise NoUsableData(path, "the TCX trackpoints carry no time stamps")
    if fast and samples["time"].dtype == "float64":
        pass  # the fast scan gave UNIX seconds already
    elif fast:
        from footfall.io.xml_stream import unix_seconds

        stamps = pd.to_datetime(samples["time"], utc=True, format="ISO8601", errors="coerce")
        samples["time"] = unix_seconds(stamps)
    else:
        stamps = pd.to_datetime(samples["time"], utc=True, format="ISO8601", errors="coerce")
        samples["time"] = stamps.map(lambda t: t.timestamp() if pd.notna(t) else float("nan"))
    samples = samples.astype({"time": "float64"})
    if samples["time"].isna().all():
        raise NoUsableData(path, "the TCX trackpoints carry no time stamps")
    return samples


def prepare(data: bytes, path: str) -> tuple[bytes, list[str]]:
    """The bytes a parser is given: safe (no entity declarations), without a byte order mark
    or the whitespace some exporters (Polar) put before the XML declaration, which expat
    refuses, and an encoding Python does not know read as UTF-8."""
    check_safe(data, path)
    data = strip_bom(data).lstrip()
    data, unknown = recode_for_expat(data)
    if unknown:
        return data, [f"the declared encoding '{unknown}' is unknown; the file was read as UTF-8"]
    return data, []


def repair(data: bytes) -> tuple[bytes, list[str], list[Damage]]:
    """The repairs real exporters need when the document does not parse: a document cut short
    is closed after its last complete trackpoint (and reported as damage), undeclared
    prefixes are declared. Returns ``data`` itself when nothing could be repaired."""
    warnings: list[str] = []
    repaired, damage = close_cut_short(data, "Trackpoint", "TCX")
    repaired, added = declare_missing_prefixes(repaired)
    if added:
        warnings.append(f"undeclared namespace prefixes ({', '.join(added)}) were declared")
    return repaired, warnings, damage


def _parse(data: bytes, path: str) -> tuple[ET.Element, list[str], list[Damage]]:
    """The XML tree of the prepared bytes, repaired (:func:`repair`) when it does not parse."""
    try:
        return ET.fromstring(data), [], []
    except ET.ParseError as first:
        problem = first
    repaired, warnings, damage = repair(data)
    if repaired == data:
        raise CorruptFile(path, f"not readable as TCX: {problem}")
    try:
        return ET.fromstring(repaired), warnings, damage
    except ET.ParseError as second:
        raise CorruptFile(path, f"not readable as TCX: {second}") from None


def _span(frames: list[pd.DataFrame]) -> tuple[float, float]:
    """UNIX [start, end] of one activity: the times of its first and last trackpoints."""
    ends = [(frames[0], 0), (frames[-1], -1)] if frames else []
    texts = [frame["time"].iloc[row] for frame, row in ends if "time" in frame.columns]
    times = [t for x in texts if (t := _time_of(x)) is not None]
    return (min(times), max(times)) if times else (0.0, 0.0)


def _time_of(value: object) -> float | None:
    """A trackpoint's time: the file's text, or UNIX seconds from the fast scan (NaN: none)."""
    if isinstance(value, str):
        return _parse_time(value)
    if isinstance(value, float) and not math.isnan(value):
        return value
    return None


def _parse_time(text: str) -> float | None:
    """UNIX seconds of an ISO time, None for one pandas cannot read (an offset of 24 h or
    more, a malformed stamp), which is then no lap start or span end rather than an error."""
    try:
        stamp = pd.Timestamp(text)
        if pd.isna(stamp):
            return None
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize("UTC")
        return float(stamp.timestamp())
    except (ValueError, TypeError, OverflowError, OSError):  # incl. OutOfBoundsDatetime
        return None


def _trackpoint(point: ET.Element, run_cadence_tags: set[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for child in point:
        name = local_name(child.tag)
        if name == "Time":
            row["time"] = (child.text or "").strip()
        elif name == "Position":
            lat, lon = _child(child, "LatitudeDegrees"), _child(child, "LongitudeDegrees")
            if lat is not None and lon is not None:
                row["lat"] = to_float(lat.text)
                row["lon"] = to_float(lon.text)
        elif name == "AltitudeMeters":
            row["altitude_m"] = to_float(child.text)
        elif name == "DistanceMeters":
            row["distance_m"] = to_float(child.text)
        elif name == "HeartRateBpm":
            value = _child(child, "Value")
            row["heart_rate_bpm"] = to_float(value.text if value is not None else child.text)
        elif name == "Cadence":
            row.setdefault("cadence_raw", to_float(child.text))
        elif name == "Extensions":
            _extensions(child, row, run_cadence_tags)
    return row


def _extensions(element: ET.Element, row: dict[str, Any], run_cadence_tags: set[str]) -> None:
    """ActivityExtension v2 values of a trackpoint: RunCadence (wins over Cadence), Speed,
    Watts."""
    for ext in element.iter():
        ext_name = local_name(ext.tag)
        if ext_name == "RunCadence":
            row["cadence_raw"] = to_float(ext.text)
            run_cadence_tags.add(ext_name)
        elif ext_name == "Speed":
            row["speed_mps"] = to_float(ext.text)
        elif ext_name == "Watts":
            row["power_w"] = to_float(ext.text)


def _channels(samples: pd.DataFrame) -> dict[str, ChannelSource]:
    known = {
        "lat": ChannelSource("Position/LatitudeDegrees", "degrees"),
        "lon": ChannelSource("Position/LongitudeDegrees", "degrees"),
        "altitude_m": ChannelSource("AltitudeMeters", "m"),
        "distance_m": ChannelSource("DistanceMeters", "m"),
        "heart_rate_bpm": ChannelSource("HeartRateBpm/Value", "bpm"),
        "speed_mps": ChannelSource("Extensions/TPX/Speed", "m/s"),
        "power_w": ChannelSource("Extensions/TPX/Watts", "W"),
    }
    out = {k: v for k, v in known.items() if k in samples.columns}
    if "speed_mps" not in samples.columns and "distance_m" in samples.columns:
        out["speed_mps"] = ChannelSource(
            "computed from DistanceMeters and times", "m/s", derived=True
        )
    return out
