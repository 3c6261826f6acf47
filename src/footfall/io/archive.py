"""Reading inside .gz files and .zip archives (Strava and Garmin bulk exports), with limits.

Nothing is extracted to disk: members are read into memory one at a time, each through the
same limits, so a hostile archive can neither fill the disk nor write outside a folder.
A Strava export holds ``activities/*.fit.gz|.gpx.gz|.tcx.gz``; a Garmin export holds zips of
FIT files inside its zip, so one level of nesting is followed.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from footfall.errors import ArchiveLimitExceeded, CorruptFile, FootfallError
from footfall.io.sniff import sniff


@dataclass(frozen=True)
class ArchiveLimits:
    """Safety limits; the defaults allow a decade of daily runs in one export."""

    max_members: int = 20_000
    max_member_bytes: int = 512 * 1024**2  # one uncompressed activity
    max_total_bytes: int = 8 * 1024**3  # whole archive, uncompressed
    max_ratio: int = 200  # compression ratio above this is treated as a zip bomb
    max_depth: int = 1  # zips inside the zip (Garmin export)


DEFAULT_LIMITS = ArchiveLimits()


@dataclass
class Member:
    """One activity inside an archive (or a plain file), decompressed."""

    name: str  # display name, e.g. "export.zip!activities/123.fit.gz"
    data: bytes | None
    error: FootfallError | None = None
    fmt: str | None = None  # the format sniffed from ``data`` (once, here)


def gunzip(data: bytes, path: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> bytes:
    """Decompress gzip bytes (possibly several concatenated members) within the limits."""
    out = bytearray()
    remaining = data
    while remaining:
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            while remaining:
                chunk = decomp.decompress(remaining, 1024 * 1024)
                out += chunk
                if len(out) > limits.max_member_bytes:
                    raise ArchiveLimitExceeded(
                        path, f"gzip content is larger than {limits.max_member_bytes} bytes"
                    )
                remaining = decomp.unconsumed_tail
                if decomp.eof:
                    break
            out += decomp.flush()
        except zlib.error as exc:
            if out:
                raise CorruptFile(
                    path, f"gzip data damaged after {len(out)} bytes: {exc}"
                ) from None
            raise CorruptFile(path, f"not readable as gzip: {exc}") from None
        if not decomp.eof:
            raise CorruptFile(path, "gzip file ends early (truncated download?)")
        remaining = decomp.unused_data.lstrip(b"\x00")
    return bytes(out)


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return not p.is_absolute() and ".." not in p.parts and not name.startswith("/")


def iter_zip(
    data: bytes, path: str, limits: ArchiveLimits = DEFAULT_LIMITS, depth: int = 0
) -> Iterator[Member]:
    """Yield every activity member of a zip; members that are not activities are skipped."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptFile(path, f"not readable as zip: {exc}") from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > limits.max_members:
        raise ArchiveLimitExceeded(path, f"{len(infos)} members (limit {limits.max_members})")
    total = 0
    for info in infos:
        name = f"{path}!{info.filename}"
        if not _safe_name(info.filename):
            yield Member(name, None, ArchiveLimitExceeded(name, "member path points outside"))
            continue
        if info.file_size > limits.max_member_bytes or (
            info.compress_size and info.file_size / info.compress_size > limits.max_ratio
        ):
            yield Member(
                name, None, ArchiveLimitExceeded(name, "member too large or too compressed")
            )
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveLimitExceeded(
                path, f"more than {limits.max_total_bytes} bytes uncompressed"
            )
        try:
            with archive.open(info) as handle:
                content = handle.read(limits.max_member_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError) as exc:
            yield Member(name, None, CorruptFile(name, f"cannot read zip member: {exc}"))
            continue
        yield from _expand(content, name, limits, depth)


def _expand(content: bytes, name: str, limits: ArchiveLimits, depth: int) -> Iterator[Member]:
    try:
        kind = sniff(content[:4096], name)
    except FootfallError:
        return  # not an activity (photos, CSV, JSON of a bulk export): skipped quietly
    if kind == "gzip":
        try:
            inner = gunzip(content, name, limits)
        except FootfallError as exc:
            yield Member(name, None, exc)
            return
        yield from _expand(inner, name, limits, depth)
    elif kind == "zip":
        if depth >= limits.max_depth:
            yield Member(name, None, ArchiveLimitExceeded(name, "zip nested too deep"))
            return
        try:
            yield from iter_zip(content, name, limits, depth + 1)
        except FootfallError as exc:
            yield Member(name, None, exc)
    else:
        yield Member(name, content, fmt=kind)


def iter_members(
    data: bytes, path: str, limits: ArchiveLimits = DEFAULT_LIMITS, kind: str | None = None
) -> Iterator[Member]:
    """Plain files yield themselves; .gz yields its content; .zip yields each activity.

    ``kind`` is the format of ``data`` when the caller has sniffed it already.
    """
    kind = kind or sniff(data[:4096], path)
    if kind == "gzip":
        inner = gunzip(data, path, limits)
        inner_kind = sniff(inner[:4096], path)
        if inner_kind == "zip":
            yield from iter_zip(inner, path, limits)
        else:
            yield Member(path, inner, fmt=inner_kind)
    elif kind == "zip":
        yield from iter_zip(data, path, limits)
    else:
        yield Member(path, data, fmt=kind)
