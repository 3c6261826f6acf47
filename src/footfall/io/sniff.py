"""Decide a file's format from its bytes (magic numbers, XML root), never from its name.

The readers and what recognises them are in :mod:`footfall.io.registry`; archives (gzip, zip)
are recognised here. The format is sniffed once per file (or archive member) and travels
with the bytes from then on.
"""

from __future__ import annotations

import re

from footfall.errors import UnsupportedFormat
from footfall.io import registry

_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")


def formats() -> tuple[str, ...]:
    """Every format sniff() can return: the readers' and the archives'."""
    return tuple(r.format for r in registry.READERS) + tuple(registry.ARCHIVE_FORMATS)


def sniff(head: bytes, path: str) -> str:
    """The format of a file from its first bytes (one of :func:`formats`), or raise
    UnsupportedFormat naming what the bytes look like."""
    if not head:
        raise UnsupportedFormat(path, "the file is empty")
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    for reader in registry.READERS:
        if reader.magic is not None and reader.magic(head):
            return reader.format
    if len(head) >= 12 and head[8:12] != b".FIT" and head[0] in (12, 14) and b".FIT" in head[:64]:
        raise UnsupportedFormat(path, "looks like a FIT file with a damaged header")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        root = _root_element(text)
        for reader in registry.READERS:
            if reader.xml_root is not None and root == reader.xml_root:
                return reader.format
        what = f"<{root}>" if root else "unknown"
        names = " nor ".join(r.format.upper() for r in registry.READERS if r.xml_root)
        raise UnsupportedFormat(path, f"XML, but neither {names} (root element {what})")
    if head[:4] == b"\x00\x00\x00\x00" or b".FIT" in head[:64]:
        raise UnsupportedFormat(path, "not a FIT file: the header is damaged or missing")
    names = ", ".join(r.format.upper() for r in registry.READERS)
    raise UnsupportedFormat(path, f"not a {names}, gzip or zip file")


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
