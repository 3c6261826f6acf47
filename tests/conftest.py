"""Shared fixtures: where the real corpus and the samples are."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the project's own sample writers (FIT, GPX, TCX) live in scripts/samples
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))
SAMPLES = ROOT / "sample_activities"
REAL = ROOT.parent / "shared" / "data" / "real"
CATALOG = REAL / "catalog.csv"


def real_corpus_rows() -> list[dict[str, str]]:
    """Rows of ../shared/data/real/catalog.csv, or [] when the corpus is absent."""
    if not CATALOG.exists():
        return []
    with CATALOG.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def corpus_params(rows: list[dict[str, str]]) -> list[object]:
    """pytest params over catalogue rows; one skipped param when the corpus is absent."""
    if not rows:
        return [
            pytest.param(None, marks=pytest.mark.skip(reason=f"real corpus not found at {REAL}"))
        ]
    return [pytest.param(row, id=row["path"]) for row in rows]


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.exists():
        pytest.skip(f"real corpus not found at {REAL}")
    return REAL
