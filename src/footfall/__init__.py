"""footfall: a running-form cadence coach for wearable data.

>>> import footfall
>>> activity = footfall.read_activity("run.fit")
>>> analysis = footfall.analyze(activity, footfall.Profile(height_cm=172))
"""

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

__version__ = "0.1.0"


def render_report(analysis: Analysis) -> str:
    """The offline HTML report of an analysis (plotly and Jinja2 are imported on first use)."""
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
