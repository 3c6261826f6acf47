"""Detectors: one module each, all with the same interface, registered in one tuple.

Built-in detectors go through the same registry a new one would; the common-checks test
(tests/test_detectors_common.py) runs every entry on an empty series, a series without its
channels and a normal run.
"""

from __future__ import annotations

from footfall.detectors import (
    asymmetry,
    data_quality,
    downhill,
    drift,
    duration,
    heat,
    low_cadence,
    overstride,
)
from footfall.detectors.base import Context, Detector

REGISTRY: tuple[Detector, ...] = (
    low_cadence,
    overstride,
    asymmetry,
    drift,
    duration,
    heat,
    downhill,
    data_quality,
)

#: detector name -> its module, for the metadata (kind, priority) of a finding
BY_NAME: dict[str, Detector] = {d.NAME: d for d in REGISTRY}

__all__ = ["BY_NAME", "REGISTRY", "Context", "Detector"]
