"""The analysis JSON as text (`schema: footfall.analysis/1`); the dict is Analysis.to_dict()."""

from __future__ import annotations

import json
from typing import Any

from footfall.model import ANALYSIS_SCHEMA, Analysis

SCHEMA = ANALYSIS_SCHEMA


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis JSON dict (the model writes it: :meth:`Analysis.to_dict`)."""
    return analysis.to_dict()


def analysis_to_json(analysis: Analysis, indent: int | None = 2) -> str:
    return json.dumps(analysis.to_dict(), indent=indent, ensure_ascii=False)
