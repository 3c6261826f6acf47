"""The report in a real browser: Debian's headless Chromium, opened from file:// with no network.

Every page is checked on a phone (390 px) and a laptop (1280 px), as one self-contained file
and in the batch form that loads the shared plotly.js from ``assets/``: nothing sticks out
sideways (also with a wide fallback font forced on the page, so a machine whose fonts are
wider than ours cannot overflow either), every plot is drawn, no console error, no request
other than file:, data: or blob:. One browser serves the module. Screenshots land in
test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.report.html import plotly_asset_name, render_report
from footfall.report.json import analysis_to_dict
from footfall.report.writer import ReportWriter

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
LOCAL_SCHEMES = ("file:", "data:", "blob:")
PHONE, LAPTOP = 390, 1280
#: wider than any font a machine is likely to fall back to: a monospace face, at least 18 px,
#: on everything but plotly's SVG (plotly measures its own text, whatever the font)
WIDE_FONT = (
    'body :not(svg, svg *) { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace'
    " !important; font-size: max(1em, 18px) !important; }"
)

#: (id, corpus file, sample fallback, attach hand-made findings, dynamics plots expected)
CASES = [
    ("fit_dynamics", "GoldenCheetah/2019-09-07-11-22-19.fit", "overstrider.fit", True, 5),
    ("gpx", "sports-lib/2067489619.gpx", "gpx_cadence_only.gpx", False, 1),
    ("tcx", "sports-lib/6782987395.tcx", "unit_switch.tcx", False, 1),
    ("no_cadence", "sportstracker/Garmin_Forerunner_910XT-Running.fit", "no_cadence.gpx", False, 0),
]
FORMS = ("single", "shared")


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


def open_report(browser: Any, html_file: Path, width: int = 1200, ready: bool = True) -> Opened:
    """Open ``html_file`` in a fresh context (the caller closes ``page.context``)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    opened = Opened(page)
    _watch(page, lambda: opened)
    page.goto(html_file.as_uri())
    _wait_for_plots(page, ready)
    return opened


def _watch(page: Any, get: Any) -> None:
    """Record console errors, page errors, requests and dialogs into ``get()``, and refuse
    every request that is not local."""

    def on_console(message: Any) -> None:
        if message.type == "error":
            get().errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        get().dialogs.append(dialog.message)
        dialog.dismiss()

    def on_route(route: Any) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: get().errors.append(f"pageerror: {exc}"))
    page.on("request", lambda request: get().requests.append(request.url))
    page.on("dialog", on_dialog)
    page.context.route("**/*", on_route)


def _wait_for_plots(page: Any, ready: bool = True) -> None:
    states = "['ready', 'none']" if ready else "['ready', 'none', 'no-plotly']"
    page.wait_for_function(
        f"() => {states}.includes(document.documentElement.dataset.plots)", timeout=30_000
    )


@dataclass
class Tab:
    """One page reused for every visit of a module: Chromium then compiles the shared
    plotly.js once, which is most of a page's start-up on a busy 2-core machine."""

    page: Any
    current: Opened


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900})
    page = context.new_page()
    opened = Tab(page, Opened(page))
    _watch(page, lambda: opened.current)
    yield opened
    context.close()


def visit(tab: Tab, html_file: Path, width: int, ready: bool = True) -> Opened:
    """Open ``html_file`` in the module's page at ``width`` px; errors and requests from now."""
    tab.current = Opened(tab.page)
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.page.goto(html_file.as_uri())
    _wait_for_plots(tab.page, ready)
    return tab.current


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


#: what sticks out past the right edge and is not inside a box that scrolls or clips it:
#: elements, and text runs (a long word overflows its box without widening the box)
_OVERFLOWING = """() => {
  const w = document.documentElement.clientWidth, out = [];
  const held = el => { for (let p = el; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('svg') || !n.textContent.trim() || held(el)) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const right = range.getBoundingClientRect().right;
    if (right > w + 0.5) out.push(`${Math.round(right)} px: <${el.tagName.toLowerCase()}> `
                                  + n.textContent.trim().slice(0, 50));
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || (el.parentElement && held(el.parentElement))) continue;
    const right = el.getBoundingClientRect().right;
    if (right > w + 0.5) out.push(`${Math.round(right)} px: <${el.tagName.toLowerCase()}`
                                  + ` class="${el.className}">`);
  }
  return {scroll: document.documentElement.scrollWidth, width: w, out: out.slice(0, 8)};
}"""


def assert_fits(page: Any, what: str) -> None:
    """Nothing sticks out sideways: the page is no wider than the window."""
    found = page.evaluate(_OVERFLOWING)
    assert found["scroll"] <= found["width"] and not found["out"], (what, found)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def assert_fits_with_a_wide_font(page: Any, what: str) -> None:
    page.add_style_tag(content=WIDE_FONT)
    page.wait_for_timeout(50)
    assert_fits(page, f"{what} with {WIDE_FONT[:60]}...")


def plot_states(page: Any) -> list[dict[str, Any]]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-figure]')).map(div => ({
                id: div.id,
                svg: !!div.querySelector('.main-svg'),
                layout: !!div._fullLayout,
                traces: (div._fullData || []).length,
                height: div.getBoundingClientRect().height,
                right: div.querySelector('.main-svg') ?
                    div.querySelector('.main-svg').getBoundingClientRect().right : 0,
                svgHeight: div.querySelector('.main-svg') ?
                    div.querySelector('.main-svg').getBoundingClientRect().height : 0,
            }))"""
        )
    )


def assert_plots_drawn(page: Any, width: int) -> list[dict[str, Any]]:
    plots = plot_states(page)
    for plot in plots:
        assert plot["svg"] and plot["layout"] and plot["traces"] >= 1, plot
        assert plot["height"] >= 200, plot
        assert plot["svgHeight"] <= plot["height"] + 1, plot  # the plot stays in its card
        assert plot["right"] <= width, plot
    return plots


def _source(corpus: str, sample: str) -> Path:
    real = REAL / corpus
    if real.exists():
        return real
    fallback = SAMPLES / sample
    if fallback.exists():
        return fallback
    pytest.skip(f"neither {real} nor {fallback} exists")


@dataclass
class Written:
    """Every case's page as one file (single/) and as a batch sharing plotly.js (batch/)."""

    single: Path
    batch: Path
    activities: dict[str, footfall.Activity]
    sources: dict[str, Path]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    root = tmp_path_factory.mktemp("browser")
    single, batch = root / "single", root / "batch"
    single.mkdir()
    writer = ReportWriter("html", batch)
    activities, sources = {}, {}
    for case, corpus, sample, with_findings, _ in CASES:
        path = sources[case] = _source(corpus, sample)
        activity = activities[case] = footfall.read_activity(path)
        analysis = demo_analysis(activity) if with_findings else footfall.analyze(activity)
        (single / f"{case}.html").write_text(render_report(analysis), encoding="utf-8")
        result = analysis_to_dict(analysis)
        result["source"]["path"] = f"{case}{path.suffix}"  # the page is batch/<case>.html
        writer.add(analysis, result)
    writer.finish()
    return Written(single, batch, activities, sources)


def page_file(written: Written, form: str, case: str) -> Path:
    return (written.single if form == "single" else written.batch) / f"{case}.html"


def resize(page: Any, width: int) -> None:
    """A new window width, once plotly has redrawn every plot to its card's new width."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-figure]')).every(div => {
            const svg = div.querySelector('.main-svg');
            return svg && Math.abs(svg.getBoundingClientRect().width - div.clientWidth) < 2;
        })""",
        timeout=10_000,
    )


def assert_strip_under_trace(page: Any) -> None:
    """The finding lanes are drawn below the trace area, labelled, and no label is cut."""
    found = page.evaluate(
        """() => {
          const div = document.getElementById('plot-cadence-time');
          const y = div._fullLayout.yaxis;
          return {
            trace: div.getBoundingClientRect().top + y._offset + y._length,
            lanes: Array.from(div.querySelectorAll('.subplot.xy2 .bars .point')).map(
              p => p.getBoundingClientRect().top),
            labels: Array.from(div.querySelectorAll('.y2tick text')).map(t => t.textContent),
            legend: Array.from(div.querySelectorAll('.legendtext')).map(t => t.textContent),
          };
        }"""
    )
    assert found["lanes"] and min(found["lanes"]) >= found["trace"], found
    assert sorted(found["labels"]) == ["low cadence", "overstride"], found
    assert "target 180 ± 3 spm" in found["legend"], found
    assert not any("…" in t for t in found["legend"] + found["labels"]), found


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("case", "corpus", "sample", "with_findings", "n_dynamics"), CASES)
def test_report_renders_offline(
    tab: Tab,
    written: Written,
    form: str,
    case: str,
    corpus: str,
    sample: str,
    with_findings: bool,
    n_dynamics: int,
) -> None:
    """One load per page (plotly.js takes seconds to start on a busy 2-core machine): opened
    on a phone, then widened to a laptop, then narrowed again with a wide font forced."""
    html_file = page_file(written, form, case)
    shared = f'<script src="{plotly_asset_name()}"></script>' in html_file.read_text("utf-8")
    has_cadence = written.activities[case].has("cadence_spm")
    assert shared == (form == "shared" and has_cadence)  # a page without plots needs none
    opened = visit(tab, html_file, PHONE)
    page = opened.page
    for width in (PHONE, LAPTOP):
        if width != PHONE:
            resize(page, width)
        plots = assert_plots_drawn(page, width)
        ids = {p["id"] for p in plots}
        assert ("plot-cadence-time" in ids) == has_cadence
        dynamics = {i for i in ids if i not in ("plot-cadence-time", "plot-cadence-speed")}
        if written.sources[case].is_relative_to(REAL):
            assert len(dynamics) == n_dynamics, dynamics
        if not has_cadence:
            assert page.locator("[data-missing='cadence_time']").count() == 1
        if with_findings:
            assert_strip_under_trace(page)
        assert page.locator("#not-medical-advice").is_visible()
        assert_fits(page, f"{case} {form} at {width} px")
    if form == "single":
        assert screenshot(opened, f"report-{case}").stat().st_size > 10_000
    resize(page, PHONE)
    assert_fits_with_a_wide_font(page, f"{case} {form} at {PHONE} px")
    assert_clean(opened)


def test_index_page(tab: Tab, written: Written) -> None:
    opened = visit(tab, written.batch / "index.html", PHONE)
    page = opened.page
    for width in (PHONE, LAPTOP):
        if width != PHONE:
            resize(page, width)
        plots = assert_plots_drawn(page, width)
        assert [p["id"] for p in plots] == ["plot-index-cadence"]
        assert page.locator("#activities tbody tr").count() == len(CASES)  # four runs
        hrefs = page.eval_on_selector_all("#activities a", "els => els.map(a => a.href)")
        assert all(Path(h.removeprefix("file://")).is_file() for h in hrefs), hrefs
        assert_fits(page, f"index at {width} px")
    screenshot(opened, "index")
    resize(page, PHONE)
    assert_fits_with_a_wide_font(page, "index at 390 px")
    assert_clean(opened)


def test_a_batch_page_without_its_assets_says_so(
    tab: Tab, written: Written, tmp_path: Path
) -> None:
    moved = tmp_path / "fit_dynamics.html"
    shutil.copy(page_file(written, "shared", "fit_dynamics"), moved)
    opened = visit(tab, moved, LAPTOP, ready=False)
    page = opened.page
    assert page.evaluate("() => document.documentElement.dataset.plots") == "no-plotly"
    text = page.locator("#plot-cadence-time").inner_text()
    assert plotly_asset_name() in text and "assets folder" in text
    assert [e for e in opened.errors if "ERR_FILE_NOT_FOUND" not in e] == []


def test_report_on_a_phone(tab: Tab, written: Written) -> None:
    """The page of a real file with running dynamics, as a phone shows and prints it."""
    opened = visit(tab, page_file(written, "shared", "fit_dynamics"), PHONE)
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
    assert max(widths) <= PHONE
    assert_clean(opened)
    screenshot(opened, "report-phone")
    for plot in plot_states(page):  # still inside their cards after the resize
        assert plot["svgHeight"] <= plot["height"] + 1, plot
    # print layout: no navigation, plots no wider than the page
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    page.pdf(path=str(ARTIFACTS / "report-print.pdf"), format="A4")
    page.emulate_media(media="screen")
    resize(page, PHONE)
    assert_fits_with_a_wide_font(page, "phone report")


def test_script_in_activity_name_does_not_run(tab: Tab, written: Written, tmp_path: Path) -> None:
    sample = SAMPLES / "script_name.gpx"
    paths = [write_gpx(tmp_path / "hostile.gpx", name=SCRIPT_NAME, seconds=900)]
    if sample.exists():
        paths.append(sample)
    for i, path in enumerate(paths):
        activity = footfall.read_activity(path)
        assert activity.source.name and "<script>" in activity.source.name
        # next to the batch's plotly.js, which this page has compiled already
        html_file = written.batch / f"hostile-{i}-{tmp_path.name}.html"
        page_html = render_report(demo_analysis(activity), plotly_src=plotly_asset_name())
        html_file.write_text(page_html, encoding="utf-8")
        opened = visit(tab, html_file, LAPTOP)
        page = opened.page
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__footfall_pwned === undefined")
        assert page.locator("#activity-name").inner_text() == activity.source.name
        assert page.locator("h1 script, header script").count() == 0
        assert_clean(opened)  # includes: no alert() dialog was opened
        if i == 0:
            screenshot(opened, "report-script-name")
