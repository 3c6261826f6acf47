"""Every running file of the real corpus gets a report (or a rejection footfall can explain).

Reads ../shared/data/real (skips when absent). The analysis is footfall's; the test is that
``render_report`` never fails on what real watches and exporters write.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import footfall
from footfall.report.html import plotly_js, render_report

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
CATALOG = REAL / "catalog.csv"
#: rejections that are honest for a file the catalogue calls a run: the sport was guessed from
#: the data, there is no movement at all, or nothing to analyse (neither cadence nor speed)
EXPLAINED = ("guessed", "no movement", "no cadence and no speed")


def _running_rows() -> list[dict[str, str]]:
    if not CATALOG.exists():
        return []
    with CATALOG.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["is_running"] == "True"]


def _params() -> list[object]:
    rows = _running_rows()
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"real corpus not at {REAL}"))]
    return [pytest.param(row["path"], id=row["path"]) for row in rows]


@pytest.mark.parametrize("rel", _params())
def test_running_file_renders(rel: str) -> None:
    path = REAL / rel
    try:
        analysis = footfall.analyze(path)
    except (footfall.NotARun, footfall.NoUsableData) as exc:
        assert any(word in str(exc) for word in EXPLAINED), f"unexplained rejection: {exc}"
        print(f"rejected, as explained: {exc}")
        return
    html = render_report(analysis)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    plots = html.count('data-figure="')
    bundle = html.count(plotly_js()[:200])
    assert bundle == (1 if plots else 0)
    assert ('id="plot-cadence-time"' in html) == analysis.activity.has("cadence_spm")
    assert len(html) < 8_000_000
