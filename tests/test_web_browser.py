"""The web app in Debian's headless Chromium against a real `footfall serve` on 127.0.0.1.

An athlete signs in through the form and uploads a sample FIT (dropped on the drop zone) and
a sample GPX (chosen in the file input) through the page's script: each file shows its
progress and its result, each report opens with every plot drawn; she signs out. Her coach
signs in, finds her on the roster, signs out. The upload form also works with JavaScript off
(an export zip, posted as a plain form). Another athlete gets a 404 page for her season.
Throughout: no console error, and no request to anything but the server (every other one is
refused and fails the test). Nothing is wider than a 390 px phone.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests import season_samples as ss
from tests.conftest import SAMPLES
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
#: URLs that never leave the page (plotly may draw through them)
LOCAL = ("data:", "blob:")
#: how long a file may take to be uploaded and analysed on a loaded 2-core machine
UPLOADED_WITHIN_MS = 90_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("web-browser")
    make_accounts(home)
    with running_server(home, home.parent / "browser-server.log") as started:
        yield started


def on_the_server(url: str, server: Server) -> bool:
    """Whether ``url`` goes to the test's server (scheme, 127.0.0.1 and its port) or nowhere."""
    if url.startswith(LOCAL):
        return True
    parts, ours = urlsplit(url), urlsplit(server.url)
    return (parts.scheme, parts.hostname, parts.port) == ("http", "127.0.0.1", ours.port)


def open_tab(browser: Any, server: Server, width: int = LAPTOP, script: bool = True) -> Opened:
    """A fresh context that records console errors and every request, and lets only the
    server (and data:/blob:) through."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
    page.on("request", lambda request: opened.requests.append(request.url))

    def only_the_server(route: Any) -> None:
        if on_the_server(route.request.url, server):
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


def sign_out(opened: Opened, server: Server) -> None:
    page = opened.page
    page.goto(server.url + "/")
    page.click("#sign-out")
    page.wait_for_url(server.url + "/sign-in")
    page.goto(server.url + "/roster")
    assert page.url == server.url + "/sign-in"  # the old cookie no longer signs in


def assert_only_the_server(opened: Opened, server: Server) -> None:
    assert opened.errors == [], opened.errors
    elsewhere = [u for u in opened.requests if not on_the_server(u, server)]
    assert elsewhere == [], elsewhere


def drop(page: Any, path: Path) -> None:
    """Drop ``path`` on the drop zone, as a file dragged from the desktop would be."""
    transfer = page.evaluate_handle(
        """([name, encoded]) => {
            const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            return transfer;
        }""",
        [path.name, base64.b64encode(path.read_bytes()).decode()],
    )
    page.dispatch_event("#drop-zone", "dragover", {"dataTransfer": transfer})
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})


def uploads(page: Any) -> list[dict[str, Any]]:
    """Each file of the results list: its name, state, progress and what became of it."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('#upload-results > li')).map(li => ({
                file: li.dataset.file,
                state: li.dataset.state,
                outcome: li.dataset.outcome,
                progress: li.querySelector('progress').value,
                text: li.innerText,
                report: (li.querySelector('a[href^="/sessions/"]') || {}).href || null,
            }))"""
        )
    )


def test_an_athlete_uploads_a_fit_and_a_gpx_and_her_coach_finds_her(
    browser: Any, server: Server
) -> None:
    fit, gpx = SAMPLES / "efficient_runner.fit", SAMPLES / "gpx_cadence_only.gpx"
    opened = open_tab(browser, server)
    page = opened.page
    sign_in(opened, server, "ana")
    assert page.is_visible("#drop-zone")  # the script has taken over the form
    drop(page, fit)
    page.set_input_files("#upload input[type=file]", str(gpx))
    page.click("#upload button[type=submit]")
    page.wait_for_function(
        """() => { const done = document.querySelectorAll(
                '#upload-results > li[data-state=done], #upload-results > li[data-state=error]');
            return done.length === 2; }""",
        timeout=UPLOADED_WITHIN_MS,
    )
    assert page.url == server.url + "/"  # the script sent them: the page never left
    page.wait_for_selector("#upload-reload a")  # the table above predates them: say so
    results = {r["file"]: r for r in uploads(page)}
    assert set(results) == {fit.name, gpx.name}
    for result in results.values():
        assert (result["state"], result["outcome"], result["progress"]) == ("done", "session", 100)
        assert "1 new session" in result["text"] and "stored: a new session" in result["text"]
        assert result["report"] and urlsplit(result["report"]).path.endswith("/report")
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert_fits(page, "upload results on a phone")
    screenshot(opened, "web-upload-phone")
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    for name in (fit.name, gpx.name):
        page.goto(results[name]["report"])
        _wait_for_plots(page)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        plots = plot_states(page)
        assert plots and all(p["svg"] and p["traces"] >= 1 for p in plots), (name, plots)
    sign_out(opened, server)
    assert_only_the_server(opened, server)
    scripts = {urlsplit(u).path for u in opened.requests if u.endswith(".js")}
    assert "/static/upload.js" in scripts
    assert all(p == "/static/upload.js" or p.startswith("/assets/plotly-") for p in scripts)
    opened.page.context.close()

    coach = open_tab(browser, server)
    page = coach.page
    sign_in(coach, server, "kim")
    page.click("a[href='/roster']")
    _wait_for_plots(page)
    names = page.locator("#roster tbody tr").evaluate_all("r => r.map(x => x.dataset.athlete)")
    assert names == ["ana"]
    screenshot(coach, "web-roster")
    sign_out(coach, server)
    assert_only_the_server(coach, server)
    coach.page.context.close()


@pytest.fixture(scope="module")
def export_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three of ana's runs, zipped as a watch export."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for k, run in enumerate(list(ss.improving(weeks=2))[:3]):
            archive.writestr(f"activities/{k}.fit", ss.run_fit(run))
    target = tmp_path_factory.mktemp("upload") / "ana-export.zip"
    target.write_bytes(buffer.getvalue())
    return target


def test_without_javascript_the_form_still_uploads(
    browser: Any, server: Server, export_zip: Path
) -> None:
    opened = open_tab(browser, server, script=False)
    page = opened.page
    sign_in(opened, server, "kim")
    assert not page.is_visible("#drop-zone")  # nothing promises a drop it cannot take
    page.select_option("#upload select[name=athlete]", "ana")
    page.set_input_files("#upload input[type=file]", str(export_zip))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#message", timeout=UPLOADED_WITHIN_MS)
    assert page.inner_text("#message") == "3 new sessions for ana"
    outcomes = page.locator("#files tbody tr").evaluate_all("r => r.map(x => x.dataset.outcome)")
    assert outcomes == ["session"] * 3
    links = page.locator("#files tbody tr a").evaluate_all("a => a.map(x => x.pathname)")
    assert len(links) == 3 and all(p.startswith("/sessions/") for p in links)
    assert_only_the_server(opened, server)
    opened.page.context.close()


def test_another_athlete_gets_a_404_page(browser: Any, server: Server) -> None:
    opened = open_tab(browser, server, PHONE)
    page = opened.page
    sign_in(opened, server, "bob")
    answer = page.goto(server.url + "/athletes/ana")
    assert answer is not None and answer.status == 404
    assert page.inner_text("#message") == "no athlete named 'ana' that you can see"
    assert_fits(page, "404 page on a phone")
    # Chromium logs the 404 answer itself as a failed resource; nothing else may be logged
    failed = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert opened.errors == [failed]
    opened.errors.clear()
    assert_only_the_server(opened, server)
    opened.page.context.close()
