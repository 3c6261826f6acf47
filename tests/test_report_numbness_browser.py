"""A calm order when numbness is logged, checked in a real browser (Debian's headless Chromium):
one compact red-flag box that fits a laptop screen, then the shoe and lacing checks with what
the data say about the onset, then the summary, findings and plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import footfall
from footfall.report.html import render_report
from tests.conftest import SAMPLES
from tests.test_report_browser import assert_clean, browser, open_report  # noqa: F401

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1280, "height": 800}


def test_numbness_logged_page_opens_calmly(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    analysis = footfall.analyze(
        SAMPLES / "overstrider.fit",
        footfall.Profile(height_cm=175),
        numbness_at="40m",
        side="left",
    )
    page_file = tmp_path / "numb.html"
    page_file.write_text(render_report(analysis), encoding="utf-8")
    opened = open_report(browser, page_file, width=LAPTOP["width"])
    page = opened.page
    page.set_viewport_size(LAPTOP)
    tops = page.evaluate(
        """() => ['red-flags-top', 'numbness', 'summary', 'findings', 'plan'].map(
            id => document.getElementById(id).getBoundingClientRect().top + window.scrollY)"""
    )
    assert tops == sorted(tops), tops  # flags, then shoe checks, then summary, findings, plan
    box = page.locator("#red-flags-top").bounding_box()
    assert box is not None and box["y"] + box["height"] <= LAPTOP["height"]  # one screen
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('#red-flags-top summary')).map(
            s => [s.getBoundingClientRect().height,
                  parseFloat(getComputedStyle(s).lineHeight) || 22])"""
    )
    assert len(lines) == len(analysis.red_flags)
    assert all(height < 1.9 * line for height, line in lines), lines  # one line each
    assert page.locator("#red-flags-top details[open]").count() == 0  # details on demand
    page.locator("#red-flags-top summary").first.click()
    assert page.locator("#red-flags-top details[open]").count() == 1
    checks = page.locator("#numbness").inner_text()
    assert "Lacing" in checks and "Shoe width" in checks
    assert "Numbness started after 40 min of running" in checks
    assert_clean(opened)
    page.context.close()
