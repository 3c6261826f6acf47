"""Bytes -> RawTrack, by the format the bytes show (never by the file name)."""

from __future__ import annotations

from footfall.errors import UnsupportedFormat
from footfall.io.sniff import sniff
from footfall.io.track import RawTrack


def read_track(data: bytes, path: str, *, fast: bool = True) -> RawTrack:
    """Read one activity file's bytes (already decompressed) into a RawTrack."""
    kind = sniff(data[:4096], path)
    if kind == "fit":
        from footfall.io.fit.reader import read_fit

        return read_fit(data, path, fast=fast)
    if kind == "gpx":
        from footfall.io.gpx import read_gpx

        return read_gpx(data, path)
    if kind == "tcx":
        from footfall.io.tcx import read_tcx

        return read_tcx(data, path)
    raise UnsupportedFormat(path, f"{kind} archive: read it with iter_members() first")
