"""footfall: a running-form cadence coach for wearable data.

>>> import footfall
>>> activity = footfall.read_activity("run.fit")
>>> analysis = footfall.analyze(activity, footfall.Profile(height_cm=172))

The names below are imported on first use (PEP 562), so `import footfall` and the
`footfall --help` / `--version` commands do not pay for pandas and numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from footfall.config import Profile, load_profile
    from footfall.errors import (
        CorruptFile,
        FootfallError,
        NotARun,
        NoUsableData,
        TruncatedFile,
        UnsupportedFormat,
    )
    from footfall.model import Activity, Analysis, Finding
    from footfall.pipeline import analyze, iter_activities, read_activity

    __version__: str

#: public name -> the module that defines it
_LAZY = {
    "Profile": "footfall.config",
    "load_profile": "footfall.config",
    "CorruptFile": "footfall.errors",
    "FootfallError": "footfall.errors",
    "NotARun": "footfall.errors",
    "NoUsableData": "footfall.errors",
    "TruncatedFile": "footfall.errors",
    "UnsupportedFormat": "footfall.errors",
    "Activity": "footfall.model",
    "Analysis": "footfall.model",
    "Finding": "footfall.model",
    "analyze": "footfall.pipeline",
    "iter_activities": "footfall.pipeline",
    "read_activity": "footfall.pipeline",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _installed_version()
    elif name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'footfall' has no attribute {name!r}")
    globals()[name] = value  # looked up once; later accesses skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def _installed_version() -> str:
    from footfall.version import installed_version

    return installed_version()


def render_report(analysis: Analysis) -> str:
    """The offline HTML report of an analysis (Jinja2 is imported on first use; plotly.js is
    read from the plotly package, whose Python modules are not imported)."""
    from footfall.report.html import render_report as render

    return render(analysis)


__all__ = [
    "Activity",
    "Analysis",
    "CorruptFile",
    "Finding",
    "FootfallError",
    "NoUsableData",
    "NotARun",
    "Profile",
    "TruncatedFile",
    "UnsupportedFormat",
    "__version__",
    "analyze",
    "iter_activities",
    "load_profile",
    "read_activity",
    "render_report",
]
