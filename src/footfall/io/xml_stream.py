"""The streaming scan the fast GPX and TCX readers share: expat judges the document, compiled
patterns collect the point values in one pass, and anything the patterns do not cover exactly
makes the fast path decline (the reference reader then runs).

Why not expat callbacks or lxml (measured on a 1-hour GPX and on 3.5 MB Garmin and Polar TCX,
2 shared cores, best of 15, see docs/architecture.md): a Python callback per element costs
about as much as ElementTree's whole C tree (ET 137 ms, expat with start/end/text handlers
102 ms on garmin.tcx), and lxml's ``iterparse`` is slower than ElementTree (gpxpy itself also
switches to lxml when it is installed, which would change the reference). Expat with no
handlers checks the whole document at C speed (28 ms); the patterns then read the values, so
Python work is per point, not per element.

The scan is exact because it claims little:

1. expat (the parser behind ElementTree and gpxpy) must accept the whole document, so the
   markup is well formed and every prefix is declared;
2. a point is read only when its whole element matches the point pattern (children in the
   order the schema gives, values as plain text); every point of the document must match,
   or the scan declines;
3. the rest of the document (names, laps, sports, routes) is left as a small "skeleton",
   the document without the point runs, and read by the reference reader's own code.

Comments, CDATA sections and processing instructions cannot hide a point: a run that meets
one is not cut, and the scan declines.
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

#: XML white space (not Unicode's ``\s``); possessive, so a failed match does not backtrack
W = "[ \t\r\n]*+"
#: an NCName in ASCII (a name outside ASCII is left to the reference reader)
NC = r"[A-Za-z_][A-Za-z0-9_.-]*+"
_ANY_PREFIX = f"(?:{NC}:)?"
#: the characters a value may hold: no markup, no reference, none XML 1.0 (§2.2) forbids, and
#: no ``>`` (so no ``]]>``, §2.4); a value with any other is not read by the pattern
_VALUE_CHARS = "[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
_ANY_ATTRS = f"""(?:[ \t\r\n]++{NC}(?::{NC})?{W}={W}(?:"[^"<]*+"|'[^'<]*+'))*+"""


def attribute(prefixes: tuple[str, ...]) -> str:
    """At most one attribute (so none repeats), unprefixed, a namespace declaration or with
    one of ``prefixes`` (those declared on the root), its value without ``<`` or ``&``."""
    names = "|".join([f"xmlns(?::{NC})?", NC, *(f"{re.escape(p)}:{NC}" for p in prefixes)])
    value = f"""(?:"{_VALUE_CHARS}"]*+"|'{_VALUE_CHARS}']*+')"""
    return f"(?:[ \t\r\n]++(?:{names}){W}={W}{value})?"


def open_tag(name: str, prefix: str | None = None, attrs: str = _ANY_ATTRS) -> str:
    """A start tag of local name ``name``: with ``prefix`` exactly (``""``: none), or in any
    namespace when ``prefix`` is None."""
    head = _ANY_PREFIX if prefix is None else re.escape(prefix)
    return f"<{head}{name}{attrs}{W}>"


def close_tag(name: str, prefix: str | None = None) -> str:
    head = _ANY_PREFIX if prefix is None else re.escape(prefix)
    return f"</{head}{name}{W}>"


def leaf(
    name: str, prefix: str | None = None, attrs: str = _ANY_ATTRS, capture: bool = True
) -> str:
    """An element holding only text: ``<ns:name a="b">text</ns:name>``. Two groups: the start
    tag's ``>`` (so that an empty element is told from an absent one, both ``''`` in
    ``re.findall``) and the text."""
    text = f"(>)({_VALUE_CHARS}]*+)" if capture else f">{_VALUE_CHARS}]*+"
    head = _ANY_PREFIX if prefix is None else re.escape(prefix)
    return f"<{head}{name}{attrs}{W}{text}{close_tag(name, prefix)}"


def optional(pattern: str) -> str:
    return f"(?:{pattern}{W})?"


def prefix_before(text: str, name: str) -> str | None:
    """The prefix (``""`` or ``"ns3:"``) of the first tag named ``name`` in ``text``; None when
    there is none or ``name`` first appears elsewhere than in a tag."""
    end = text.find(name)
    start = text.rfind("<", 0, end) + 1 if end > 0 else 0
    if start == 0:
        return None
    prefix = text[start:end].removeprefix("/")
    return prefix if prefix == "" or re.fullmatch(f"{NC}:", prefix) else None


def expat_accepts(data: bytes | str) -> bool:
    """Whether expat, with namespace processing as ElementTree sets it up, reads the whole
    document without error. No handler is set: the check runs at C speed."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return False
    return True


#: markup that may hold text looking like elements
_HIDING = ("<!--", "<![CDATA[", "<?", "<!DOCTYPE")


def hides_markup(text: str) -> bool:
    return any(mark in text for mark in _HIDING)


@dataclass(frozen=True)
class Cut:
    """The point runs cut out of a document: ``skeleton`` is the document without them,
    ``runs`` the text of each run in document order."""

    skeleton: str
    runs: list[str]


def cut_runs(text: str, container: str, prefix: str) -> Cut | None:
    """Cut the content of every ``container`` element (``trkseg``, ``Track``) out of ``text``.

    The containers are found with ``str.find`` when the skeleton left shows the container's
    name only in the plain tags cut at (``<Track>``, ``</Track>``, with ``prefix``), else with
    a pattern. A run's content is the pattern's to prove (a container or anything but points
    inside makes it fail). None when a container is not closed, or when the skeleton holds a
    comment, CDATA, a processing instruction or a DOCTYPE before the last run (markup that
    may hide text looking like a container)."""
    opening, closing = f"<{prefix}{container}>", f"</{prefix}{container}>"
    cut = _cut(text, _plain_spans(text, opening, closing))
    if cut is None or cut.skeleton.count(container) != 2 * len(cut.runs):
        cut = _cut(text, _pattern_spans(text, container))
    if cut is None or not cut.runs:
        return cut
    head = cut.skeleton.find("?>") + 2 if cut.skeleton.startswith("<?xml") else 0
    if hides_markup(cut.skeleton[head : cut.skeleton.rfind(container)]):
        return None
    return cut


def _cut(text: str, spans: list[tuple[int, int]] | None) -> Cut | None:
    if spans is None:
        return None
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return Cut("".join(pieces), [text[start:end] for start, end in spans])


def _plain_spans(text: str, opening: str, closing: str) -> list[tuple[int, int]] | None:
    spans = []
    start = text.find(opening)
    while start >= 0:
        begin = start + len(opening)
        end = text.find(closing, begin)
        if end < 0:
            return None
        spans.append((begin, end))
        start = text.find(opening, end)
    return spans


def _pattern_spans(text: str, container: str) -> list[tuple[int, int]] | None:
    opening, closing = re.compile(open_tag(container)), re.compile(close_tag(container))
    spans = []
    position = 0
    for start in opening.finditer(text):
        if start.start() < position:
            return None  # a container inside a container
        end = closing.search(text, start.end())
        if end is None or opening.search(text, start.end(), end.start()):
            return None
        spans.append((start.end(), end.start()))
        position = end.end()
    return spans


def only_points(run: str, matched: Sequence[str]) -> bool:
    """Whether the matched points (each with the white space before it) make up the whole run
    but its trailing white space: then the run holds nothing the pattern did not read."""
    covered = sum(map(len, matched))
    return covered <= len(run) and not run[covered:].strip(" \t\n")


def marked(marks: Sequence[str]) -> np.ndarray:
    """Presence of each point's element, from the marks :func:`leaf` captures."""
    return np.fromiter(map(bool, marks), dtype=bool, count=len(marks))


def floats_lenient(texts: Sequence[str], present: np.ndarray) -> np.ndarray:
    """``xml_text.to_float`` of each present text (``float`` strips white space as
    ``to_float`` does): NaN where absent or not a number."""
    out = np.full(len(texts), math.nan)
    chosen = texts if present.all() else list(itertools.compress(texts, present))
    try:  # numpy parses a str as float() does (and is faster)
        out[present] = np.array(chosen, dtype=float)
    except ValueError:
        out[present] = [_to_float(t) for t in chosen]
    return out


def _to_float(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        return math.nan


def parse_skeleton(text: str) -> tuple[ET.Element, set[str]] | None:
    """The tree of a skeleton and the prefixes its root element declares; None when it is
    not well formed."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start-ns", "start"))
    declared: set[str] = set()
    try:
        parser.feed(text)
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


def first_appearance(presence: dict[str, np.ndarray], rank: dict[str, np.ndarray]) -> list[str]:
    """The columns a ``pd.DataFrame(rows)`` of the points would have, in its order: by the
    first point holding each, then by the place the column takes in that point's row
    (``rank[column][i]``, the column's place in point ``i``)."""
    keys = []
    for column, present in presence.items():
        if present.any():
            first = int(present.argmax())
            keys.append((first, float(rank[column][first]), column))
    return [column for _, _, column in sorted(keys)]


def normalise_line_ends(text: str) -> str:
    """What an XML parser does first (XML 1.0, section 2.11 "End-of-Line Handling"): CR LF
    and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


#: codecs whose bytes expat reads as Python decodes them (ASCII-compatible, one byte a char
#: or UTF-8); a document in any other is left to the reference reader
_SAME_DECODING = {"utf-8", "ascii", "latin-1", "iso8859-1"}
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z0-9._-]+)["']""")


def decode_like_expat(data: bytes) -> str | None:
    """The text expat reads from ``data`` (by its declared encoding, UTF-8 by default), or None
    when the encoding is not one decoded the same way here or the bytes do not decode."""
    if not data.startswith(b"<"):
        return None  # a UTF-16 document or junk
    match = _DECLARED.match(data)
    name = match.group(1).decode("ascii") if match else "utf-8"
    try:
        codec = codecs.lookup(name).name
        if codec not in _SAME_DECODING:
            return None
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None


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
