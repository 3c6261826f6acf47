"""Reading inside .gz files and .zip archives (Strava and Garmin bulk exports), with limits.

Nothing is extracted to disk: members are read into memory one at a time, each through the
same limits, so a hostile archive can neither fill the disk nor write outside a folder.
A Strava export holds ``activities/*.fit.gz|.gpx.gz|.tcx.gz``; a Garmin export holds zips of
FIT files inside its zip, so one level of zip nesting is followed.

The limits (:mod:`footfall.io.limits`) count the bytes that decompressors actually produce,
as they stream, at every layer: what a zip declares about its members is only used to refuse
early, never trusted to be small. An error kept for a member carries no traceback (see
:meth:`FootfallError.detached`), so a refused bomb leaves no buffer behind.
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from footfall.errors import ArchiveLimitExceeded, CorruptFile, FootfallError, printable
from footfall.io.limits import (
    FEED_BYTES,
    MAX_GZIP_MEMBERS,
    MAX_LAYERS,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    MAX_ZIP_DEPTH,
    MIB,
    OUTPUT_BYTES,
    RATIO_MIN_BYTES,
)
from footfall.io.sniff import sniff

#: what zipfile and its decompressors raise on damaged or hostile input, besides BadZipFile:
#: a negative seek (ValueError), member names that are not UTF-8 (UnicodeDecodeError), an
#: unknown zip version or method (NotImplementedError), an encrypted member (RuntimeError),
#: broken lzma/bz2 streams (LZMAError, OSError, EOFError), short extra fields (IndexError,
#: struct.error)
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    IndexError,
    KeyError,
    OverflowError,
    struct.error,
)
#: compression methods zipfile can read (stored, deflate, bzip2, lzma)
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
#: what sniff() is given [heuristic: a FIT header, or an XML declaration, comments and the
#: root element, fit in 4 KB]
_SNIFF_BYTES = 4096
_NOT_ZERO = re.compile(rb"[^\x00]")  # padding between gzip members is NUL bytes


@dataclass(frozen=True)
class ArchiveLimits:
    """Safety limits; the defaults (:mod:`footfall.io.limits`) allow a decade of daily runs
    in one export."""

    max_members: int = MAX_MEMBERS
    max_member_bytes: int = MAX_MEMBER_BYTES  # one activity, decompressed
    max_total_bytes: int = MAX_TOTAL_BYTES  # everything decompressed, every layer
    max_ratio: int = MAX_RATIO  # decompressed / compressed above this is a bomb
    max_depth: int = MAX_ZIP_DEPTH  # zips inside the zip (Garmin export)
    max_layers: int = MAX_LAYERS  # containers (zip or gzip) around one activity
    max_gzip_members: int = MAX_GZIP_MEMBERS


DEFAULT_LIMITS = ArchiveLimits()


@dataclass
class Member:
    """One activity inside an archive (or a plain file), decompressed."""

    name: str  # display name, e.g. "export.zip!activities/123.fit.gz" (member part escaped)
    data: bytes | None
    error: FootfallError | None = None
    fmt: str | None = None  # the format sniffed from ``data`` (once, here)


class _Budget:
    """Decompressed bytes of one archive, every layer, counted as they are produced."""

    def __init__(self, path: str, limits: ArchiveLimits) -> None:
        self.path = path
        self.limits = limits
        self.total = 0
        self.spent = False  # once spent, the whole archive stops

    def spend(self, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            self.spent = True
            raise ArchiveLimitExceeded(
                self.path,
                f"decompresses to more than {_mb(self.limits.max_total_bytes)} in all",
            )


class _Output:
    """The decompressed bytes of one member, checked after every chunk: size, ratio, and
    the archive's budget. On a refusal the buffer is emptied first, so whatever keeps the
    error keeps no data."""

    def __init__(self, name: str, limits: ArchiveLimits, budget: _Budget) -> None:
        self.name = name
        self.limits = limits
        self.budget = budget
        self.buffer = bytearray()

    def add(self, chunk: bytes, consumed: int) -> None:
        """Append ``chunk``; ``consumed`` is the compressed bytes read so far."""
        self.buffer += chunk
        size = len(self.buffer)
        problem = None
        if size > self.limits.max_member_bytes:
            problem = f"decompresses to more than {_mb(self.limits.max_member_bytes)}"
        elif size > RATIO_MIN_BYTES and size > self.limits.max_ratio * max(consumed, 1):
            problem = f"compressed more than {self.limits.max_ratio}:1 (a zip bomb?)"
        if problem is not None:
            self.buffer = bytearray()
            raise ArchiveLimitExceeded(self.name, problem)
        try:
            self.budget.spend(len(chunk))
        except ArchiveLimitExceeded:
            self.buffer = bytearray()
            raise

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer = bytearray()
        return data


def _mb(n: int) -> str:
    return f"{n / MIB:.0f} MB" if n >= MIB else f"{n} bytes"


def gunzip(
    data: bytes, path: str, limits: ArchiveLimits = DEFAULT_LIMITS, budget: _Budget | None = None
) -> bytes:
    """Decompress gzip bytes (possibly several concatenated members) within the limits.

    Input is fed in small steps, so the bytes left over after a member ends are a step's
    worth, never the rest of the file: the work is linear in the file size, and the member
    count is capped (:data:`~footfall.io.limits.MAX_GZIP_MEMBERS`).
    """
    out = _Output(path, limits, budget or _Budget(path, limits))
    view = memoryview(data)
    pos, members = 0, 0
    while True:
        start = _NOT_ZERO.search(data, pos)  # trailing NUL padding is allowed
        if start is None:
            break
        pos = start.start()
        members += 1
        if members > limits.max_gzip_members:
            out.buffer = bytearray()
            raise ArchiveLimitExceeded(
                path, f"more than {limits.max_gzip_members} gzip members in one file"
            )
        pos = _gunzip_member(view, pos, out, path)
    return out.take()


def _gunzip_member(view: memoryview, pos: int, out: _Output, path: str) -> int:
    """Decompress the gzip member starting at ``pos`` into ``out``; returns where it ends."""
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        while not decomp.eof:
            if pos >= len(view):
                out.buffer = bytearray()
                raise CorruptFile(path, "gzip file ends early (truncated download?)")
            step: bytes | memoryview = view[pos : pos + FEED_BYTES]
            pos += len(step)
            while step:
                out.add(decomp.decompress(step, OUTPUT_BYTES), pos)
                step = decomp.unconsumed_tail
        out.add(decomp.flush(), pos)
    except zlib.error as exc:
        done = len(out.buffer)
        out.buffer = bytearray()
        if done:
            raise CorruptFile(path, f"gzip data damaged after {done} bytes: {exc}") from None
        raise CorruptFile(path, f"not readable as gzip: {exc}") from None
    return pos - len(decomp.unused_data)


def _safe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return not name.startswith(("/", "\\")) and ".." not in parts


def iter_zip(
    data: bytes,
    path: str,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    depth: int = 0,
    budget: _Budget | None = None,
    layers: int = 1,
) -> Iterator[Member]:
    """Yield every activity member of a zip; members that are not activities are skipped.

    A problem with one member is that member's error; a problem with the archive itself
    (unreadable directory, too many members, the budget spent) is raised."""
    budget = budget or _Budget(path, limits)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except _ZIP_ERRORS as exc:
        raise CorruptFile(path, f"not readable as zip: {_why(exc)}") from None
    if len(infos) > limits.max_members:
        raise ArchiveLimitExceeded(path, f"{len(infos)} members (limit {limits.max_members})")
    for info in infos:
        name = f"{path}!{printable(info.filename)}"
        refusal = _refuse_member(info, name, limits)
        if refusal is not None:
            yield Member(name, None, refusal)
            continue
        try:
            content = _read_member(archive, info, name, limits, budget)
        except (ArchiveLimitExceeded, CorruptFile) as exc:
            if budget.spent:  # the whole archive's budget: stop here
                raise exc.detached() from None
            yield Member(name, None, exc.detached())
            continue
        if content is not None:
            yield from _expand(content, name, limits, depth, budget, layers)


def _refuse_member(info: zipfile.ZipInfo, name: str, limits: ArchiveLimits) -> FootfallError | None:
    """Why a member is refused from its directory entry alone, or None."""
    if not _safe_name(info.filename):
        return ArchiveLimitExceeded(name, "member path points outside")
    if info.flag_bits & 0x1:
        return CorruptFile(name, "the zip member is encrypted")
    if info.compress_type not in _METHODS:
        return CorruptFile(name, f"zip compression method {info.compress_type} is not supported")
    ratio = info.file_size / info.compress_size if info.compress_size else 0.0
    if info.file_size > limits.max_member_bytes or (
        info.file_size > RATIO_MIN_BYTES and ratio > limits.max_ratio
    ):
        return ArchiveLimitExceeded(name, "member too large or too compressed")
    return None


def _read_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    limits: ArchiveLimits,
    budget: _Budget,
) -> bytes | None:
    """The member's bytes, read in steps through the limits; None when its first bytes are
    not an activity or an archive (photos, CSV and JSON of a bulk export are skipped)."""
    out = _Output(name, limits, budget)
    try:
        with archive.open(info) as handle:
            head = handle.read(_SNIFF_BYTES)
            try:
                sniff(head, name)
            except FootfallError:
                return None
            out.add(head, info.compress_size)
            while chunk := handle.read(OUTPUT_BYTES):
                out.add(chunk, info.compress_size)
    except _ZIP_ERRORS as exc:
        out.buffer = bytearray()
        raise CorruptFile(name, f"cannot read zip member: {_why(exc)}") from None
    return out.take()


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _expand(
    content: bytes,
    name: str,
    limits: ArchiveLimits,
    depth: int,
    budget: _Budget,
    layers: int,
    *,
    quiet: bool = True,
) -> Iterator[Member]:
    """The activities inside ``content``, which sits inside ``layers`` containers. Content
    that is no activity is skipped ``quiet``ly (a bulk export's photos and CSV files), or,
    for the content of a plain .gz file, raised."""
    try:
        kind = sniff(content[:_SNIFF_BYTES], name)
    except FootfallError:
        if not quiet:
            raise
        return
    if kind not in ("gzip", "zip"):
        yield Member(name, content, fmt=kind)
        return
    if layers >= limits.max_layers:
        yield Member(name, None, ArchiveLimitExceeded(name, "archives nested too deep"))
        return
    if kind == "gzip":
        try:
            inner = gunzip(content, name, limits, budget)
        except FootfallError as exc:
            if budget.spent:
                raise exc.detached() from None
            yield Member(name, None, exc.detached())
            return
        del content
        yield from _expand(inner, name, limits, depth, budget, layers + 1)
        return
    if depth >= limits.max_depth:
        yield Member(name, None, ArchiveLimitExceeded(name, "zip nested too deep"))
        return
    try:
        yield from iter_zip(content, name, limits, depth + 1, budget, layers + 1)
    except FootfallError as exc:
        if budget.spent:
            raise exc.detached() from None
        yield Member(name, None, exc.detached())


def iter_members(
    data: bytes, path: str, limits: ArchiveLimits = DEFAULT_LIMITS, kind: str | None = None
) -> Iterator[Member]:
    """Plain files yield themselves; .gz yields its content; .zip yields each activity.

    ``kind`` is the format of ``data`` when the caller has sniffed it already. Problems with
    one member are yielded as that member's error; a problem with the file itself (not
    readable as gzip or zip, a limit of the whole archive) is raised, without a traceback.
    """
    kind = kind or sniff(data[:_SNIFF_BYTES], path)
    if kind not in ("gzip", "zip"):
        yield Member(path, data, fmt=kind)
        return
    failure: FootfallError | None = None
    try:
        yield from _container(data, path, limits, kind)
    except FootfallError as exc:
        failure = exc.detached()
    if failure is not None:
        del data  # the raise below starts a new traceback here: it must not hold the bytes
        raise failure


def _container(data: bytes, path: str, limits: ArchiveLimits, kind: str) -> Iterator[Member]:
    budget = _Budget(path, limits)
    if kind == "zip":
        yield from iter_zip(data, path, limits, 0, budget, 1)
    else:
        inner = gunzip(data, path, limits, budget)
        yield from _expand(inner, path, limits, 0, budget, 1, quiet=False)
