"""Repairs for the XML formats before a parser sees them: a declared encoding Python does not
know, and a file cut short (an interrupted download or sync).

A truncated GPX or TCX keeps its readable points, the way a truncated FIT file keeps its
records: the document is cut after the last complete point and the elements still open there
are closed. The reader reports the damage, so ``errors="strict"`` still refuses the file.
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat
from dataclasses import dataclass

_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")


def recode_for_expat(data: bytes) -> tuple[bytes, str | None]:
    """Bytes expat can read. A declared encoding Python knows is left to the parser; one it
    does not know (``LookupError``) is read as UTF-8 and the declaration rewritten. Returns the
    bytes and the unknown encoding's name (None when nothing was changed)."""
    match = _DECLARATION.match(data)
    if match is None:
        return data, None
    name = match.group(2).decode("ascii", "replace")
    try:
        codecs.lookup(name)
    except LookupError:
        body = data[match.end() :].decode("utf-8", errors="replace").encode("utf-8")
        return match.group(1) + b"UTF-8" + match.group(3) + body, name
    return data, None


#: expat's errors for a document that stops early (xml.parsers.expat.errors)
_CUT_SHORT = {
    xml.parsers.expat.errors.codes[message]
    for message in (
        xml.parsers.expat.errors.XML_ERROR_NO_ELEMENTS,
        xml.parsers.expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        xml.parsers.expat.errors.XML_ERROR_PARTIAL_CHAR,
        xml.parsers.expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
}


@dataclass(frozen=True)
class Salvage:
    """A truncated document cut after its last complete point and closed again."""

    data: bytes
    points: int  # complete points kept
    offset: int  # byte at which the original stops being readable


def salvage_truncated(data: bytes, point: str) -> Salvage | None:
    """When ``data`` is a document that ends early, the part up to its last complete
    ``point`` element (local name, e.g. "trkpt", "Trackpoint") with every open element
    closed; None when the document is complete or has no complete point."""
    parser = xml.parsers.expat.ParserCreate()
    stack: list[str] = []
    last: tuple[int, list[str]] | None = None
    points = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        stack.append(name)

    def end(name: str) -> None:
        nonlocal last, points
        stack.pop()
        if name.rsplit(":", 1)[-1] == point:
            points += 1
            last = (parser.CurrentByteIndex, list(stack))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
        return None  # well formed: nothing to salvage
    except xml.parsers.expat.ExpatError as exc:
        if exc.code not in _CUT_SHORT or last is None:
            return None  # damaged in the middle, not cut short
    index, open_elements = last
    cut = data.find(b">", index)
    if cut < 0:
        return None
    closing = "".join(f"</{name}>" for name in reversed(open_elements)).encode("utf-8")
    return Salvage(data[: cut + 1] + closing, points, len(data))
