"""The installed version of footfall: pyproject.toml is the one place it is kept."""

from __future__ import annotations

from functools import cache


@cache
def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("footfall")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
