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

from footfall.io.xml_text import decode_text

_DECLARATION = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")


#: encodings expat reads by itself (expat's documentation: the built-in encodings); every
#: other declared encoding is decoded by Python first, so expat never sees it
EXPAT_NATIVE = frozenset({"utf_8", "utf_16", "utf_16_le", "utf_16_be", "latin_1", "ascii"})


def recode_for_expat(data: bytes) -> tuple[bytes, str | None]:
    """Bytes expat can read. A declared encoding expat reads itself is left to it; any other
    is decoded by Python (a codec that fails, or one Python does not know, reads as UTF-8)
    and the document re-encoded as UTF-8 with its declaration rewritten. Returns the bytes
    and the name of an encoding Python did not know (None otherwise)."""
    match = _DECLARATION.match(data)
    if match is None:
        return data, None
    name = match.group(2).decode("ascii", "replace")
    try:
        canonical = codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        canonical = None
    if canonical in EXPAT_NATIVE:
        return data, None
    text = decode_text(data)  # never raises: unknown or failing codecs read as UTF-8
    body = text.encode("utf-8", errors="replace")
    redeclared = _DECLARATION.sub(rb"\1UTF-8\3", body, count=1)
    return redeclared, None if canonical is not None else name


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


#: (kind, what happened, byte offset or None): damage a reader kept going past
Damage = tuple[str, str, int | None]


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
    data, _ = recode_for_expat(data)  # expat must never see an encoding it cannot read
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


def close_cut_short(data: bytes, point: str, label: str) -> tuple[bytes, list[Damage]]:
    """``data`` closed after its last complete ``point`` when it ends early, with the damage
    reported (the GPX and TCX readers' first repair); ``data`` itself otherwise."""
    cut = salvage_truncated(data, point)
    if cut is None:
        return data, []
    return cut.data, [("truncated", f"the {label} ends early, cut short", None)]
