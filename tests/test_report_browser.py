"""The report in a real browser: Debian's headless Chromium, opened from file:// with no network.

Screenshots land in test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.report.html import render_report

try:  # tests/ is a package in some checkouts and a plain folder in others
    from tests.test_report_html import SCRIPT_NAME, demo_analysis, write_gpx
except ImportError:  # pragma: no cover
    from test_report_html import SCRIPT_NAME, demo_analysis, write_gpx  # type: ignore[no-redef]

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
SAMPLES = ROOT / "sample_activities"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

#: (id, corpus file, sample fallback, attach hand-made findings, dynamics plots expected)
CASES = [
    ("fit_dynamics", "GoldenCheetah/2019-09-07-11-22-19.fit", "overstrider.fit", True, 5),
    ("gpx_cadence_only", "sports-lib/2067489619.gpx", "gpx_cadence_only.gpx", False, 1),
    ("no_cadence", "sportstracker/Garmin_Forerunner_910XT-Running.fit", "no_cadence.gpx", False, 0),
]


@dataclass
class Opened:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_report(browser: Any, html_file: Path, width: int = 1200) -> Opened:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    opened = Opened(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            opened.errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_route(route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("dialog", on_dialog)
    context.route("**/*", on_route)
    page.goto(html_file.as_uri())
    page.wait_for_function(
        "() => ['ready', 'none'].includes(document.documentElement.dataset.plots)",
        timeout=30_000,
    )
    return opened


def screenshot(opened: Opened, name: str) -> Path:
    """A full-page screenshot, taken with the viewport grown to the page (no stitching)."""
    page = opened.page
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height), 16_000)})
    page.wait_for_timeout(300)  # plotly's responsive resize
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def assert_clean(opened: Opened) -> None:
    assert opened.errors == [], opened.errors
    leaving = [u for u in opened.requests if not u.startswith(LOCAL_SCHEMES)]
    assert leaving == [], leaving
    assert opened.dialogs == []


def plot_states(page: Any) -> list[dict[str, Any]]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-figure]')).map(div => ({
                id: div.id,
                svg: !!div.querySelector('.main-svg'),
                layout: !!div._fullLayout,
                traces: (div._fullData || []).length,
                height: div.getBoundingClientRect().height,
                svgHeight: div.querySelector('.main-svg') ?
                    div.querySelector('.main-svg').getBoundingClientRect().height : 0,
            }))"""
        )
    )


def _source(corpus: str, sample: str) -> Path:
    real = REAL / corpus
    if real.exists():
        return real
    fallback = SAMPLES / sample
    if fallback.exists():
        return fallback
    pytest.skip(f"neither {real} nor {fallback} exists")


@pytest.mark.parametrize(("case", "corpus", "sample", "with_findings", "n_dynamics"), CASES)
def test_report_renders_offline(
    browser: Any,
    tmp_path: Path,
    case: str,
    corpus: str,
    sample: str,
    with_findings: bool,
    n_dynamics: int,
) -> None:
    path = _source(corpus, sample)
    activity = footfall.read_activity(path)
    analysis = demo_analysis(activity) if with_findings else footfall.analyze(activity)
    html_file = tmp_path / f"{case}.html"
    html_file.write_text(render_report(analysis), encoding="utf-8")

    opened = open_report(browser, html_file)
    page = opened.page
    plots = plot_states(page)
    for plot in plots:
        assert plot["svg"] and plot["layout"] and plot["traces"] >= 1, plot
        assert plot["height"] >= 200, plot
        assert plot["svgHeight"] <= plot["height"] + 1, plot  # the plot stays in its card
    has_cadence = activity.has("cadence_spm")
    ids = {p["id"] for p in plots}
    assert ("plot-cadence-time" in ids) == has_cadence
    dynamics = {i for i in ids if i not in ("plot-cadence-time", "plot-cadence-speed")}
    if path.is_relative_to(REAL):
        assert len(dynamics) == n_dynamics, dynamics
    if not has_cadence:
        assert page.locator("[data-missing='cadence_time']").count() == 1
    assert page.locator("#not-medical-advice").is_visible()
    # the page fits its width: nothing sticks out sideways
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_clean(opened)
    assert screenshot(opened, f"report-{case}").stat().st_size > 10_000
    page.context.close()


def test_report_on_a_phone(browser: Any, tmp_path: Path) -> None:
    path = _source(CASES[0][1], CASES[0][2])
    html_file = tmp_path / "phone.html"
    html_file.write_text(render_report(demo_analysis(footfall.read_activity(path))), "utf-8")
    opened = open_report(browser, html_file, width=390)
    page = opened.page
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    for plot in plot_states(page):
        assert plot["svg"] and plot["layout"], plot
    widths = page.evaluate(
        "() => Array.from(document.querySelectorAll('.main-svg'))"
        ".map(s => s.getBoundingClientRect().right)"
    )
    assert max(widths) <= 390
    assert_clean(opened)
    screenshot(opened, "report-phone")
    for plot in plot_states(page):  # still inside their cards after the resize
        assert plot["svgHeight"] <= plot["height"] + 1, plot
    # print layout: no navigation, plots no wider than the page
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    page.pdf(path=str(ARTIFACTS / "report-print.pdf"), format="A4")
    page.context.close()


def test_script_in_activity_name_does_not_run(browser: Any, tmp_path: Path) -> None:
    sample = SAMPLES / "script_name.gpx"
    paths = [write_gpx(tmp_path / "hostile.gpx", name=SCRIPT_NAME, seconds=900)]
    if sample.exists():
        paths.append(sample)
    for i, path in enumerate(paths):
        activity = footfall.read_activity(path)
        assert activity.source.name and "<script>" in activity.source.name
        html_file = tmp_path / f"hostile-{i}.html"
        html_file.write_text(render_report(demo_analysis(activity)), encoding="utf-8")
        opened = open_report(browser, html_file)
        page = opened.page
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__footfall_pwned === undefined")
        assert page.locator("#activity-name").inner_text() == activity.source.name
        assert page.locator("h1 script, header script").count() == 0
        assert_clean(opened)  # includes: no alert() dialog was opened
        if i == 0:
            screenshot(opened, "report-script-name")
        page.context.close()
