"""The cadence-over-time plot stays readable when finding windows cover most of the run:
the windows live in a strip under the trace, the target band and walk/stop shading keep the
trace area, and no label is cut short."""

from __future__ import annotations

import json
from typing import Any

import pytest

import footfall
from footfall.model import Finding
from footfall.report.cadence_time import (
    LANE_LABELS,
    SEVERITY_COLORS,
    STATE_COLORS,
    TARGET_BAND_SPM,
    cadence_time_figure,
)

try:  # tests/ is a package in some checkouts and a plain folder in others
    from tests.test_report_html import write_gpx
except ImportError:  # pragma: no cover
    from test_report_html import write_gpx  # type: ignore[no-redef]

LONG_TITLE = "Cadence below your target for most of the run, and <lower> still on the climbs"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> footfall.Activity:
    return footfall.read_activity(write_gpx(tmp_path_factory.mktemp("cad") / "run.gpx"))


def covering(analysis: footfall.Analysis) -> footfall.Analysis:
    """Findings whose windows cover 95 % of the run (and one cut in many pieces)."""
    d = float(analysis.summary["duration_s"])
    analysis.findings = [
        Finding("low_cadence", "warning", "high", LONG_TITLE, "", windows=[(30.0, 0.97 * d)]),
        Finding(
            "overstride",
            "alert",
            "medium",
            "A pattern consistent with overstriding",
            "",
            windows=[(t, t + 50.0) for t in range(0, int(d) - 60, 60)],
        ),
        Finding("low_cadence", "watch", "low", "Cadence drops late", "", windows=[(0.0, d)]),
        Finding("heat", "ok", "high", "Cool enough", "", windows=[(0.0, d)]),  # ok: no lane
        Finding("drift", "watch", "low", "No windows", ""),  # nothing to mark: no lane
    ]
    return analysis


def figure(analysis: footfall.Analysis) -> dict[str, Any]:
    return dict(json.loads(cadence_time_figure(analysis)["json"]))


def test_windows_sit_in_a_strip_below_the_trace(run: footfall.Activity) -> None:
    analysis = covering(footfall.analyze(run))
    fig = figure(analysis)
    layout = fig["layout"]
    target = float(analysis.summary["target_cadence_spm"])
    band = [s for s in layout["shapes"] if s.get("name", "").startswith("target ")]
    assert len(band) == 1
    assert band[0]["yref"] == "y" and band[0]["xref"] == "paper"
    assert (band[0]["x0"], band[0]["x1"]) == (0, 1)
    assert (band[0]["y0"], band[0]["y1"]) == (target - TARGET_BAND_SPM, target + TARGET_BAND_SPM)
    # nothing in the trace area is a finding: no shape in a severity colour, and the
    # walk/stop shading stays in the trace area and is drawn before (under) the band
    finding_colors = set(SEVERITY_COLORS.values())
    assert not [s for s in layout["shapes"] if s.get("fillcolor") in finding_colors]
    states = [s for s in layout["shapes"] if s.get("fillcolor") in STATE_COLORS.values()]
    assert "walking" in {s["name"] for s in states}  # the walk break of write_gpx
    assert all(s["yref"] == "y domain" and (s["y0"], s["y1"]) == (0, 1) for s in states)
    assert max(layout["shapes"].index(s) for s in states) < layout["shapes"].index(band[0])
    # the windows are bars on their own axis, whose band is below the trace's
    lanes = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["yaxis"] for t in lanes] == ["y2", "y2", "y2"]
    strip, trace_area = layout["yaxis2"]["domain"], layout["yaxis"]["domain"]
    assert strip[0] == 0.0 and strip[1] < trace_area[0] and trace_area[1] == 1.0
    assert layout["xaxis"]["anchor"] == "y2"
    assert layout["yaxis"]["range"][0] < target - TARGET_BAND_SPM
    assert layout["yaxis"]["range"][1] > target + TARGET_BAND_SPM
    # every window is drawn where it is (minutes), the first lane's covers 95 % of the run
    first = lanes[0]
    assert first["base"] == [0.5] and first["x"] == [round((0.97 * 1800 - 30) / 60, 3)]
    assert len(lanes[1]["base"]) == len(analysis.findings[1].windows)
    assert layout["height"] > 340  # the strip adds room rather than taking the trace's


def test_no_label_is_cut_short(run: footfall.Activity) -> None:
    fig = figure(covering(footfall.analyze(run)))
    assert "…" not in json.dumps(fig, ensure_ascii=False)
    lanes = [t for t in fig["data"] if t["type"] == "bar"]
    labels = [t["y"][0] for t in lanes]
    assert labels == [LANE_LABELS["low_cadence"], LANE_LABELS["overstride"], "low cadence 2"]
    assert fig["layout"]["yaxis2"]["categoryarray"] == labels[::-1]  # first finding on top
    assert all(len(label) <= 16 for label in LANE_LABELS.values())  # short by design
    # the full title, escaped for plotly's bit of HTML, is in the lane's hover text
    assert "and &lt;lower&gt; still on the climbs" in lanes[0]["hovertemplate"]
    legend = [t["name"] for t in fig["data"] if t.get("showlegend") is not False]
    legend += [s["name"] for s in fig["layout"]["shapes"] if s.get("showlegend")]
    assert sorted(legend) == ["cadence", "target 180 ± 3 spm", "walking"]


def test_without_windows_there_is_no_strip(run: footfall.Activity) -> None:
    analysis = footfall.analyze(run)
    analysis.findings = [Finding("low_cadence", "warning", "high", "Low", "", windows=[])]
    fig = figure(analysis)
    assert "yaxis2" not in fig["layout"] and "domain" not in fig["layout"]["yaxis"]
    assert [t["type"] for t in fig["data"]] == ["scatter"]
    assert fig["layout"]["height"] == 340
