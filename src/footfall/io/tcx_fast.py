"""The fast path of the TCX reader: the trackpoints of every <Track> read by one pattern, the
rest of the document (activities, laps, creator, notes) handed to ElementTree as a small tree.

A trackpoint is read only when its whole element has the shape of the TCX v2 schema
(Trackpoint_t is a sequence: Time, Position, AltitudeMeters, DistanceMeters, HeartRateBpm,
Cadence, SensorState, Extensions; ActivityExtension v2's TPX: Speed, RunCadence, Watts), each
child at most once, with the prefixes of the file's first trackpoint. Every exporter of the
real corpus writes that shape. Anything else (children out of order, another extension, a
comment inside a track, an entity in a value) makes :func:`scan_tcx` decline, and
:mod:`footfall.io.tcx` reads the file with ElementTree. See :mod:`footfall.io.xml_stream` for
why the scan is exact.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import numpy as np
import pandas as pd

from footfall.io.tcx import Damage, TrackPoints, repair
from footfall.io.xml_stream import (
    Cut,
    W,
    attribute,
    close_tag,
    cut_runs,
    decode_like_expat,
    expat_accepts,
    first_appearance,
    floats_lenient,
    leaf,
    marked,
    normalise_line_ends,
    only_points,
    open_tag,
    optional,
    parse_skeleton,
    prefix_before,
)
from footfall.io.xml_text import local_name


@functools.lru_cache(maxsize=32)
def trackpoint_pattern(p: str, q: str, declared: tuple[str, ...]) -> re.Pattern[str]:
    """One trackpoint with TCX elements prefixed ``p`` and the TPX extension prefixed ``q``.
    Groups: the whole point with the white space before it, then a mark and a text for each
    of :data:`_GROUPS`."""
    a = attribute(declared)

    def tcx(name: str) -> str:
        return leaf(name, p, a)

    def ext(name: str) -> str:
        return leaf(name, q, a)

    position = open_tag("Position", p, a) + W + tcx("LatitudeDegrees") + W
    position += tcx("LongitudeDegrees") + W + close_tag("Position", p)
    heart_rate = open_tag("HeartRateBpm", p, a) + W + tcx("Value") + W
    heart_rate += close_tag("HeartRateBpm", p)
    tpx = open_tag("TPX", q, a) + W + optional(ext("Speed")) + optional(ext("RunCadence"))
    tpx += optional(ext("Watts")) + close_tag("TPX", q)
    extensions = open_tag("Extensions", p, a) + W + optional(tpx) + close_tag("Extensions", p)
    return re.compile(
        "("
        + W
        + open_tag("Trackpoint", p, a)
        + W
        + optional(tcx("Time"))
        + optional(position)
        + optional(tcx("AltitudeMeters"))
        + optional(tcx("DistanceMeters"))
        + optional(heart_rate)
        + optional(tcx("Cadence"))
        + optional(leaf("SensorState", p, a, capture=False))
        + optional(extensions)
        + close_tag("Trackpoint", p)
        + ")"
    )


#: the captured elements, in the pattern's order (each a mark and a text group)
_GROUPS = (
    "time",
    "lat",
    "lon",
    "altitude_m",
    "distance_m",
    "heart_rate_bpm",
    "cadence",
    "speed_mps",
    "run_cadence",
    "power_w",
)

#: each column's place in a reference row (tcx._trackpoint fills the row child by child);
#: cadence_raw takes Cadence's place, or RunCadence's (after speed) when a point has no Cadence
_RANK = {
    "time": 0.0,
    "lat": 1.0,
    "lon": 2.0,
    "altitude_m": 3.0,
    "distance_m": 4.0,
    "heart_rate_bpm": 5.0,
    "speed_mps": 7.0,
    "power_w": 8.0,
}
_CADENCE_RANK, _RUN_CADENCE_RANK = 6.0, 7.5

PointsOf = Callable[[ET.Element], TrackPoints]
Scanned = tuple[ET.Element, list[str], list[Damage], PointsOf]


def scan_tcx(data: bytes) -> Scanned | None:
    """The skeleton tree, the repair warnings and damage, and the points of each <Track>; or
    None when the scan does not reproduce the reference reader exactly.

    The scan itself proves the document well formed (the skeleton is parsed, the runs hold
    only elements of the pattern); when it fails on a document expat refuses, the reference
    reader's repairs are applied and the repaired document is scanned."""
    scanned = _scan(data)
    if scanned is not None:
        return scanned[0], [], [], scanned[1]
    if expat_accepts(data):
        return None  # well formed, but not in the shape the pattern reads
    repaired, warnings, damage = repair(data)
    if repaired == data:
        return None  # the reference reader reports the error
    scanned = _scan(repaired)
    return None if scanned is None else (scanned[0], warnings, damage, scanned[1])


def _scan(data: bytes) -> tuple[ET.Element, PointsOf] | None:
    text = decode_like_expat(data)
    if text is None:
        return None
    text = normalise_line_ends(text)
    p = prefix_before(text, "Trackpoint")
    q = prefix_before(text, "TPX") or ""
    if p is None:
        return None
    cut = cut_runs(text, "Track", p)
    if cut is None or "Trackpoint" in cut.skeleton:
        return None  # a trackpoint outside a track, or a track the cut could not take
    skeleton = parse_skeleton(cut.skeleton)
    if skeleton is None:
        return None
    root, declared = skeleton
    if any(x and x[:-1] not in declared for x in (p, q)):
        return None  # a prefix the root does not declare
    tables = _tables(cut, trackpoint_pattern(p, q, tuple(sorted(declared))))
    tracks = [e for e in root.iter() if local_name(e.tag) == "Track"]
    if tables is None or len(tracks) != len(tables):
        return None
    by_track = {id(track): table for track, table in zip(tracks, tables, strict=True)}
    return root, lambda track: by_track[id(track)]


def _tables(cut: Cut, pattern: re.Pattern[str]) -> list[TrackPoints] | None:
    tables = []
    for run in cut.runs:
        points = pattern.findall(run)
        if not only_points(run, [point[0] for point in points]):
            return None
        tables.append(_track_table(points))
    return tables


def _track_table(points: list[tuple[str, ...]]) -> TrackPoints:
    """The table of one track's points, as tcx._reference_points gives it."""
    if not points:
        return pd.DataFrame(), False
    groups = list(zip(*points, strict=True))
    marks = dict(zip(_GROUPS, (marked(groups[i]) for i in range(1, len(groups), 2)), strict=True))
    texts = dict(zip(_GROUPS, groups[2::2], strict=True))
    values = {k: floats_lenient(texts[k], marks[k]) for k in _GROUPS if k not in ("time",)}
    has_cadence, has_run_cadence = marks["cadence"], marks["run_cadence"]
    present = {k: marks[k] for k in _RANK}
    present["cadence_raw"] = has_cadence | has_run_cadence
    rank = {column: np.full(len(points), value) for column, value in _RANK.items()}
    rank["cadence_raw"] = np.where(has_cadence, _CADENCE_RANK, _RUN_CADENCE_RANK)
    cadence = values.pop("cadence")
    cadence[has_run_cadence] = values.pop("run_cadence")[has_run_cadence]
    values["cadence_raw"] = cadence
    times = np.array(list(map(str.strip, texts["time"])), dtype=object)
    times[~marks["time"]] = np.nan
    values["time"] = times
    columns = first_appearance(present, rank)
    return pd.DataFrame({c: values[c] for c in columns}), bool(has_run_cadence.any())
