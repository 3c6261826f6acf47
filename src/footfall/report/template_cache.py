"""Compiled Jinja2 templates kept between runs, as Python keeps its ``__pycache__``.

Jinja2 turns each template into Python source and compiles it on first use in a process:
about 0.3 s for the seven templates of a season page on this project's 2-core reference
machine, paid by every ``footfall analyze`` that writes HTML, every season page and every
web-app start. Jinja2's own file cache keeps the compiled code in a private folder of the
system's temporary directory (``_jinja2-cache-<uid>``, mode 0700, refused when another user
owns it), keyed by template name and a checksum of its source, so an edited template is
never served stale. When that folder cannot be used, templates are compiled as before.
"""

from __future__ import annotations

import contextlib

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket


class _QuietCache(FileSystemBytecodeCache):
    """A cache that never fails a page: a full or read-only disk only costs the compile."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):  # unreadable or damaged: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # the next run compiles again
            super().dump_bytecode(bucket)


def bytecode_cache() -> BytecodeCache | None:
    """The shared cache of compiled templates, or None when no safe folder is available."""
    try:
        return _QuietCache()
    except (OSError, RuntimeError):  # no temporary directory, or one another user owns
        return None
