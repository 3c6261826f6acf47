"""One plotly.js per batch: several reports share assets/plotly-*.min.js, one report stays
self-contained, and the Content-Security-Policy stays strict in both forms.

That the shared copy really runs from file:// under this policy is checked in Chromium
(test_report_browser.py)."""

from __future__ import annotations

import html as html_lib
import os
import re
from pathlib import Path

import pytest

import footfall
from footfall.report.html import plotly_asset_name, plotly_bundle, plotly_js
from footfall.report.json import analysis_to_dict
from footfall.report.writer import ReportWriter

try:  # tests/ is a package in some checkouts and a plain folder in others
    from tests.test_report_html import assert_offline, write_gpx
except ImportError:  # pragma: no cover
    from test_report_html import assert_offline, write_gpx  # type: ignore[no-redef]

#: the issue's target for a batch page (the real corpus median is printed by bench_report.py)
BATCH_PAGE_MAX_BYTES = 400_000


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[footfall.Analysis]:
    folder = tmp_path_factory.mktemp("runs")
    with_cadence = [write_gpx(folder / f"run{i}.gpx", seconds=600 + 300 * i) for i in range(2)]
    without = write_gpx(folder / "nocad.gpx", seconds=600, cadence=False)
    return [footfall.analyze(p) for p in [*with_cadence, without]]


def write(out: Path, analyses: list[footfall.Analysis], **options: bool) -> ReportWriter:
    writer = ReportWriter("html", out, **options)
    for analysis in analyses:
        writer.add(analysis, analysis_to_dict(analysis))
    writer.finish()
    return writer


def csp(page: str) -> str:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert found is not None
    return html_lib.unescape(found.group(1))


def script_src(page: str) -> str:
    return csp(page).split("script-src", 1)[1].split(";", 1)[0].strip()


def test_one_report_is_one_self_contained_file(
    tmp_path: Path, runs: list[footfall.Analysis]
) -> None:
    writer = write(tmp_path, runs[:1])
    assert [p.name for p in writer.written] == ["run0.html"]
    assert not (tmp_path / "assets").exists()
    page = (tmp_path / "run0.html").read_text(encoding="utf-8")
    assert page.count(plotly_js()[:200]) == 1 and "<script src=" not in page
    assert "'self'" not in script_src(page) and script_src(page).count("'sha256-") == 2
    assert_offline(page)


def test_a_batch_shares_one_local_plotly(tmp_path: Path, runs: list[footfall.Analysis]) -> None:
    writer = write(tmp_path, runs)
    asset = tmp_path / plotly_asset_name()
    assert asset.is_file() and asset.read_bytes() == plotly_bundle().encode("utf-8")
    assert writer.asset == asset and writer.written.count(asset) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "assets",
        "index.html",
        "nocad.html",
        "run0.html",
        "run1.html",
    ]
    tag = f'<script src="{plotly_asset_name()}"></script>'
    for name in ("run0.html", "run1.html", "index.html"):  # run0 was rewritten at run1
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert page.count(tag) == 1, name
        assert plotly_js()[:200] not in page, name
        assert len(page.encode("utf-8")) <= BATCH_PAGE_MAX_BYTES, name
        # local files only, the boot script by hash, nothing inline otherwise, no network
        policy = csp(page)
        assert script_src(page).split() == ["'self'", script_src(page).split()[1]]
        assert script_src(page).split()[1].startswith("'sha256-")
        assert "default-src 'none'" in policy and "connect-src 'none'" in policy
        assert "unsafe-inline" not in script_src(page) and "unsafe-eval" not in policy
        assert_offline(page)
    bare = (tmp_path / "nocad.html").read_text(encoding="utf-8")  # nothing to plot
    assert "<script" not in bare and script_src(bare) == "'none'"


def test_self_contained_keeps_every_page_whole(
    tmp_path: Path, runs: list[footfall.Analysis]
) -> None:
    writer = write(tmp_path, runs[:2], self_contained=True)
    assert not (tmp_path / "assets").exists() and writer.asset is None
    for name in ("run0.html", "run1.html", "index.html"):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert page.count(plotly_js()[:200]) == 1 and "<script src=" not in page, name


def test_json_only_writes_no_asset(tmp_path: Path, runs: list[footfall.Analysis]) -> None:
    writer = ReportWriter("json", tmp_path)
    for analysis in runs[:2]:
        writer.add(analysis, analysis_to_dict(analysis))
    assert sorted(p.name for p in writer.finish()) == ["run0.json", "run1.json"]
    assert not (tmp_path / "assets").exists()


def test_an_asset_left_by_another_batch_is_kept_or_replaced(
    tmp_path: Path, runs: list[footfall.Analysis]
) -> None:
    asset = tmp_path / plotly_asset_name()
    asset.parent.mkdir(parents=True)
    asset.write_bytes(plotly_bundle().encode("utf-8"))
    os.utime(asset, (1_000_000_000, 1_000_000_000))
    write(tmp_path, runs[:2])
    assert asset.stat().st_mtime == 1_000_000_000  # same content: left alone
    asset.write_text("window.Plotly = undefined; // damaged", encoding="utf-8")
    write(tmp_path / ".." / tmp_path.name, runs[:2])
    assert asset.read_bytes() == plotly_bundle().encode("utf-8")
