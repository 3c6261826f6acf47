"""Reading one file from disk: regular files only, and never more than a limit.

A path can name a FIFO (reading it blocks until someone writes, and may never end), a device
(``/dev/zero`` never ends, ``/dev/random`` neither), a folder or a socket. None of them is an
activity file. The file is opened without blocking, checked with ``fstat`` on the open
descriptor (so a swap between check and read cannot slip a FIFO in), and read up to
:data:`~footfall.io.limits.MAX_FILE_BYTES`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from footfall.errors import LimitExceeded, UnsupportedFormat
from footfall.io.limits import MAX_FILE_BYTES, MIB

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a pipe (FIFO), not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_ERRORS = {
    errno.ENOENT: "file not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a folder, not a file",
    errno.ENXIO: "is not a regular file (a socket?)",  # open() of a UNIX socket
}


def read_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, or an :class:`UnsupportedFormat` saying what the path is
    instead (missing, a folder, a FIFO, a device...) or a :class:`LimitExceeded` when it
    holds more than ``max_bytes``."""
    name = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise UnsupportedFormat(name, _problem(exc)) from None
    try:
        return _read_regular(fd, name, max_bytes)
    except OSError as exc:  # a disk that fails mid-read, a file system that vanished
        raise UnsupportedFormat(name, _problem(exc)) from None
    finally:
        os.close(fd)


def _read_regular(fd: int, name: str, max_bytes: int) -> bytes:
    info = os.fstat(fd)
    for test, problem in _KINDS:
        if test(info.st_mode):
            raise UnsupportedFormat(name, problem)
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFormat(name, "is not a regular file")
    if info.st_size > max_bytes:
        raise LimitExceeded(name, _too_large(info.st_size, max_bytes))
    os.set_blocking(fd, True)
    chunks: list[bytes] = []
    size = 0
    # Read to the end, not to st_size: a file that grows while it is read (or a /proc file
    # that reports 0 bytes) is read until EOF, within the limit.
    while chunk := os.read(fd, min(max(info.st_size, MIB), max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise LimitExceeded(name, _too_large(size, max_bytes, grew=True))
    return b"".join(chunks)


def _too_large(size: int, limit: int, *, grew: bool = False) -> str:
    more = "more than " if grew else ""
    return f"{more}{size / MIB:.0f} MB is larger than the {limit / MIB:.0f} MB footfall reads"


def _problem(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        known = _OPEN_ERRORS.get(exc.errno or 0)
        if known:
            return known
        if exc.strerror:
            return exc.strerror[:1].lower() + exc.strerror[1:]
    return " ".join(str(exc).split())[:200] or type(exc).__name__
