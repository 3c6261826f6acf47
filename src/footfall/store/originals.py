"""Originals, content-addressed on disk: every activity file a user imports, kept as sent.

An original lives at ``originals/<first two hex digits>/<sha256>.zst``: the address is the
SHA-256 of the original bytes (the same digest as the analysis JSON's ``source.sha256``), the
file is those bytes in a Zstandard frame (the ``zstd`` command reads it). Stores written
before 2026-12-02 hold ``<sha256>.gz`` files (gzip): they are read as they are, and a copy
is never stored twice under either name. Writing goes through a temporary file and a
rename, so a killed import leaves either the whole original or nothing. Reading checks the
digest.

Why Zstandard: the parent process compresses every original while the workers analyse, on
the season import's critical path. zstd level 1 packs FIT files as small as gzip level 1
does (about 40-60 % of the original) in a quarter of the time (0.9 ms against 3.7 ms for a
one-hour FIT here), and Python 3.14 brings the same format into the standard library
(``compression.zstd``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from footfall.errors import CorruptFile

#: zstd level for stored originals: level 1 is zstd's fastest standard level and already
#: as small as gzip level 1 on FIT files [heuristic, measured by scripts/bench.py's
#: disk-per-session row]
ZSTD_LEVEL = 1
SUFFIX = ".zst"
OLD_SUFFIX = ".gz"  # stores written before zstd


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Originals:
    """The originals folder of a store."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str, suffix: str = SUFFIX) -> Path:
        """Where the original is written (and read, unless an older store kept it gzipped)."""
        return self.folder / sha256[:2] / f"{sha256}{suffix}"

    def _stored(self, sha256: str) -> Path | None:
        for suffix in (SUFFIX, OLD_SUFFIX):
            if (candidate := self.path(sha256, suffix)).is_file():
                return candidate
        return None

    def has(self, sha256: str) -> bool:
        return self._stored(sha256) is not None

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store ``data`` (once) and return its address."""
        import zstandard

        sha = sha256 or digest(data)
        if self.has(sha):
            return sha
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes:
        """The original bytes; a missing or damaged copy is a one-line error."""
        import zstandard

        target = self._stored(sha256)
        if target is None:
            raise CorruptFile(str(self.path(sha256)), "stored original is missing")
        try:
            packed = target.read_bytes()
            if target.suffix == OLD_SUFFIX:
                data = gzip.decompress(packed)
            else:
                data = zstandard.ZstdDecompressor().decompress(packed)
        except FileNotFoundError:
            raise CorruptFile(str(target), "stored original is missing") from None
        except (OSError, EOFError, zstandard.ZstdError) as exc:
            raise CorruptFile(str(target), f"stored original is damaged: {exc}") from None
        if digest(data) != sha256:
            raise CorruptFile(str(target), "stored original does not match its digest")
        return data

    def sweep(self) -> int:
        """Remove half-written copies a killed writer left (only the writer calls this, under
        the store's writer lock, so none of them is being written now)."""
        removed = 0
        for temp in self.folder.glob("*/.incoming-*"):
            temp.unlink(missing_ok=True)
            removed += 1
        return removed

    def disk_bytes(self) -> int:
        """Bytes the originals take on disk."""
        return sum(
            p.stat().st_size
            for suffix in (SUFFIX, OLD_SUFFIX)
            for p in self.folder.glob(f"*/*{suffix}")
        )
