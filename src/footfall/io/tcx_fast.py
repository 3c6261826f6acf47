"""The fast path of the TCX reader: the trackpoints of every <Track> read from the document's
bytes by :mod:`footfall.io.xml_columns`, the rest of the document (activities, laps, creator,
notes) handed to ElementTree as a small tree.

The scan proves the runs well formed (``tokenize(strict=True)``: plain ASCII, matching names,
prefixes the root declares) and ElementTree parses the skeleton, so no expat pass over the
whole document is needed. It reproduces :func:`footfall.io.tcx._trackpoint` element by element,
matched by local name in any namespace: a Trackpoint's children in the order of the TCX v2
schema (Time, Position, AltitudeMeters, DistanceMeters, HeartRateBpm, Cadence, SensorState,
Extensions), each at most once, other children ignored; the first LatitudeDegrees and
LongitudeDegrees of a Position, the first Value of a HeartRateBpm (else its own text); the last
RunCadence, Speed and Watts anywhere under Extensions. Anything else (children out of order, a
comment or an entity in a track, text outside ASCII) makes :func:`scan_tcx` decline, and
:mod:`footfall.io.tcx` reads the file with ElementTree. Times in the common ISO form become UNIX
seconds here, as ``pd.to_datetime(..., utc=True, format="ISO8601")`` gives them; when one of
the document's is in another form, every time stays the file's text for the reference
conversion.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from footfall.io.tcx import TrackPoints, repair
from footfall.io.xml_columns import (
    CLOSE,
    EMPTY,
    OPEN,
    TagClass,
    Tags,
    tokenize,
)
from footfall.io.xml_numbers import decimals, gather, iso_times
from footfall.io.xml_salvage import Damage
from footfall.io.xml_stream import (
    column_order,
    cut_runs,
    expat_accepts,
    parse_skeleton,
    plain_codec,
    prefix_before,
)
from footfall.io.xml_text import local_name

PointsOf = Callable[[ET.Element], TrackPoints]
#: a column's value per point (NaN where none), whether each point has it, and the tag where
#: it entered the point's row
Column = tuple[np.ndarray, np.ndarray, np.ndarray]
Scanned = tuple[ET.Element, list[str], list[Damage], PointsOf]

#: Trackpoint children in schema order (tcx._trackpoint reads these); others are ignored
_CHILDREN = (
    b"Time",
    b"Position",
    b"AltitudeMeters",
    b"DistanceMeters",
    b"HeartRateBpm",
    b"Cadence",
    b"SensorState",
    b"Extensions",
)
TIME, POSITION, ALTITUDE, DISTANCE, HEART_RATE, CADENCE, _SENSOR, EXTENSIONS = range(8)
_INNER = {b"LatitudeDegrees": 0, b"LongitudeDegrees": 1, b"Value": 2}
_EXTENSION = {b"RunCadence": 0, b"Speed": 1, b"Watts": 2}
_MARK = b"footfall-run-"


def scan_tcx(data: bytes) -> Scanned | None:
    """The skeleton tree, the repair warnings and damage, and the points of each <Track>; or
    None when the scan does not reproduce the reference reader exactly. When the scan fails on
    a document expat refuses, the reference reader's repairs are applied and the repaired
    document is scanned."""
    scanned = _scan(data)
    if scanned is not None:
        return scanned[0], [], [], scanned[1]
    if expat_accepts(data):
        return None  # well formed, but not in the shape the scan reads
    repaired, warnings, damage = repair(data)
    if repaired == data:
        return None  # the reference reader reports the error
    scanned = _scan(repaired)
    return None if scanned is None else (scanned[0], warnings, damage, scanned[1])


def _scan(data: bytes) -> tuple[ET.Element, PointsOf] | None:
    p = prefix_before(data, b"Trackpoint")
    if p is None or plain_codec(data) is None:
        return None
    cut = cut_runs(data, b"<%sTrack>" % p, b"</%sTrack>" % p, lambda i: _MARK + b"%d" % i)
    if cut is None or b"Trackpoint" in cut.skeleton:
        return None  # a trackpoint outside a track, or a track the cut could not take
    skeleton = parse_skeleton(cut.skeleton)
    tags = tokenize(data, cut.runs, strict=True)
    if skeleton is None or tags is None:
        return None
    root, declared = skeleton
    if any(used.decode() not in declared for c in tags.classes for used in c.prefixes):
        return None  # a prefix the root does not declare
    tables = _Points(data, tags, len(cut.runs)).tables()
    by_mark = _tracks_by_mark(root, len(cut.runs))
    if tables is None or by_mark is None:
        return None
    empty: TrackPoints = (pd.DataFrame(), False)

    def points_of(track: ET.Element) -> TrackPoints:
        run = by_mark.get(id(track))
        return empty if run is None else tables[run]

    return root, points_of


def _tracks_by_mark(root: ET.Element, runs: int) -> dict[int, int] | None:
    """Each cut <Track> of the tree (its text is the mark put in its place) -> its run. None
    unless every run is found once and every other track is empty."""
    found: dict[int, int] = {}
    for track in root.iter():
        if local_name(track.tag) != "Track":
            continue
        text = track.text or ""
        if text.startswith(_MARK.decode()):
            found[id(track)] = int(text[len(_MARK) :])
        elif len(track):
            return None
    return found if sorted(found.values()) == list(range(runs)) else None


@dataclass
class _Child:
    """Elements that give a column its value: their tags and the point of each."""

    tags: np.ndarray
    point: np.ndarray


@dataclass
class _Source:
    """Where a column's values come from, for each point that has one: the point, the tag
    where the column entered the point's row, and the element whose text is the value."""

    point: np.ndarray
    at: np.ndarray
    text: np.ndarray


def _leaf(child: _Child) -> _Source:
    return _Source(child.point, child.tags, child.tags)


class _Points:
    """tcx._trackpoint over every trackpoint of the runs at once."""

    def __init__(self, data: bytes, tags: Tags, runs: int) -> None:
        self.data, self.t, self.runs = data, tags, runs
        self.starts = tags.where(lambda c: c.local == b"Trackpoint" and c.kind == OPEN)
        self.n = len(self.starts)
        self.point_run = tags.run[self.starts]
        opened = (tags.depth == 2) & (tags.kind == OPEN)
        self.parent = np.maximum.accumulate(np.where(opened, np.arange(len(tags.kind)), -1))
        self.role = np.array([_index(_CHILDREN, c.local) for c in tags.classes] + [-1])
        self.run_cadence = np.zeros(self.n, dtype=bool)

    def point_of(self, tags: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, tags, side="right") - 1

    def tables(self) -> list[TrackPoints] | None:
        t = self.t
        top = t.depth == 1
        point = t.per_class([c.local == b"Trackpoint" and c.kind != EMPTY for c in t.classes], bool)
        if not point[top].all():
            return None  # a child of <Track> other than a <Trackpoint> with content
        children = self._children()
        if children is None:
            return None
        columns = self._columns(children)
        if columns is None:
            return None
        return [self._table(columns, run) for run in range(self.runs)]

    def _children(self) -> dict[int, _Child] | None:
        """The children of each role, or None unless each point has them in schema order and
        at most once."""
        t = self.t
        at = np.full((self.n, len(_CHILDREN)), -1)
        out = {}
        for role, name in enumerate(_CHILDREN):
            tags = t.where(_named((name,)))
            tags = tags[t.depth[tags] == 2]
            point = self.point_of(tags)
            if (point[1:] == point[:-1]).any():
                return None  # a child repeated
            at[point, role] = tags
            out[role] = _Child(tags, point)
        before = np.c_[np.full(self.n, -1), np.maximum.accumulate(at, axis=1)[:, :-1]]
        return None if ((at >= 0) & (at < before)).any() else out

    # --- the values of each column, one per point (NaN where the point has none) --------
    def _columns(self, children: dict[int, _Child]) -> dict[str, Column] | None:
        times = self._times(children[TIME])
        if times is None:
            return None
        sources = {
            "altitude_m": _leaf(children[ALTITUDE]),
            "distance_m": _leaf(children[DISTANCE]),
            **self._position(children[POSITION]),
            "heart_rate_bpm": self._heart_rate(children[HEART_RATE]),
            "cadence": _leaf(children[CADENCE]),
            "run_cadence": self._extension(b"RunCadence"),
            "speed_mps": self._extension(b"Speed"),
            "power_w": self._extension(b"Watts"),
        }
        texts = np.concatenate([source.text for source in sources.values()])
        start, length = self.t.text_spans(texts)
        values, _ = decimals(gather(self.data, start, length), "ascii")
        out = {"time": times}
        offset = 0
        for column, source in sources.items():
            out[column] = self._spread(source, values[offset : offset + len(source.text)])
            offset += len(source.text)
        run_values, run_present, run_at = out.pop("run_cadence")
        cadence, present, at = out.pop("cadence")
        out["cadence_raw"] = (
            np.where(run_present, run_values, cadence),
            run_present | present,
            np.where(present, at, run_at),
        )
        self.run_cadence = run_present
        return out

    def _spread(self, source: _Source, values: np.ndarray) -> Column:
        full = np.full(self.n, math.nan)
        full[source.point] = values
        present = np.zeros(self.n, dtype=bool)
        present[source.point] = True
        at = np.zeros(self.n)
        at[source.point] = source.at
        return full, present, at

    def _times(self, child: _Child) -> Column | None:
        start, length = self.t.text_spans(child.tags)
        texts = gather(self.data, start, length, width=48 if length.max(initial=0) > 32 else 32)
        stamps = iso_times(texts, max_fraction=6)
        written = length > 0
        source = _leaf(child)
        if (stamps.ok & stamps.tidy | ~written).all():
            us = (stamps.seconds - stamps.offset * 60) * 1_000_000 + stamps.micro
            return self._spread(source, np.where(written, us / 1e6, math.nan))
        strings = [texts.text(i, "ascii").strip() for i in range(len(texts))]
        _, present, at = self._spread(source, np.zeros(len(strings)))
        out = np.full(self.n, np.nan, dtype=object)
        out[child.point] = np.array(strings, dtype=object)
        return out, present, at

    def _under(self, names: tuple[bytes, ...], role: int, depth: int | None) -> np.ndarray:
        """The elements named ``names`` under a child of ``role`` (at ``depth``, or any)."""
        t = self.t
        tags = t.where(_named(names))
        tags = tags[(t.depth[tags] == depth) if depth else (t.depth[tags] >= 3)]
        return tags[self.role[t.code[self.parent[tags]]] == role]

    def _firsts(self, name: bytes, owners: _Child, role: int) -> tuple[np.ndarray, np.ndarray]:
        """The first child named ``name`` of each of ``owners`` (the children of ``role``),
        and which owners have one."""
        has = np.zeros(len(owners.tags), dtype=bool)
        tags = self._under((name,), role, 3)
        if not len(tags):
            return tags, has
        owner = np.searchsorted(owners.tags, self.parent[tags])
        first = np.r_[True, owner[1:] != owner[:-1]]
        has[owner[first]] = True
        return tags[first], has

    def _position(self, positions: _Child) -> dict[str, _Source]:
        """lat and lon where a Position has both (tcx._trackpoint)."""
        lat, has_lat = self._firsts(b"LatitudeDegrees", positions, POSITION)
        lon, has_lon = self._firsts(b"LongitudeDegrees", positions, POSITION)
        both = has_lat & has_lon
        lat, lon = lat[both[has_lat]], lon[both[has_lon]]
        point, at = positions.point[both], positions.tags[both]
        return {"lat": _Source(point, at, lat), "lon": _Source(point, at + 0.5, lon)}

    def _heart_rate(self, own: _Child) -> _Source:
        """The first Value of each HeartRateBpm, else its own text."""
        value, has = self._firsts(b"Value", own, HEART_RATE)
        text = own.tags.copy()
        text[has] = value
        return _Source(own.point, own.tags, text)

    def _extension(self, name: bytes) -> _Source:
        """The last element named ``name`` under each point's Extensions, entered in the row
        at the first."""
        tags = self._under((name,), EXTENSIONS, None)
        point = self.point_of(tags)
        if not len(tags):
            return _Source(point, tags, tags)
        last = np.r_[point[1:] != point[:-1], True]
        first = np.r_[True, point[1:] != point[:-1]]
        return _Source(point[last], tags[first], tags[last])

    # --- one table per run ---------------------------------------------------------------
    def _table(self, columns: dict[str, Column], run: int) -> TrackPoints:
        lo, hi = np.searchsorted(self.point_run, [run, run + 1])
        if lo == hi:
            return pd.DataFrame(), False
        first: dict[str, float] = {}
        for column, (_, present, at) in columns.items():
            hits = np.flatnonzero(present[lo:hi])
            if len(hits):
                first[column] = float(at[lo + hits[0]])
        order = column_order(first)
        values = [columns[c][0][lo:hi] for c in order]
        if all(v.dtype == np.float64 for v in values):  # one block, as pandas would make it
            frame = pd.DataFrame(np.column_stack(values), columns=order)
        else:
            frame = pd.DataFrame(dict(zip(order, values, strict=True)))
        return frame, bool(self.run_cadence[lo:hi].any())


def _named(names: tuple[bytes, ...]) -> Callable[[TagClass], bool]:
    """Start and empty tags of these local names."""
    return lambda tag: tag.local in names and tag.kind != CLOSE


def _index(names: tuple[bytes, ...], name: bytes) -> int:
    return names.index(name) if name in names else -1
