"""Package data parsed once and kept between runs, as Python keeps its ``__pycache__``.

Every analysis reads the coaching knowledge file (``coaching/knowledge.toml``). Importing
tomllib and parsing the file took about 8 ms on this project's 2-core reference machine, 1 %
of the whole ``footfall analyze x.fit --format json`` process (issue 8, start-up). The parsed
form is kept as JSON, which the standard library reads in C (0.1 ms), in the user's cache
folder: ``$XDG_CACHE_HOME/footfall``, else ``~/.cache/footfall`` (the XDG base-directory
convention, as pip and matplotlib use). Each file is named by a hash of the source text, so
an edited source is never served stale. A folder that cannot be used (no home, read-only,
full disk) or a damaged file only costs the parse; nothing here can fail an analysis.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the layout of the cached files; a new one never reads files of an older layout
FORMAT = "v1"


def cache_folder() -> Path | None:
    """The user's footfall cache folder (not created here), or None when there is none."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):  # no HOME and no password entry: nowhere to keep it
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "footfall"


def parsed(name: str, text: str, parse: Callable[[str], Any]) -> Any:
    """``parse(text)``, read from the cache when this exact text was parsed before.

    ``parse`` must return JSON-compatible data (dicts, lists, strings, numbers, booleans):
    anything else is parsed on every call, never cached."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    folder = cache_folder()
    if folder is None:
        return parse(text)
    path = folder / f"{name}-{FORMAT}-{digest}.json"
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):  # not cached yet, unreadable or damaged: parse again
        pass
    value = parse(text)
    with contextlib.suppress(OSError, TypeError, ValueError):  # the next run parses again
        _store(path, json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8"), name)
    return value


def _store(path: Path, data: bytes, name: str) -> None:
    """Write atomically (parallel workers may race; the last whole file wins), then drop the
    copies of older texts (or layouts) of the same name."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    for old in path.parent.glob(f"{name}-*.json"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
