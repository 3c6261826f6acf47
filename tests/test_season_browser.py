"""The season page and the roster in Debian's headless Chromium, from file:// with no
network: every plot drawn, no console error, no request but file:/data:/blob:, nothing wider
than a 390 px phone (also with a wide fallback font forced)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from footfall.batch.imports import import_files
from footfall.cli.outputs import write_roster_page, write_season_page
from footfall.season import season_analysis
from footfall.season.roster import roster
from footfall.store import Ledger, Store, queries
from tests import season_samples as ss
from tests.test_report_browser import (  # the module's browser and page helpers
    LAPTOP,
    PHONE,
    Tab,
    assert_clean,
    assert_fits,
    assert_fits_with_a_wide_font,
    browser,
    plot_states,
    screenshot,
    tab,
    visit,
)

pytestmark = pytest.mark.browser
__all__ = ["browser", "tab"]  # fixtures used by name


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("season-pages")
    out = root / "reports"
    plans = {
        "Ana María Long-Surname-Without-Breaks": [
            *ss.improving(weeks=5),
            replace(next(ss.improving(weeks=1)), start=ss.days(5, 1), minutes=30, seed=77),
        ],
        "ben": list(ss.speed_only(weeks=5)),
    }
    seasons = []
    with Store(root / "home") as store:
        for name, runs in plans.items():
            files = ss.write(root / ss.slug_safe(name), runs)
            athlete, _ = store.ensure_athlete(name)
            ledger = Ledger(store, athlete)
            import_files(files, ledger, athlete.profile, workers=2)
            if name.startswith("Ana"):
                store.log_symptom(athlete, ss.days(5, 1).date().isoformat(), "left", 1320, None)
            seasons.append(
                season_analysis(
                    athlete.to_dict(),
                    queries.analyses(store, athlete),
                    store.symptoms(athlete),
                    ledger.report.to_dict(),
                )
            )
    names = {s["athlete"]["name"]: ss.slug_safe(s["athlete"]["name"]) for s in seasons}
    ranked = roster(seasons)
    roster_file = write_roster_page(out, ranked, seasons, names)
    season_file = write_season_page(out, names[seasons[0]["athlete"]["name"]], seasons[0])
    yield {"roster": roster_file, "season": season_file}


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_season_page_draws_every_plot_offline(tab: Tab, pages: dict[str, Path], width: int) -> None:
    opened = visit(tab, pages["season"], width)
    states = plot_states(opened.page)
    assert len(states) == 4
    for plot in states:
        assert plot["svg"] and plot["layout"] and plot["traces"] >= 1, plot
    page = opened.page
    assert page.locator("[data-kind=session_spike]").count() == 1
    assert page.locator("[data-kind=numbness]").count() == 1
    assert page.locator("#season-sessions tbody tr").count() == 16
    assert page.locator("a[href='../roster.html']").count() == 1
    assert_fits(page, f"season page at {width} px")
    assert_clean(opened)
    screenshot(opened, f"season-{width}")
    if width == PHONE:
        assert_fits_with_a_wide_font(page, "season page")


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_roster_page_ranks_and_links(tab: Tab, pages: dict[str, Path], width: int) -> None:
    opened = visit(tab, pages["roster"], width)
    page = opened.page
    names = page.locator("#roster tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.athlete)"
    )
    assert names == ["Ana María Long-Surname-Without-Breaks", "ben"]
    link = page.locator("#roster tbody tr").first.locator("a").first.get_attribute("href")
    assert (pages["roster"].parent / str(link)).resolve() == pages["season"].resolve()
    for plot in plot_states(page):
        assert plot["svg"] and plot["traces"] == 2, plot
    assert_fits(page, f"roster at {width} px")
    assert_clean(opened)
    screenshot(opened, f"roster-{width}")
    if width == PHONE:
        assert_fits_with_a_wide_font(page, "roster")


def test_pages_share_one_plotly(pages: dict[str, Path]) -> None:
    assets = list((pages["roster"].parent / "assets").glob("plotly-*.min.js"))
    assert len(assets) == 1
    season: Any = pages["season"].read_text()
    assert f'<script src="../assets/{assets[0].name}"></script>' in season
    assert "cdn" not in season.lower() or "cdn.plot.ly" not in season
