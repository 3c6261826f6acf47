"""File names for written reports: stable, safe, and unique per activity."""

from __future__ import annotations

import re
from pathlib import PurePath

from footfall.io.registry import activity_suffixes

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_ACTIVITY_SUFFIXES = activity_suffixes()


def report_stem(source_path: str) -> str:
    """'export.zip!activities/123.fit.gz' -> 'export_123'; 'run.fit' -> 'run'."""
    outer, _, inner = source_path.partition("!")
    names = [PurePath(outer).name]
    if inner:
        names = [_strip(PurePath(outer).name), PurePath(inner).name]
    stem = "_".join(_strip(n) for n in names if n)
    stem = _UNSAFE.sub("_", stem).strip("._") or "activity"
    return stem[:120]


def _strip(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _ACTIVITY_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                changed = True
    return name
