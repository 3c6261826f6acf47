"""The index page of a batch: one row per run, rejected files with their reason, the verdict,
and the cadence plot over the runs (the browser side is in test_report_browser.py)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.report.html import render_index
from footfall.report.index import cadence_figure, index_view, verdict
from footfall.report.json import analysis_to_dict

try:  # tests/ is a package in some checkouts and a plain folder in others
    from tests.test_report_html import SCRIPT_NAME, write_gpx
except ImportError:  # pragma: no cover
    from test_report_html import SCRIPT_NAME, write_gpx  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = write_gpx(tmp_path_factory.mktemp("index") / "run.gpx", seconds=900)
    return analysis_to_dict(footfall.analyze(path))


def variant(
    base: dict[str, Any],
    path: str,
    start: str | None,
    distance: float = 2_700.0,
    fmt: str = "gpx",
    channels: int = 5,
    cadence: float | None = 170.0,
    **summary: Any,
) -> dict[str, Any]:
    result = copy.deepcopy(base)
    result["source"].update(
        path=path, format=fmt, name=None, channels={f"c{i}": {} for i in range(channels)}
    )
    result["summary"].update(start_time=start, distance_m=distance, **summary)
    result["summary"].pop("verdict", None)  # each test says which verdict it wants
    result["summary"]["cadence_spm"] = None if cadence is None else {"median": cadence}
    return result


def test_one_run_in_three_files_is_one_row_shown_from_the_richest(base: dict[str, Any]) -> None:
    t = "2024-05-01T08:00:00+00:00"
    entries = [
        ("run", variant(base, "/x/run.gpx", t, 2_700.0, "gpx", 9)),
        ("run-2", variant(base, "/x/run.fit", "2024-05-01T08:00:40+00:00", 2_690.0, "fit", 14)),
        ("run-3", variant(base, "/x/run.tcx", t, 2_720.0, "tcx", 8)),
        ("later", variant(base, "/x/later.fit", "2024-05-03T08:00:00+00:00", fmt="fit")),
    ]
    view = index_view(entries, [])
    assert [r["stem"] for r in view["rows"]] == ["later", "run-2"]  # newest first
    row = view["rows"][1]
    assert row["file"] == "run.fit" and row["format"] == "FIT"
    assert [(o["href"], o["format"]) for o in row["others"]] == [
        ("run.html", "GPX"),
        ("run-3.html", "TCX"),
    ]
    html = render_index(entries)
    assert html.count('<tr data-stem="') == 2
    also = html[html.index('<tr data-stem="run-2"') :]
    also = also[: also.index("</tr>")]
    assert 'href="run.html"' in also and 'href="run-3.html"' in also and "same run" in also
    assert "2 runs" in html and "4 reports" in html


def test_rejected_files_are_listed_with_their_reason(base: dict[str, Any]) -> None:
    entries = [
        ("a", variant(base, "/x/a.gpx", "2024-05-01T08:00:00+00:00")),
        ("b", variant(base, "/x/b.gpx", "2024-05-02T08:00:00+00:00")),
    ]
    rejected = [
        ("/x/ride.fit", "not a run: the file records cycling", True),
        ("/x/broken.fit", "not a FIT file: bad header (at byte 0)", False),
        (f"/x/{SCRIPT_NAME}.gpx", "truncated <b>here</b>", False),
    ]
    html = render_index(entries, rejected)
    failed = html[html.index('<section id="failed">') : html.index('<section id="skipped">')]
    skipped = html[html.index('<section id="skipped">') :]
    assert "broken.fit" in failed and "bad header (at byte 0)" in failed
    assert "ride.fit" not in failed
    assert "ride.fit" in skipped and "records cycling" in skipped
    assert "broken.fit" not in skipped[: skipped.index("</section>")]
    assert "truncated &lt;b&gt;here&lt;/b&gt;" in failed and SCRIPT_NAME not in html
    assert "1 not a run" in html and "2 could not be read" in html


def test_the_badge_names_the_verdict_and_falls_back_to_the_worst_finding(
    base: dict[str, Any],
) -> None:
    given = variant(base, "/x/a.gpx", "2024-05-01T08:00:00+00:00")
    given["summary"]["verdict"] = {
        "severity": "warning",
        "detector": "low_cadence",
        "title": "Cadence below what is typical for your pace",
    }
    older = variant(base, "/x/b.gpx", "2024-04-01T08:00:00+00:00")
    older["findings"] = [
        {"detector": "data_quality", "severity": "alert", "title": "Limits of this file"},
        {"detector": "heat", "severity": "watch", "title": "A hot run"},
        {"detector": "overstride", "severity": "alert", "title": "Overstriding, likely"},
        {"detector": "drift", "severity": "alert", "title": "Second alert"},
    ]
    assert verdict(given) == given["summary"]["verdict"]
    assert verdict(older) == {
        "severity": "alert",
        "detector": "overstride",
        "title": "Overstriding, likely",
    }
    calm = variant(base, "/x/c.gpx", None)
    calm["findings"] = [
        {"detector": "heat", "severity": "ok", "title": "Cool"},
        {"detector": "data_quality", "severity": "watch", "title": "Limits of this file"},
    ]
    assert verdict(calm) == {
        "severity": "ok",
        "detector": None,
        "title": "Nothing in this run needs work",
    }
    calm["findings"] = []
    assert verdict(calm) is None
    html = render_index([("a", given), ("b", older), ("c", calm)])
    cells = re.findall(r'<td class="verdict">(.*?)</td>', html, flags=re.S)
    assert len(cells) == 3
    assert "sev-warning" in cells[0] and "Cadence below what is typical for your pace" in cells[0]
    assert "sev-alert" in cells[1] and "Overstriding, likely" in cells[1]
    assert "(4 findings)" in cells[1]
    assert "badge" not in cells[2] and "—" in cells[2]


def _figure(view: dict[str, Any]) -> dict[str, Any]:
    assert view["figure"] is not None
    return dict(json.loads(view["figure"]["json"]))


def test_the_cadence_plot_goes_by_date(base: dict[str, Any]) -> None:
    entries = [
        ("b", variant(base, "/x/b.gpx", "2024-05-03T07:00:00+02:00", cadence=172.4)),
        ("a", variant(base, "/x/a.gpx", "2024-05-01T08:00:00+00:00", cadence=165.0)),
        ("n", variant(base, "/x/n.gpx", "2024-05-02T08:00:00+00:00", cadence=None)),
    ]
    figure = _figure(index_view(entries, []))
    runs = figure["data"][0]
    assert runs["x"] == ["2024-05-01 08:00:00", "2024-05-03 05:00:00"]  # oldest first, in UTC
    assert runs["y"] == [165.0, 172.4]
    assert figure["layout"]["xaxis"]["title"]["text"] == "date"
    target = figure["data"][1]
    assert target["y"] == [180.0, 180.0] and target["name"] == "target 180"
    low, high = figure["layout"]["yaxis"]["range"]
    assert low < 165.0 and high > 180.0


def test_without_dates_the_plot_goes_by_order(base: dict[str, Any]) -> None:
    entries = [
        ("first", variant(base, "/x/1.gpx", None, cadence=160.0)),
        ("second", variant(base, "/x/2.gpx", None, cadence=170.0)),
    ]
    view = index_view(entries, [])
    assert [r["stem"] for r in view["rows"]] == ["first", "second"]
    figure = _figure(view)
    assert figure["data"][0]["x"] == [1, 2] and figure["data"][0]["y"] == [160.0, 170.0]
    assert "order listed" in figure["layout"]["xaxis"]["title"]["text"]
    assert "order listed" in view["figure"]["caption"]


def test_no_cadence_no_plot(base: dict[str, Any]) -> None:
    entries = [
        ("a", variant(base, "/x/a.gpx", "2024-05-01T08:00:00+00:00", cadence=None)),
        ("b", variant(base, "/x/b.gpx", "2024-05-02T08:00:00+00:00", cadence=None)),
    ]
    assert cadence_figure(index_view(entries, [])["rows"]) is None
    html = render_index(entries)
    assert "<script" not in html and 'id="trend"' not in html


def test_hostile_names_stay_text_in_the_plot(base: dict[str, Any]) -> None:
    a = variant(base, "/x/a.gpx", "2024-05-01T08:00:00+00:00")
    a["source"]["name"] = SCRIPT_NAME
    b = variant(base, "/x/b.gpx", "2024-05-02T08:00:00+00:00")
    figure = _figure(index_view([("a", a), ("b", b)], []))
    assert all("<script>" not in text for text in figure["data"][0]["text"])
    html = render_index([("a", a), ("b", b)])
    assert SCRIPT_NAME not in html and "</script><script>window" not in html


def test_rows_link_pages_that_the_writer_wrote(tmp_path: Path, base: dict[str, Any]) -> None:
    """ReportWriter.finish writes the index with every row's page next to it."""
    from footfall.report.writer import ReportWriter

    (tmp_path / "in").mkdir()
    gpx = write_gpx(tmp_path / "in" / "run.gpx", seconds=900)
    writer = ReportWriter("html", tmp_path / "out")
    for _ in range(2):  # the same file twice: one run, two pages
        analysis = footfall.analyze(gpx)
        writer.add(analysis, analysis_to_dict(analysis))
    writer.reject(str(tmp_path / "ride.fit"), "not a run: the file records cycling", skipped=True)
    written = writer.finish()
    index = tmp_path / "out" / "index.html"
    assert index in written
    html = index.read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"#:]+\.html)"', html)
    assert sorted(hrefs) == ["run-2.html", "run.html"]
    assert all((tmp_path / "out" / h).is_file() for h in hrefs)
    assert html.count('<tr data-stem="') == 1 and "ride.fit" in html
