"""The fast path of the GPX reader: the track points of every <trkseg> read from the document's
bytes by :mod:`footfall.io.xml_columns`, the rest of the document (metadata, track names and
types, routes) left as a skeleton that gpxpy reads in :mod:`footfall.io.gpx` (gpxpy stays in
that module).

expat first checks the whole document (:func:`well_formed`). A track point is read only when
it is a ``<trkpt lat=".." lon="..">`` whose children are elements gpxpy reads (``ele``,
``time``, the GPX 1.0 ``speed``/``course``, DOP, fix, satellites, names) or ``<extensions>``,
in any order: as gpxpy does, the first of each name counts and its value must convert, and
the extension elements (any depth to gpx.MAX_EXTENSION_DEPTH, any namespace) give each
channel the first finite value of a point, as :func:`footfall.io.gpx._point_row` does. A time
outside gpxpy's common form, a child gpxpy would refuse, a second <extensions>, a comment,
CDATA or a reference in a segment makes :func:`scan_gpx` decline (None), and gpxpy reads the
file.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

import numpy as np

from footfall.io.xml_columns import (
    CLOSE,
    OPEN,
    Spans,
    TagClass,
    Tags,
    blocks,
    heads,
    tag_class,
    tokenize,
)
from footfall.io.xml_numbers import Texts, decimals, gather, iso_times
from footfall.io.xml_stream import column_order, cut_runs, expat_accepts, plain_codec

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
#: trkpt children gpxpy reads (gpxpy.gpx GPX_10_POINT_FIELDS / GPX_11_POINT_FIELDS)
_FLOATS = (b"ele", b"magvar", b"geoidheight", b"hdop", b"vdop", b"pdop", b"ageofdgpsdata")
_INTS = (b"sat", b"dgpsid")
_TEXTS = (b"time", b"name", b"cmt", b"desc", b"src", b"sym", b"type", b"fix")
_V10 = (b"speed", b"course", b"url", b"urlname")  # GPX 1.0 only (ignored by a 1.1 parse)
_CHILDREN = (*_FLOATS, *_INTS, *_TEXTS, *_V10, b"extensions")
_FIX = {"none", "2d", "3d", "dgps", "pps", "3"}  # gpxpy's possible values of <fix>
#: gpx.MAX_EXTENSION_DEPTH below the children of <extensions> (at depth 3)
_DEEPEST = 3 + 8
#: how a plain point starts, and what lies between its two values, as integers (heads)
_HEAD = np.frombuffer(b'<trkpt lat="'.ljust(16, b"\0"), dtype="<u8")
_HEAD_MASK = np.uint64(2**32 - 1)
_MIDDLE = np.uint64(int.from_bytes(b'" lon="', "little"))
_MIDDLE_MASK = np.uint64(2**56 - 1)
_Q = rb"""[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')"""
_EITHER = re.compile(
    rb"<trkpt[ \t\r\n]+(lat|lon)" + _Q + rb"[ \t\r\n]+(lat|lon)" + _Q + rb"[ \t\r\n]*/?>"
)
_NS_DECLARATION = re.compile(
    rb"""xmlns:([A-Za-z_][A-Za-z0-9_.-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')"""
)
_DEFAULT_NS = re.compile(rb"""\sxmlns=(['"])[^'"]+\1""")  # as gpxpy.parser removes it
_ROOT_VERSION = re.compile(rb"""\sversion=(["'])([^"']*)\1""")


@dataclass
class ScannedGpx:
    """What the scan read: the skeleton for gpxpy, and the points' columns."""

    skeleton: bytes
    segments: int  # the <trkseg> elements of the skeleton (cut or empty)
    version: str | None
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    ext_tags: dict[str, str] = field(default_factory=dict)  # column -> "short:name"
    bad_times: int = 0


def well_formed(data: bytes) -> bool | None:
    """Whether expat reads the document (gpxpy's parse of it differs only in dropping the
    first default namespace declaration); None when the scan does not read its encoding."""
    return expat_accepts(data) if plain_codec(data) else None


def scan_gpx(data: bytes) -> ScannedGpx | None:
    """Scan a GPX; None to decline. The scan proves the runs well formed when it can (plain
    ASCII, matching names, prefixes the root declares; gpxpy then parses the skeleton), else
    expat must accept the whole document."""
    root = data.find(b"<gpx")
    root_end = data.find(b">", root)
    first_default = _DEFAULT_NS.search(data)
    if root < 0 or plain_codec(data) is None:
        return None
    if first_default is not None and first_default.start() > root_end:
        return None  # gpxpy would drop a declaration inside the document
    found = _ROOT_VERSION.search(data, root, root_end + 1)
    version = found.group(2).decode("ascii", "replace") if found else None
    cut = cut_runs(data, b"<trkseg>", b"</trkseg>")
    if cut is None or b"trkpt" in cut.skeleton:
        return None
    tags = _tags(data, cut.runs, data[root : root_end + 1])
    if tags is None or not len(tags.lt) or any(_declares_default(c) for c in tags.classes):
        return None  # no point, or a default namespace on an element: its children's namespace
    namespaces = _namespaces(cut.skeleton, tags)
    if namespaces is None:
        return None
    scanned = ScannedGpx(cut.skeleton, cut.skeleton.count(b"<trkseg"), version)
    read_ext = version == "1.1" or (version == "1.0" and b"<extensions" in data)
    points = _Points(data, tags, cut.runs, version != "1.1")
    return scanned if points.fill(scanned, read_ext, namespaces) else None


def _tags(data: bytes, runs: Spans, root: bytes) -> Tags | None:
    """The runs' tags, proved well formed by the scan, or by expat over the whole document."""
    tags = tokenize(data, runs, varying=b"trkpt", strict=True)
    start = tag_class(root)
    declared = {n[6:] for n, _ in start.attributes if n.startswith(b"xmlns:")} if start else set()
    if tags is not None and all(c.prefixes <= declared for c in tags.classes):
        return tags
    return tokenize(data, runs, varying=b"trkpt") if expat_accepts(data) else None


def _declares_default(tag: TagClass) -> bool:
    return any(name == b"xmlns" for name, _ in tag.attributes)


def _namespaces(skeleton: bytes, tags: Tags) -> dict[bytes, bytes] | None:
    """prefix -> namespace of every declaration; None when a prefix is bound to two."""
    pairs = [(p, d or s) for p, d, s in _NS_DECLARATION.findall(skeleton)]
    for c in tags.classes:
        pairs.extend((n[6:], v) for n, v in c.attributes if n.startswith(b"xmlns:"))
    out: dict[bytes, bytes] = {}
    for prefix, uri in pairs:
        if out.setdefault(prefix, uri) != uri:
            return None
    return out


class _Points:
    """gpxpy's reading of the track points of the runs, and gpx._point_row over them."""

    def __init__(self, data: bytes, tags: Tags, runs: Spans, read_v10: bool) -> None:
        self.data, self.t, self.runs, self.read_v10 = data, tags, runs, read_v10
        self.child = np.array([_index(c.name) for c in tags.classes] + [-1], dtype=np.int8)
        self.starts = np.flatnonzero((tags.depth == 1) & (tags.kind != CLOSE))
        self.n = len(self.starts)
        self.present: dict[str, np.ndarray] = {}  # column -> the points a child gave it to

    def point_of(self, tags: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, tags, side="right") - 1

    def fill(self, scanned: ScannedGpx, read_ext: bool, namespaces: dict[bytes, bytes]) -> bool:
        position = self._position() if self._only_points() else None
        first = self._first_children() if position is not None else None
        if position is None or first is None or not self._convertible(first):
            return False
        times = self._times(first.get(b"time"))
        if times is None:
            return False
        columns: dict[str, np.ndarray] = {"time": times[0], "lat": position[0], "lon": position[1]}
        events: dict[str, float] = {"time": -3, "lat": -2, "lon": -1}
        self._simple(first.get(b"ele"), "altitude_m", 0.25, columns, events)
        if self.read_v10 and self._simple(first.get(b"speed"), "speed_mps", 0.5, columns, events):
            scanned.ext_tags["speed_mps"] = "trkpt/speed (GPX 1.0)"
        if read_ext:
            _Extensions(self, namespaces).fill(columns, events, scanned.ext_tags)
        scanned.columns = {c: columns[c] for c in column_order(events)}
        scanned.bad_times = times[1]
        return True

    def _only_points(self) -> bool:
        """Whether every child of a segment is a <trkpt> with attributes."""
        t = self.t
        good = [c.name == b"trkpt" and (c.kind == CLOSE or c.varying) for c in t.classes]
        return bool(t.per_class(good, bool)[t.depth == 1].all())

    def _position(self) -> tuple[np.ndarray, np.ndarray] | None:
        """lat and lon of each point (gpxpy: float of the attribute, stripped)."""
        texts = self._plain_position()
        if texts is None:
            texts = self._any_position()
        if texts is None:
            return None
        (lat, lat_ok), (lon, lon_ok) = decimals(texts[0]), decimals(texts[1])
        return (lat, lon) if lat_ok.all() and lon_ok.all() else None

    def _plain_position(self) -> tuple[Texts, Texts] | None:
        """The attribute values when every point starts ``<trkpt lat="…" lon="…">`` (or
        ``/>``): the tag's first twelve bytes, its four double quotes and the seven bytes
        between the values compared, no Python per point."""
        lt, gt = self.t.lt[self.starts], self.t.gt[self.starts]
        view = np.frombuffer(self.data, dtype=np.uint8)
        quotes = np.concatenate([np.flatnonzero(view[s:e] == ord('"')) + s for s, e in self.runs])
        first = np.searchsorted(quotes, lt)
        if not len(lt) or (first + 4 > len(quotes)).any():
            return None
        q = [quotes[first + k] for k in range(4)]
        after = quotes[np.minimum(first + 4, len(quotes) - 1)]
        plain = (q[0] == lt + 11) & (q[2] == q[1] + 6) & (q[3] < gt)
        plain &= (first + 4 == len(quotes)) | (after > gt)
        plain &= (gt == q[3] + 1) | ((gt == q[3] + 2) & (view[gt - 1] == ord("/")))
        head = blocks(self.data, lt, 16)
        plain &= (head[:, 0] == _HEAD[0]) & ((head[:, 1] & _HEAD_MASK) == _HEAD[1])
        plain &= (heads(self.data, q[1]) & _MIDDLE_MASK) == _MIDDLE
        if not plain.all():
            return None
        lat = gather(self.data, lt + 12, q[1] - lt - 12)
        return lat, gather(self.data, q[1] + 7, q[3] - q[1] - 7)

    def _any_position(self) -> tuple[Texts, Texts] | None:
        """The attribute values, lat and lon in either order and either quotes."""
        lat, lon = [], []
        for start, end in self.runs:
            for name1, d1, s1, name2, d2, s2 in _EITHER.findall(self.data, start, end):
                if name1 == name2:
                    return None
                first, second = d1 or s1, d2 or s2
                lat.append(first if name1 == b"lat" else second)
                lon.append(second if name1 == b"lat" else first)
        return (Texts.of(lat), Texts.of(lon)) if len(lat) == self.n else None

    def _first_children(self) -> dict[bytes, np.ndarray] | None:
        """The first child of each name of each point (gpxpy's ``find``): tag indices."""
        t = self.t
        chosen = np.flatnonzero((t.depth == 2) & (t.kind != CLOSE))
        child = self.child[t.code[chosen]]
        if (child < 0).any():
            return None  # a child gpxpy does not read as we do (a link, a prefixed element)
        out = {}
        for k in np.unique(child):
            tags = chosen[child == k]
            point = self.point_of(tags)
            if _CHILDREN[k] == b"extensions" and (point[1:] == point[:-1]).any():
                return None  # a second <extensions>: gpxpy reads the first
            out[_CHILDREN[k]] = tags[np.r_[True, point[1:] != point[:-1]]]
        return out

    def texts(self, tags: np.ndarray, width: int = 32) -> Texts:
        start, length = self.t.text_spans(tags)
        return gather(self.data, start, length, width)

    def _convertible(self, first: dict[bytes, np.ndarray]) -> bool:
        """Whether gpxpy converts every first child of every point without raising."""
        floats = _FLOATS + ((b"speed", b"course") if self.read_v10 else ())
        for name, tags in first.items():
            texts = self.texts(tags)
            written = texts.length > 0
            if name in floats and not decimals(texts)[1][written].all():
                return False
            if name in _INTS and not _all_int(texts, written):
                return False
            if name == b"fix" and not all(
                texts.text(int(i)) in _FIX for i in np.flatnonzero(written)
            ):
                return False
        return True

    def _simple(
        self,
        tags: np.ndarray | None,
        column: str,
        rank: float,
        columns: dict[str, np.ndarray],
        events: dict[str, float],
    ) -> bool:
        """A float child's column (NaN where a point has none or it is empty); whether any."""
        if tags is None:
            return False
        texts = self.texts(tags)
        written = texts.length > 0
        if not written.any():
            return False
        values = np.full(self.n, math.nan)
        values[self.point_of(tags[written])] = decimals(texts)[0][written]
        columns[column] = values
        self.present[column] = np.zeros(self.n, dtype=bool)
        self.present[column][self.point_of(tags[written])] = True
        events[column] = float(self.starts[self.point_of(tags[written][:1])[0]]) + rank
        return True

    def _times(self, tags: np.ndarray | None) -> tuple[np.ndarray, int] | None:
        """gpxpy's time and ``datetime.timestamp()`` of each point, in bulk: UNIX seconds, NaN
        without a time or for an offset of 24 h or more (counted). None when a time is outside
        the common form, the calendar or the years handled exactly."""
        out = np.full(self.n, math.nan)
        if tags is None:
            return out, 0
        texts = self.texts(tags, width=48)
        written = texts.length > 0
        stamps = iso_times(texts, max_fraction=15)
        if not stamps.ok[written].all():
            return None
        if not stamps.aware[written].all() and (time.timezone != 0 or time.daylight):
            return None  # naive times are local time in datetime.timestamp()
        too_far = np.abs(stamps.offset) >= 24 * 60  # datetime refuses such a utcoffset
        total_us = (stamps.seconds - stamps.offset * 60) * 1_000_000 + stamps.micro
        # datetime.timestamp(): aware, timedelta.total_seconds() (microseconds / 10**6);
        # naive, whole seconds + microsecond / 1e6
        unix = np.where(stamps.aware, total_us / 1e6, stamps.seconds + stamps.micro / 1e6)
        unix[too_far] = math.nan
        out[self.point_of(tags[written])] = unix[written]
        return out, int((too_far & written).sum())


class _Extensions:
    """gpx._point_row over the extensions of every point: in document order, the first
    finite value of each column, a column filled by GPX 1.0 ``<speed>`` left alone."""

    def __init__(self, points: _Points, namespaces: dict[bytes, bytes]) -> None:
        self.p, self.namespaces = points, namespaces
        t = points.t
        self.column = [_channel(c) for c in t.classes]
        mapped = t.where(lambda c: _channel(c) is not None and c.kind != CLOSE)
        mapped = mapped[(t.depth[mapped] >= 3) & (t.depth[mapped] <= _DEEPEST)]
        children = np.flatnonzero((t.depth == 2) & (t.kind == OPEN))
        parent = children[np.searchsorted(children, mapped) - 1]  # each has one: depth >= 3
        self.candidates = mapped[points.child[t.code[parent]] == _CHILDREN.index(b"extensions")]

    def fill(
        self, columns: dict[str, np.ndarray], events: dict[str, float], ext_tags: dict[str, str]
    ) -> None:
        p, t = self.p, self.p.t
        tags = self.candidates
        values, _ = decimals(p.texts(tags))
        finite = np.isfinite(values)
        code = t.code[tags]
        for column in dict.fromkeys(c for c in self.column if c is not None):
            of_column = np.isin(code, [i for i, c in enumerate(self.column) if c == column])
            chosen = np.flatnonzero(of_column & finite)
            point = p.point_of(tags[chosen])
            if column in p.present:  # GPX 1.0 <speed>: the point's speed is taken
                keep = ~p.present[column][point]
                chosen, point = chosen[keep], point[keep]
            if not len(chosen):
                continue
            first = np.r_[True, point[1:] != point[:-1]]
            chosen, point = chosen[first], point[first]
            filled = columns.setdefault(column, np.full(p.n, math.nan))
            filled[point] = values[chosen]
            at = float(tags[chosen[0]])
            if at < events.get(column, math.inf):
                events[column] = at
                ext_tags[column] = self._name(t.classes[code[chosen[0]]])

    def _name(self, tag: TagClass) -> str:
        """gpx._prefixed of the element's ElementTree tag."""
        local = tag.local.decode("ascii")
        uri = self.namespaces.get(tag.prefix) if tag.prefix else None
        if not uri:
            return local
        return f"{uri.decode('utf-8', 'replace').rstrip('/').rsplit('/', 1)[-1]}:{local}"


def _channel(tag: TagClass) -> str | None:
    return EXTENSION_CHANNELS.get(tag.local.decode("ascii").lower())


def _all_int(texts: Texts, written: np.ndarray) -> bool:
    """Whether ``int(text.strip())`` converts every written text."""
    for i in np.flatnonzero(written):
        try:
            int(texts.text(int(i)).strip())
        except ValueError:
            return False
    return True


def _index(name: bytes) -> int:
    return _CHILDREN.index(name) if name in _CHILDREN else -1
