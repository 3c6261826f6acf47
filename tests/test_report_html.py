"""The HTML session report: offline, escaped, and showing what the analysis holds.

The detectors are still being written, so the findings here are built by hand; the browser
tests (test_report_browser.py) import :func:`demo_analysis` and :func:`write_gpx` from here.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import footfall
from footfall.model import Analysis, Finding
from footfall.report import formatting as fmt
from footfall.report.html import json_for_script, plotly_js, render_index, render_report
from footfall.report.json import analysis_to_dict

SCRIPT_NAME = '<script>window.__footfall_pwned = 1; alert("footfall")</script>'


def write_gpx(
    path: Path, name: str = "Easy run", seconds: int = 1800, cadence: bool = True
) -> Path:
    """A 1 Hz GPX run (~3 m/s, ~166 spm) with a 2-minute walk break in the middle.

    ``name`` is written escaped, as a GPX file would hold ``<script>`` in its <name>.
    """
    rng = np.random.default_rng(7)
    t = np.arange(seconds)
    walk = (t > seconds // 2) & (t < seconds // 2 + 120)
    speed = np.where(walk, 1.4, 3.0 + 0.3 * np.sin(t / 300.0))
    lat = 45.0 + np.cumsum(speed) / 111_195.0
    strides = np.where(walk, 56.0, 83.0 + 1.5 * np.sin(t / 200.0)) + rng.normal(0, 0.6, seconds)
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    points = []
    for i in range(seconds):
        ext = ""
        if cadence:
            ext = (
                "<extensions><gpxtpx:TrackPointExtension>"
                f"<gpxtpx:cad>{strides[i]:.0f}</gpxtpx:cad>"
                "</gpxtpx:TrackPointExtension></extensions>"
            )
        hh, rest = divmod(i, 3600)
        mm, ss = divmod(rest, 60)
        points.append(
            f'<trkpt lat="{lat[i]:.7f}" lon="5.0"><ele>200</ele>'
            f"<time>2024-05-01T{8 + hh:02d}:{mm:02d}:{ss:02d}Z</time>{ext}</trkpt>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="footfall tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{escaped}</name><type>running</type><trkseg>{''.join(points)}"
        "</trkseg></trk></gpx>",
        encoding="utf-8",
    )
    return path


def demo_findings() -> list[Finding]:
    """Findings shaped like the detectors' (SCIENCE.md §6), with hostile text in places."""
    return [
        Finding(
            detector="low_cadence",
            severity="warning",
            confidence="high",
            title="Cadence below your target for most of the run",
            explanation="Your median running cadence is 166 spm, 14 below the 180 target.",
            evidence={
                "median_cadence_spm": 166.2,
                "target_spm": 180,
                "time_below_target_pct": 92.4,
                "median_speed_mps": 3.0,
                "longest_stretch_s": 754,
                "height_given": False,
            },
            windows=[(60.0, 600.0), (1100.0, 1500.0)],
            rule="median cadence < target - 5 spm over running time (SCIENCE.md §6.2)",
            basis="target",
            numbness_link={
                "text": "Lower cadence means longer contact and more load per step; a "
                "plausible contributor to numbness <b>alongside</b> shoe fit.",
                "grade": "C",
                "status": "plausible, unproven",
            },
            drills=["metronome"],
            references=["willy2016", "Heiderscheit 2011"],
        ),
        Finding(
            detector="overstride",
            severity="alert",
            confidence="medium",
            title="A pattern consistent with overstriding",
            explanation="Long contact times at low cadence for your speed.",
            evidence={"score": 71.4, "stance_time_ms": 298.0, "gap_to_c_ref_spm": -9.5},
            windows=[(300.0, 420.0)],
            rule="overstride score >= 60 (SCIENCE.md §6.3)",
            basis="speed_and_height",
        ),
        Finding(
            detector="vertical_bounce",
            severity="ok",
            confidence="medium",
            title="Vertical motion looks economical",
            explanation="Vertical ratio stays in a typical range.",
        ),
    ]


def demo_analysis(activity: footfall.Activity, symptom: bool = True) -> Analysis:
    """A full analysis: real series, hand-made findings, checklist, red flags, references."""
    analysis = footfall.analyze(activity)
    analysis.findings = demo_findings()
    analysis.checklist = [
        {"item": "Shoe length and width", "detail": "A thumb's width at the toe.", "source": "D"},
        {
            "item": "Lacing over the instep",
            "detail": "Skip the eyelet over the hot spot.",
            "source": "running-advice sources",
        },
    ]
    analysis.red_flags = [
        {
            "sign": "Numbness in both legs or around the groin",
            "suggests": "cauda equina",
            "action": "Emergency department now",
            "urgency": "emergency",
        },
        {
            "sign": "Numbness at rest or at night",
            "suggests": "neuropathy",
            "action": "See your GP",
            "urgency": "clinician",
        },
        {
            "sign": "Foot drop or toe-catching",
            "suggests": "nerve or compartment",
            "action": "Urgent clinician",
            "urgency": "urgent",
        },
    ]
    if symptom:
        analysis.symptom = {
            "at_s": 900,
            "side": "left",
            "text": "cadence fell 4 spm in the 10 min before; tingling <toes> 3 & 4",
            "observations": ["cadence fell 4 spm in the 10 min before", "tingling <toes> 3 & 4"],
        }
    analysis.summary["verdict"] = {
        "severity": "warning",
        "detector": "low_cadence",
        "title": "Shorter, quicker steps",
    }
    analysis.plan = {
        "next_step": {
            "text": "Aim for 174 spm on easy runs",
            "target_spm": 174.0,
            "current_spm": 166.0,
            "progression_spm": [174.0, 178.0, 180.0],
            "warranted": True,
        },
        "drills": [
            {
                "id": "metronome",
                "name": "Metronome at +5 %",
                "dose": "2-3 × 5-10 min blocks inside easy runs",
                "progression": "week 2: 20-30 min; then the whole easy run",
                "evidence_grade": "B",
                "reference": "Willy 2016, https://doi.org/10.1016/example",
                "for": ["low_cadence"],
            }
        ],
    }
    analysis.metrics["cadence_speed_fit"] = {
        "slope": 5.1,
        "intercept": 151.0,
        "speed_min": 2.6,
        "speed_max": 3.4,
        "n": 1500,
        "method": "huber",
    }
    analysis.references = [
        {"key": "willy2016", "text": "Willy RW et al. (2016). https://example.org/willy"},
    ]
    return analysis


class _Tags(HTMLParser):
    """Every start tag with its attributes (script bodies are not parsed as HTML)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def assert_offline(html: str) -> None:
    """No script, style, image, frame or link pulls anything from a URL."""
    for tag, attrs in tags(html):
        for attr in ("src", "href", "data", "srcset", "poster"):
            value = (attrs.get(attr) or "").strip().lower()
            if tag == "a":
                continue  # a link the reader may click is not a load
            assert not re.match(r"^(https?:)?//", value), f"<{tag} {attr}={value}> loads a URL"
    assert "cdn.plot.ly/plotly" not in html.replace(plotly_js(), "")
    assert "@import" not in html


@pytest.fixture(scope="module")
def gpx_run(tmp_path_factory: pytest.TempPathFactory) -> footfall.Activity:
    path = write_gpx(tmp_path_factory.mktemp("gpx") / "run.gpx", name=SCRIPT_NAME)
    return footfall.read_activity(path)


@pytest.fixture(scope="module")
def full_html(gpx_run: footfall.Activity) -> str:
    return render_report(demo_analysis(gpx_run))


def test_one_plotly_bundle_and_nothing_from_the_network(full_html: str) -> None:
    head = plotly_js()[:200]
    assert full_html.count(head) == 1
    assert full_html.count("<script>") == 2  # plotly.js + the page's own boot script
    assert_offline(full_html)
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', full_html)
    assert found is not None
    csp = html_lib.unescape(found.group(1))
    assert "default-src 'none'" in csp
    script_src = csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "unsafe-inline" not in script_src and script_src.count("'sha256-") == 2


def test_script_in_activity_name_is_text(gpx_run: footfall.Activity, full_html: str) -> None:
    assert gpx_run.source.name == SCRIPT_NAME
    assert SCRIPT_NAME not in full_html
    assert "&lt;script&gt;window.__footfall_pwned" in full_html
    assert "__footfall_pwned" not in full_html.replace("&lt;script&gt;window.__footfall_pwned", "")
    # hostile text inside findings and symptom notes is escaped too
    assert "<b>alongside</b>" not in full_html
    assert "tingling &lt;toes&gt; 3 &amp; 4" in full_html


def test_json_in_script_cannot_close_the_tag() -> None:
    text = json.dumps({"name": "</script><script>alert(1)</script><!--"})
    safe = str(json_for_script(text))
    assert "</" not in safe and "<!--" not in safe
    assert json.loads(safe) == json.loads(text)


def test_sections_follow_the_data(full_html: str) -> None:
    html = full_html
    for marker in (
        'id="red-flags-top"',
        'id="headline-cadence"',
        'id="headline-cref"',
        'id="headline-below"',
        'id="headline-overstride"',
        'id="next-focus"',
        'id="plot-cadence-time"',
        'id="plot-cadence-speed"',
        'id="plot-step-length-m"',
        'data-detector="low_cadence"',
        'data-detector="vertical_bounce"',
        'id="numbness"',
        'id="symptom"',
        'id="channels"',
        'id="references"',
        'id="not-medical-advice"',
    ):
        assert marker in html, marker
    assert 'id="red-flags"' not in html  # shown at the top instead
    assert html.index('id="red-flags-top"') < html.index('id="summary"')
    assert "Shorter, quicker steps" in html
    assert "your height was not given" in html
    assert "71 <small>/ 100</small>" in html
    # running dynamics are absent from a GPX: notes instead of plots
    assert 'data-missing="stance_time_ms"' in html
    assert 'id="plot-stance-time-ms"' not in html
    # evidence with units, the rule, the basis, drills, next step
    assert "166 spm" in html and "92 %" in html and "5:33/km" in html and "12:34" in html
    assert 'science <a class="cite" href="#science-6-2">§6.2</a>' in html
    assert 'id="science-6-2"' in html  # the cited section is on the page, offline
    assert "your cadence target" in html
    assert html.count("Metronome at +5 %") == 1 and "evidence grade C" in html
    plan = html[html.index('<section id="plan">') :]
    assert "Aim for 174 spm on easy runs" in plan and 'id="drill-metronome"' in plan
    assert html.count("Aim for 174 spm") == 1  # the next step lives in the plan only
    card = html[html.index('id="finding-2"') :]  # overstride (alert) is finding-1
    assert 'data-detector="low_cadence"' in card[:200]
    assert 'href="#drill-metronome"' in card[: card.index("</article>")]  # card -> its drill
    assert 'href="#finding-2"' in plan  # ... and the drill -> the finding it answers
    assert 'href="https://example.org/willy"' in html  # a reference link, not a load


def test_without_symptom_red_flags_are_collapsed(gpx_run: footfall.Activity) -> None:
    html = render_report(demo_analysis(gpx_run, symptom=False))
    assert 'id="red-flags-top"' not in html
    assert '<section id="red-flags">' in html and "<details" in html
    assert html.index('id="red-flags"') > html.index('id="findings"')
    # emergency signs come first
    assert html.index("Emergency department now") < html.index("Urgent clinician")


def test_bare_analysis_degrades_gracefully(gpx_run: footfall.Activity) -> None:
    analysis = footfall.analyze(gpx_run)
    analysis.findings, analysis.red_flags, analysis.checklist, analysis.references = [], [], [], []
    analysis.summary.pop("verdict", None)
    html = render_report(analysis)
    assert "No findings for this run." in html
    assert 'id="headline-overstride"' not in html and 'id="next-focus"' not in html
    assert 'id="numbness"' not in html and 'id="references"' not in html
    assert 'id="red-flags' not in html
    assert_offline(html)


def test_no_cadence_omits_cadence_plots(tmp_path: Path) -> None:
    activity = footfall.read_activity(write_gpx(tmp_path / "nocad.gpx", cadence=False))
    html = render_report(footfall.analyze(activity))
    assert 'data-missing="cadence_time"' in html
    assert 'id="plot-cadence-time"' not in html
    assert "No cadence in this file" in html
    assert 'id="headline-cref"' in html  # speed alone still gives C_ref
    assert plotly_js()[:200] not in html  # nothing to plot, so no 4 MB bundle
    assert_offline(html)


def test_height_is_used_for_c_ref(gpx_run: footfall.Activity) -> None:
    analysis = footfall.analyze(gpx_run, footfall.Profile(height_cm=165))
    html = render_report(analysis)
    assert "for your height (165 cm)" in html
    assert "height was not given" not in html


def test_derived_focus_is_the_most_severe_finding(gpx_run: footfall.Activity) -> None:
    analysis = demo_analysis(gpx_run)
    del analysis.summary["verdict"]
    html = render_report(analysis)
    focus = html[html.index('id="next-focus"') :]
    assert "A pattern consistent with overstriding" in focus[:600]


def test_index_page(gpx_run: footfall.Activity) -> None:
    full = analysis_to_dict(demo_analysis(gpx_run))
    bare = analysis_to_dict(footfall.analyze(gpx_run))
    bare["summary"]["start_time"] = "2023-01-01T10:00:00+00:00"
    html = render_index([("run-a", full), ("run-b", bare)])
    assert 'href="run-a.html"' in html and 'href="run-b.html"' in html
    assert html.index("run-a.html") < html.index("run-b.html")  # newest first
    assert SCRIPT_NAME not in html and "&lt;script&gt;" in html
    assert "important" in html  # worst severity of run-a: alert
    assert re.search(r">1[67][0-9] spm<", html)
    # the only scripts: plotly.js, the boot script and the cadence plot's data (tests/test_index.py)
    assert len(re.findall(r"<script", html.lower().replace("&lt;script", ""))) == 3
    assert_offline(html)


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("median_cadence_spm", 166.4, "166 spm"),
        ("stance_time_ms", 263.2, "263 ms"),
        ("time_below_target_pct", 42.26, "42 %"),
        ("share_pct", 4.26, "4.3 %"),
        ("median_speed_mps", 3.0, "5:33/km"),
        ("longest_stretch_s", 754, "12:34"),
        ("duration_s", 3725, "1:02:05"),
        ("window_s", [60, 130], "1:00–2:10"),
        ("step_length_m", 1.234, "1.23 m"),
        ("score", 71.0, "71"),
        ("height_given", False, "no"),
        ("note", "<b>x</b>", "<b>x</b>"),  # plain text: the template escapes it
        ("missing_spm", None, "—"),
    ],
)
def test_evidence_values(key: str, value: Any, text: str) -> None:
    assert fmt.evidence_value(key, value) == text


def test_evidence_labels() -> None:
    assert fmt.label("median_cadence_spm") == "Median cadence"
    assert fmt.label("gap_to_c_ref_spm") == "Gap to C_ref"
    assert fmt.label("median_speed_mps") == "Median speed"
    assert fmt.label("score") == "Score"


def test_json_analysis_does_not_import_plotly_or_jinja(tmp_path: Path) -> None:
    gpx = write_gpx(tmp_path / "run.gpx", seconds=600)
    code = (
        "import sys\n"
        "from footfall.cli import main\n"
        f"sys.argv = ['footfall', 'analyze', {str(gpx)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('plotly', 'jinja2', 'footfall.report.html') "
        "if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in result.stderr, result.stderr[-2000:]


def test_odd_findings_render(tmp_path: Path) -> None:
    """Unknown severities, nested or missing evidence, windows without a cadence plot."""
    activity = footfall.read_activity(write_gpx(tmp_path / "nocad.gpx", cadence=False))
    analysis = footfall.analyze(activity)
    analysis.findings = [
        Finding(
            detector="context",
            severity="watch",
            confidence="low",
            title="Long run",
            explanation="",
            evidence={"split_s": {"first_s": 600, "second_s": 620}, "ratio": float("nan")},
            windows=[(0.0, 60.0)],
        )
    ]
    analysis.summary["verdict"] = {"title": ""}  # empty: derive it instead
    html = render_report(analysis)
    assert "First 10:00, Second 10:20" in html
    assert "under the cadence plot" not in html
    focus = html[html.index('id="next-focus"') :]
    assert "Long run" in focus[:400]


def test_dynamics_plots_use_the_one_set_of_garmin_bands() -> None:
    """Issue 9: the report's colour bands come from footfall.reference, where the detectors
    read theirs (a report band edge of 52.25 once disagreed with a detector's 52.2)."""
    from footfall.reference import band_edges, band_top
    from footfall.report.dynamics import GARMIN_BANDS

    for metric in ("stance_time_ms", "vertical_oscillation_cm", "vertical_ratio_pct"):
        assert GARMIN_BANDS[metric] == band_edges(metric)
    left = GARMIN_BANDS["stance_balance_left_pct"]
    assert [c for _, _, c in left] == ["red", "orange", "green", "orange", "red"]
    assert left[-1][0] == band_top("stance_balance_side_pct", "orange") == 52.2
    assert left[0][1] == 47.8  # the same gauge for the left foot's share, mirrored
