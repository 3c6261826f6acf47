"""The web app in Debian's headless Chromium against a real `footfall serve` on 127.0.0.1:
a coach signs in through the form, uploads an export zip for an athlete, opens the season,
a session report and the roster (every plot drawn, plotly.js from the server, no console
error, no request anywhere but the server), signs out; another athlete gets a 404 page for
her season. Nothing is wider than a 390 px phone."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import season_samples as ss
from tests.test_report_browser import (  # the module's browser and page helpers
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    Opened,
    _wait_for_plots,
    assert_fits,
    browser,
    plot_states,
    screenshot,
)
from tests.web_support import PASSWORDS, Server, make_accounts, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
__all__ = ["CHROMIUM_ARGS", "browser"]  # the fixture is used by name
LOCAL = ("data:", "blob:")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("web-browser")
    make_accounts(home)
    with running_server(home, home.parent / "browser-server.log") as started:
        yield started


@pytest.fixture(scope="module")
def export_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four of ana's runs over two weeks, zipped as a watch export."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for k, run in enumerate(ss.improving(weeks=2)):
            if k < 4:
                archive.writestr(f"activities/{k}.fit", ss.run_fit(run))
    target = tmp_path_factory.mktemp("upload") / "ana-export.zip"
    target.write_bytes(buffer.getvalue())
    return target


def open_tab(browser: Any, server: Server, width: int = LAPTOP) -> Opened:
    """A fresh context that records console errors and requests and lets only the server
    (and data:/blob:) through."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
    page.on("request", lambda request: opened.requests.append(request.url))

    def only_the_server(route: Any) -> None:
        url = route.request.url
        if url.startswith(server.url + "/") or url.startswith(LOCAL):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_server)
    return opened


def sign_in(opened: Opened, server: Server, name: str) -> None:
    page = opened.page
    page.goto(server.url + "/")
    assert page.url == server.url + "/sign-in"
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("#sign-in button[type=submit]")
    page.wait_for_url(server.url + "/")


def assert_only_the_server(opened: Opened, server: Server) -> None:
    assert opened.errors == [], opened.errors
    elsewhere = [u for u in opened.requests if not u.startswith((server.url + "/", *LOCAL))]
    assert elsewhere == [], elsewhere


def test_a_coach_uploads_and_reads_an_athletes_season(
    browser: Any, server: Server, export_zip: Path
) -> None:
    opened = open_tab(browser, server)
    page = opened.page
    sign_in(opened, server, "kim")
    rows = page.locator("#athletes tbody tr").evaluate_all("r => r.map(x => x.dataset.athlete)")
    assert rows == ["ana"]
    assert page.locator("#requests li").count() == 1  # bob is waiting
    page.select_option("#upload select[name=athlete]", "ana")
    page.set_input_files("#upload input[type=file]", str(export_zip))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#message")
    assert page.inner_text("#message") == "4 new session(s) for ana"
    outcomes = page.locator("#files tbody tr").evaluate_all("r => r.map(x => x.dataset.outcome)")
    assert outcomes == ["session"] * 4
    page.click("#files tbody tr >> nth=0 >> a")
    _wait_for_plots(page)
    assert page.url.startswith(server.url + "/sessions/")
    assert all(p["svg"] and p["traces"] >= 1 for p in plot_states(page))
    assert len(plot_states(page)) >= 1
    page.goto(server.url + "/athletes/ana")
    _wait_for_plots(page)
    assert page.locator("#season-sessions tbody tr").count() == 4
    for plot in plot_states(page):
        assert plot["svg"] and plot["layout"] and plot["traces"] >= 1, plot
    page.click("a[href='/roster']")
    _wait_for_plots(page)
    names = page.locator("#roster tbody tr").evaluate_all("r => r.map(x => x.dataset.athlete)")
    assert names == ["ana"]
    screenshot(opened, "web-roster")
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(server.url + "/")
    assert_fits(page, "home page on a phone")
    screenshot(opened, "web-home-phone")
    page.click("#sign-out")
    page.wait_for_url(server.url + "/sign-in")
    page.goto(server.url + "/athletes/ana")
    assert page.url == server.url + "/sign-in"  # the old cookie no longer signs in
    assert_only_the_server(opened, server)
    scripts = [u for u in opened.requests if u.endswith(".js")]
    assert scripts and all("/assets/plotly-" in u for u in scripts)
    opened.page.context.close()


def test_another_athlete_gets_a_404_page(browser: Any, server: Server) -> None:
    opened = open_tab(browser, server, PHONE)
    page = opened.page
    sign_in(opened, server, "bob")
    answer = page.goto(server.url + "/athletes/ana")
    assert answer is not None and answer.status == 404
    assert page.inner_text("#message") == "no athlete named 'ana' that you can see"
    assert_fits(page, "404 page on a phone")
    opened.page.context.close()
