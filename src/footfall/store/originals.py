"""Originals, content-addressed on disk: every activity file a user imports, kept as sent.

An original lives at ``originals/<first two hex digits>/<sha256>.gz``: the address is the
SHA-256 of the original bytes (the same digest as the analysis JSON's ``source.sha256``), the
file is those bytes gzip-compressed (FIT compresses to about a third). Writing goes through a
temporary file and a rename, so a killed import leaves either the whole original or nothing,
and the same content is never stored twice. Reading checks the digest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from footfall.errors import CorruptFile

#: gzip level for stored originals: level 1 keeps most of the saving (FIT: ~3x smaller)
#: for a fraction of level 6's time, and the parent process compresses while workers
#: analyse [heuristic, measured by scripts/bench.py's disk-per-session row]
GZIP_LEVEL = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Originals:
    """The originals folder of a store."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.gz"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store ``data`` (once) and return its address."""
        sha = sha256 or digest(data)
        target = self.path(sha)
        if target.is_file():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes:
        """The original bytes; a missing or damaged copy is a one-line error."""
        target = self.path(sha256)
        try:
            data = gzip.decompress(target.read_bytes())
        except FileNotFoundError:
            raise CorruptFile(str(target), "stored original is missing") from None
        except (OSError, EOFError) as exc:
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
        return sum(p.stat().st_size for p in self.folder.glob("*/*.gz"))
