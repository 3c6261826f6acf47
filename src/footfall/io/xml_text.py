"""Shared handling of the XML formats (GPX, TCX): safety checks and namespace repairs.

Both readers parse untrusted XML. Python's expat (2.4+) already refuses exponential entity
expansion; footfall goes further and refuses any DTD entity declaration, which no GPX or TCX
exporter writes. Real exporters also write prefixed tags whose namespace they never declared
(Strava's ``gpxdata:cadence``); those are repaired by declaring the prefix on the root element.
"""

from __future__ import annotations

import re

from footfall.errors import CorruptFile

_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_PREFIX_USE = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_PREFIX_DECL = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_TAG = re.compile(rb"<(gpx|TrainingCenterDatabase)\b", re.IGNORECASE)


def check_safe(data: bytes, path: str) -> None:
    if _ENTITY.search(data[:65536]):
        raise CorruptFile(path, "XML entity declarations are not allowed in activity files")


def declare_missing_prefixes(data: bytes) -> tuple[bytes, list[str]]:
    """Declare every namespace prefix that is used but never declared, on the root element.

    Returns the repaired bytes and the prefixes that were added (empty when none).
    """
    used = set(_PREFIX_USE.findall(data))
    declared = set(_PREFIX_DECL.findall(data)) | {b"xml", b"xmlns"}
    missing = sorted(used - declared)
    if not missing:
        return data, []
    root = _ROOT_TAG.search(data)
    if root is None:
        return data, []
    decls = b"".join(b' xmlns:%s="urn:footfall:undeclared:%s"' % (p, p) for p in missing)
    end = root.end()
    return data[:end] + decls + data[end:], [p.decode("ascii", "replace") for p in missing]


def local_name(tag: str) -> str:
    """'{namespace}cad' -> 'cad'."""
    return tag.rsplit("}", 1)[-1]


def to_float(text: str | None) -> float:
    if text is None:
        return float("nan")
    try:
        return float(text.strip())
    except ValueError:
        return float("nan")


_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def decode_text(data: bytes) -> str:
    """Bytes to text by the XML declaration's encoding (ISO-8859-1 exports exist), else UTF-8.

    Never raises: an encoding no codec knows (``x-unknown-42``), one that is no text encoding
    (``rot13``), or a codec that cannot replace what it fails on (``idna``, ``punycode``)
    falls back to UTF-8, and the parser then judges the text."""
    match = _ENCODING.search(data[:200])
    codec = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return data.decode(codec, errors="replace")
    except (LookupError, UnicodeError, ValueError):
        return data.decode("utf-8", errors="replace")


def strip_bom(data: bytes) -> bytes:
    """Some exporters (StravaGPX) start the file with a UTF-8 byte order mark."""
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
