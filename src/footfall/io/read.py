"""Bytes of a known format -> RawTrack, through the reader the registry names for it."""

from __future__ import annotations

from footfall.errors import UnsupportedFormat
from footfall.io.registry import ReadOptions, reader_for
from footfall.io.track import RawTrack


def read_track(data: bytes, path: str, fmt: str, options: ReadOptions | None = None) -> RawTrack:
    """Read one activity file's bytes (already decompressed, format already sniffed)."""
    try:
        reader = reader_for(fmt)
    except KeyError:
        raise UnsupportedFormat(path, f"{fmt} archive: read it with iter_members() first") from None
    return reader.read(data, path, options or ReadOptions())
