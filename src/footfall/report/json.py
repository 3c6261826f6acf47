"""The analysis JSON of DESIGN.md (`schema: footfall.analysis/1`), built from an Analysis."""

from __future__ import annotations

import json
import math
from typing import Any

from footfall.model import Analysis

SCHEMA = "footfall.analysis/1"


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    activity = analysis.activity
    source = activity.source.to_dict()
    source["cadence_unit"] = activity.cadence_unit
    source["cadence_trusted"] = activity.cadence_trusted
    source["channels"] = {k: v.to_dict() for k, v in sorted(activity.channels.items())}
    source["legs"] = activity.legs
    source["treadmill"] = activity.treadmill
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "source": source,
        "profile": analysis.profile,
        "summary": analysis.summary,
        "findings": [f.to_dict() for f in analysis.findings],
        "red_flags": analysis.red_flags,
        "warnings": analysis.warnings,
    }
    out["plan"] = analysis.plan
    if analysis.checklist:
        out["checklist"] = analysis.checklist
    if analysis.symptom is not None:
        out["symptom"] = analysis.symptom
    if analysis.metrics:
        out["metrics"] = analysis.metrics
    return _finite(out)


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: they become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _finite(value.item())
    return value


def analysis_to_json(analysis: Analysis, indent: int | None = 2) -> str:
    return json.dumps(analysis_to_dict(analysis), indent=indent, ensure_ascii=False)
