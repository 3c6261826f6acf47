"""Decide a file's format from its bytes (magic numbers, XML root), never from its name."""

from __future__ import annotations

import re

from footfall.errors import UnsupportedFormat
from footfall.io.fit.header import looks_like_fit

FORMATS = ("fit", "gpx", "tcx", "gzip", "zip")
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")


def sniff(head: bytes, path: str) -> str:
    """Return one of :data:`FORMATS` for the first bytes of a file, or raise UnsupportedFormat."""
    if not head:
        raise UnsupportedFormat(path, "the file is empty")
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if looks_like_fit(head):
        return "fit"
    if len(head) >= 12 and head[8:12] != b".FIT" and head[0] in (12, 14) and b".FIT" in head[:64]:
        raise UnsupportedFormat(path, "looks like a FIT file with a damaged header")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        root = _root_element(text)
        if root == "gpx":
            return "gpx"
        if root == "trainingcenterdatabase":
            return "tcx"
        what = f"<{root}>" if root else "unknown"
        raise UnsupportedFormat(path, f"XML, but neither GPX nor TCX (root element {what})")
    if head[:4] == b"\x00\x00\x00\x00" or b".FIT" in head[:64]:
        raise UnsupportedFormat(path, "not a FIT file: the header is damaged or missing")
    raise UnsupportedFormat(path, "not a FIT, GPX, TCX, gzip or zip file")


def _root_element(text: bytes) -> str | None:
    """First element name that is not a declaration, comment or processing instruction."""
    position = 0
    while True:
        match = _XML_ROOT.search(text, position)
        if match is None:
            return None
        name = match.group(1).decode("ascii", "replace")
        preceding = text[match.start() - 1 : match.start()] if match.start() else b""
        if preceding not in (b"!", b"?"):
            return name.rsplit(":", 1)[-1].lower()
        position = match.end()
