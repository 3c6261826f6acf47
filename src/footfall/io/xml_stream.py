"""What the fast GPX and TCX readers share around the scan of :mod:`footfall.io.xml_columns`:
the document's point runs cut out of its bytes, the small rest (the "skeleton") handed to the
reference parser, and the checks that make the cut exact.

Why numpy over the bytes, not expat callbacks or lxml (measured on a 1-hour GPX and on 3.5 MB
Garmin and Polar TCX, 2 shared cores, see docs/architecture.md): a Python callback per element
costs about as much as ElementTree's whole C tree (ET 137 ms, expat with start/end/text
handlers 102 ms on garmin.tcx), lxml's ``iterparse`` is slower than ElementTree (and gpxpy
switches to lxml when it is installed, which would change the reference), and even compiled
patterns cost Python work per point. expat with no handlers checks a whole document at C speed
(28 ms on garmin.tcx): the GPX reader uses it, the TCX reader proves its runs well formed in the
scan itself.

The cut is exact because it claims little:

1. a run is the content of a container (``<trkseg>``, ``<Track>``) written plainly; the
   skeleton, the document without the runs, is parsed by the reference reader's own code, so
   everything outside the runs (names, laps, sports, creator) is read as the reference reads it;
2. every container the reference sees must be one that was cut (counted, or marked), and no
   point may be left in the skeleton;
3. a comment, CDATA section, processing instruction or DOCTYPE before the last run makes the
   cut decline (it could hide text that looks like a container).
"""

from __future__ import annotations

import codecs
import math
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from footfall.io.xml_columns import Spans


def expat_accepts(data: bytes) -> bool:
    """Whether expat, with namespace processing as ElementTree sets it up, reads the whole
    document without error. No handler is set: the check runs at C speed."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return False
    return True


#: codecs whose bytes expat reads as Python decodes them, with every byte below 128 an ASCII
#: character; a document in any other is left to the reference reader
_SAME_DECODING = {"utf-8", "ascii", "latin-1", "iso8859-1"}
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z0-9._-]+)["']""")


def plain_codec(data: bytes) -> str | None:
    """The codec of a document whose bytes the scan may read as they are (by its declared
    encoding, UTF-8 by default), or None."""
    if not data.startswith(b"<"):
        return None  # a UTF-16 document or junk
    match = _DECLARED.match(data)
    name = match.group(1).decode("ascii") if match else "utf-8"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return codec if codec in _SAME_DECODING else None


@dataclass(frozen=True)
class Cut:
    """The point runs of a document: ``runs`` the (start, end) of each in the document's bytes,
    ``skeleton`` the document without them (with a marker in each place when asked)."""

    skeleton: bytes
    runs: Spans


def cut_runs(
    data: bytes, opening: bytes, closing: bytes, marker: Callable[[int], bytes] | None = None
) -> Cut | None:
    """Cut the content of every ``opening ... closing`` container out of ``data``. None when
    a container is not closed, when a run's place in the skeleton lies inside a comment, a
    CDATA section or a processing instruction (the container was text there), or when a
    DOCTYPE precedes a run."""
    runs: Spans = []
    start = data.find(opening)
    while start >= 0:
        begin = start + len(opening)
        end = data.find(closing, begin)
        if end < 0:
            return None
        runs.append((begin, end))
        start = data.find(opening, end)
    pieces: list[bytes] = []
    places: list[int] = []  # where each run was, in the skeleton
    position = size = 0
    for i, (begin, end) in enumerate(runs):
        mark = marker(i) if marker else b""
        pieces.extend((data[position:begin], mark))
        size += begin - position
        places.append(size)
        size += len(mark)
        position = end
    pieces.append(data[position:])
    skeleton = b"".join(pieces)
    if places and not _outside_markup(skeleton, places):
        return None
    return Cut(skeleton, runs)


#: markup whose content is not elements, and how it ends
_HIDING = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}


def _outside_markup(skeleton: bytes, places: list[int]) -> bool:
    """Whether no place lies inside a comment, CDATA section or processing instruction of the
    skeleton, and no DOCTYPE comes before the last (markup read in document order, as a
    parser meets it)."""
    if skeleton.find(b"<!DOCTYPE", 0, places[-1]) >= 0:
        return False
    position = 0
    while True:
        found = [(at, mark) for mark in _HIDING if (at := skeleton.find(mark, position)) >= 0]
        if not found:
            return True
        at, mark = min(found)
        if at > places[-1]:
            return True
        end = skeleton.find(_HIDING[mark], at + len(mark))
        if end < 0 or any(at < place <= end for place in places):
            return False
        position = end + len(_HIDING[mark])


def prefix_before(data: bytes, name: bytes) -> bytes | None:
    """The prefix (``b""`` or ``b"ns3:"``) of the first tag named ``name``; None when there is
    none or ``name`` first appears elsewhere than in a tag."""
    end = data.find(name)
    start = data.rfind(b"<", 0, end) + 1 if end > 0 else 0
    if start == 0:
        return None
    prefix = data[start:end].removeprefix(b"/")
    return prefix if prefix == b"" or re.fullmatch(rb"[A-Za-z_][A-Za-z0-9_.-]*:", prefix) else None


def parse_skeleton(skeleton: bytes) -> tuple[ET.Element, set[str]] | None:
    """The tree of a skeleton and the prefixes its root element declares; None when it is not
    well formed."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start-ns", "start"))
    declared: set[str] = set()
    try:
        parser.feed(skeleton)
        parser.close()
    except ET.ParseError:
        return None
    events = cast(Iterator[tuple[str, object]], parser.read_events())
    for _, value in events:
        if isinstance(value, ET.Element):
            return value, declared - {""}
        if isinstance(value, tuple):
            declared.add(value[0])
    return None


def column_order(first_event: dict[str, float]) -> list[str]:
    """The columns a ``pd.DataFrame(rows)`` of the points would have, in its order: by the
    place in the document where each first entered a row (a key enters a row in the order
    the reader meets the elements, and points come in document order)."""
    return sorted(first_event, key=first_event.__getitem__)


def unix_seconds(stamps: pd.Series) -> np.ndarray:
    """``Timestamp.timestamp()`` of each UTC stamp (NaN where NaT), without a Python object
    per stamp. pandas rounds ``value / units_per_second`` to 6 decimals; for stamps in whole
    microseconds that is exactly ``microseconds / 1e6`` (the error of the division is far
    below half a microsecond), any other stamp takes pandas' own expression."""
    unit = stamps.dt.unit
    raw = stamps.dt.tz_localize(None).to_numpy().view("int64")
    missing = stamps.isna().to_numpy()
    per_us = {"s": 10**6, "ms": 10**3, "us": 1}
    out = np.full(len(raw), math.nan)
    if unit in per_us:
        out[~missing] = (raw[~missing] * per_us[unit]) / 1e6
        return out
    whole = ~missing & (raw % 1000 == 0)
    out[whole] = (raw[whole] // 1000) / 1e6
    for i in np.flatnonzero(~missing & ~whole):
        out[i] = round(int(raw[i]) / 1e9, 6)
    return out
