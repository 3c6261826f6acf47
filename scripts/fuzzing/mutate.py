"""Mutations of the sample activities: blind byte damage, and XML damage that knows where
the times, numbers, names and nesting of a GPX or TCX file are.

Blind mutations find decoder bugs; the XML ones reach past the parser into the readers and
the series code (a time zone of +24:00, points that run backwards, a cadence of 1e308, a
track name with a terminal escape), which random bytes almost never do.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fuzzing.choice import Chooser

#: integers that sit on a type's edge (FIT base types are 8-64 bits wide)
INTERESTING_INTS = (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)
#: numbers as a hostile file writes them
HOSTILE_NUMBERS = (
    b"1e308",
    b"-1e308",
    b"1.8e308",
    b"nan",
    b"NaN",
    b"inf",
    b"-inf",
    b"-0",
    b"0",
    b"",
    b"9999999999999999999999",
    b"-1",
    b"1,5",
    b"0x10",
    b"3.4e38",
    b"1e-320",
    b" 12 ",
    b"+5",
)
#: times as a hostile file writes them (ISO 8601 edge cases and garbage)
HOSTILE_TIMES = (
    b"2024-05-13T07:30:00+24:00",
    b"2024-05-13T07:30:00-24:00",
    b"2024-05-13T07:30:00+99:59",
    b"2024-05-13T07:30:00+25:00",
    b"0001-01-01T00:00:00Z",
    b"9999-12-31T23:59:59Z",
    b"1970-01-01T00:00:00Z",
    b"2024-13-45T25:61:61Z",
    b"2024-05-13T23:59:60Z",
    b"garbage",
    b"",
    b"2024-05-13",
    b"07:30:00",
    b"2024-05-13T07:30:00.123456789123Z",
    b"1e10",
    b"2024-05-13T07:30:00+05:30",
    b"-2024-05-13T07:30:00Z",
    b"2262-04-12T00:00:00Z",
    b"1677-09-21T00:00:00Z",
)
#: text meant to break out of a line, a terminal or an HTML page
HOSTILE_TEXT = (
    b"<script>alert(1)</script>",
    b"\x1b[31mred\x1b[0m",
    b"line\nbreak",
    b"\xe2\x80\xae",
    b"&lt;img src=x onerror=alert(1)&gt;",
    b"\x00",
    b"\xff\xfe",
    b"x" * 5000,
    b"\x07\x08",
    b"]]>",
    b"&amp;&#0;&#x1b;",
    b"\xed\xa0\x80",
)
_TIME = re.compile(rb"(<(?:\w+:)?[Tt]ime>)([^<]*)(</)")
_TIME_ELEMENT = re.compile(rb"<((?:\w+:)?[Tt]ime)>[^<]*</\1>")
_NUMBER = re.compile(rb"(>)(-?\d+(?:\.\d+)?)(<)")
_ATTR_NUMBER = re.compile(rb'((?:lat|lon|StartTime)=")([^"]*)(")')
_NAME = re.compile(rb"(<(?:name|desc|Notes|Name|type)>)([^<]*)(<)")
_POINT = re.compile(rb"<(trkpt|Trackpoint)\b.*?</\1>", re.S)
_ELEMENT = re.compile(rb"<([A-Za-z][\w:]*)\b[^>]*>[^<]*</\1>")


def blind(c: Chooser, data: bytes) -> bytes:
    """Byte-level damage: a cut, flipped bytes, a spliced hole, a zeroed run, a repeated
    block, an edge-value integer written somewhere."""
    out = bytearray(data)
    n = len(out)
    kind = c.pick(["cut", "flip", "splice", "zero", "repeat", "int", "insert"])
    if n == 0:
        return bytes(c.bytes(c.int(0, 64)))
    if kind == "cut":
        return bytes(out[: c.int(0, n)])
    if kind == "flip":
        for _ in range(c.int(1, 16)):
            out[c.int(0, n - 1)] = c.int(0, 255)
    elif kind == "splice":
        a = c.int(0, n)
        del out[a : c.int(a, min(n, a + 4096))]
    elif kind == "zero":
        a = c.int(0, n - 1)
        length = c.int(1, 256)
        out[a : a + length] = bytes(len(out[a : a + length]))
    elif kind == "repeat":
        a = c.int(0, n - 1)
        block = out[a : a + c.int(1, 512)]
        out[a:a] = block * c.int(1, 50)
    elif kind == "int":
        a = c.int(0, max(0, n - 4))
        width = c.pick([1, 2, 4])
        value = c.pick(INTERESTING_INTS) & ((1 << (8 * width)) - 1)
        out[a : a + width] = value.to_bytes(width, c.pick(["little", "big"]))
    else:
        a = c.int(0, n)
        out[a:a] = c.bytes(c.int(1, 64))
    return bytes(out)


def _replace_some(
    c: Chooser, pattern: re.Pattern[bytes], data: bytes, values: tuple[bytes, ...], every: bool
) -> bytes:
    matches = list(pattern.finditer(data))
    if not matches:
        return data
    chosen = matches if every else [c.pick(matches) for _ in range(c.int(1, 5))]
    keep = {m.start() for m in chosen}
    value = c.pick(values)

    def sub(m: re.Match[bytes]) -> bytes:
        if m.start() not in keep:
            return m.group(0)
        return m.group(1) + value + m.group(3)

    return pattern.sub(sub, data)


def _drop_element(c: Chooser, data: bytes) -> bytes:
    matches = list(_ELEMENT.finditer(data))
    if not matches:
        return data
    m = c.pick(matches)
    return data[: m.start()] + data[m.end() :]


def _deep(c: Chooser, data: bytes) -> bytes:
    depth = c.pick([50, 500, 1500, 5000])
    tag = c.pick([b"extensions", b"Extensions", b"x", b"gpxtpx:cad"])
    anchor = c.pick([b"</trkpt>", b"</Trackpoint>", b"</trkseg>", b"</Lap>"])
    nest = (b"<" + tag + b">") * depth + (b"</" + tag + b">") * depth
    return data.replace(anchor, nest + anchor, 1)


def _wide(c: Chooser, data: bytes) -> bytes:
    m = _POINT.search(data)
    if m is None:
        return data
    return data[: m.end()] + m.group(0) * c.int(100, 3000) + data[m.end() :]


def _encoding(c: Chooser, data: bytes) -> bytes:
    name = c.pick(
        [
            b"x-unknown-42",
            b"utf-16",
            b"ISO-8859-1",
            b"ebcdic-cp-us",
            b"",
            b"utf-32",
            b"cp1252",
            b"idna",
            b"punycode",
            b"utf-7",
            b"big5",
            b"rot13",
            b"unicode_escape",
        ]
    )
    body = data.split(b"?>", 1)[1] if data.lstrip().startswith(b"<?xml") else data
    return b'<?xml version="1.0" encoding="' + name + b'"?>' + body


def _entity(c: Chooser, data: bytes) -> bytes:
    dtd = c.pick(
        [
            b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
            b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            b'<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd">',
        ]
    )
    head, _, rest = data.partition(b"?>")
    return head + b"?>" + dtd + rest if rest else dtd + data


def _cut_tag(c: Chooser, data: bytes) -> bytes:
    ends = [m.end() for m in re.finditer(rb">", data)]
    return data[: c.pick(ends)] if ends else data


def _shuffle(c: Chooser, data: bytes) -> bytes:
    points = list(_POINT.finditer(data))
    if len(points) < 2:
        return data
    i, j = sorted((c.int(0, len(points) - 1), c.int(0, len(points) - 1)))
    a, b = points[i], points[j]
    if i == j:
        return data
    middle = data[a.end() : b.start()]
    return data[: a.start()] + b.group(0) + middle + a.group(0) + data[b.end() :]


def _insert(c: Chooser, data: bytes) -> bytes:
    text = c.pick([b"<!-- -- -->", b"<![CDATA[<x>]]>", b"<?pi x?>", b"\x00", b"&#1;"])
    at = c.int(0, len(data))
    return data[:at] + text + data[at:]


#: XML mutations by name; each keeps the file XML-shaped but breaks what it means
XML_MUTATIONS = {
    "time": lambda c, d: _replace_some(c, _TIME, d, HOSTILE_TIMES, every=False),
    "times_all": lambda c, d: _replace_some(c, _TIME, d, HOSTILE_TIMES, every=True),
    "no_time": lambda c, d: _TIME_ELEMENT.sub(b"", d, count=0 if c.chance(0.5) else c.int(1, 50)),
    "backwards": lambda c, d: _retime(c, d, "backwards"),
    "spread": lambda c, d: _retime(c, d, "spread"),
    "number": lambda c, d: _replace_some(c, _NUMBER, d, HOSTILE_NUMBERS, every=False),
    "numbers_all": lambda c, d: _replace_some(c, _NUMBER, d, HOSTILE_NUMBERS, every=True),
    "attr": lambda c, d: _replace_some(
        c, _ATTR_NUMBER, d, HOSTILE_NUMBERS + HOSTILE_TIMES, every=False
    ),
    "name": lambda c, d: _replace_some(c, _NAME, d, HOSTILE_TEXT, every=c.chance(0.3)),
    "drop_element": _drop_element,
    "deep": _deep,
    "wide": _wide,
    "encoding": _encoding,
    "entity": _entity,
    "cut_tag": _cut_tag,
    "shuffle": _shuffle,
    "duplicate_points": lambda c, d: _POINT.sub(
        lambda m: m.group(0) * 2 if c.chance(0.2) else m.group(0), d
    ),
    "namespace": lambda c, d: re.sub(rb'\sxmlns(:\w+)?="[^"]*"', b"", d, count=c.int(1, 5)),
    "insert": _insert,
}


def xml(c: Chooser, data: bytes) -> bytes:
    """One XML mutation, chosen by ``c``."""
    mutation: Callable[[Chooser, bytes], bytes] = XML_MUTATIONS[c.pick(sorted(XML_MUTATIONS))]
    return mutation(c, data)


def _retime(c: Chooser, data: bytes, kind: str) -> bytes:
    """Every time rewritten: the order reversed, or the points spread over many days."""
    import datetime as dt

    stamps = [m.group(2) for m in _TIME.finditer(data)]
    if not stamps:
        return data
    if kind == "backwards":
        order = iter(stamps[::-1])
        return _TIME.sub(lambda m: m.group(1) + next(order) + m.group(3), data)
    start = dt.datetime(2024, 5, 13, tzinfo=dt.UTC)
    step = c.pick([40.0, 400.0, 4000.0, 86_400.0 * c.int(1, 30) / max(1, len(stamps))])
    counter = iter(range(len(stamps)))

    def spread(m: re.Match[bytes]) -> bytes:
        when = start + dt.timedelta(seconds=next(counter) * step)
        return m.group(1) + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + m.group(3)

    return _TIME.sub(spread, data)
