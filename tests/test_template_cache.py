"""Compiled templates are kept between runs (report/template_cache.py), and a cache that
cannot be used never fails a page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RENDER = """
from footfall.web.pages import templates
template = templates().get_template("message.html")
page = template.render(title="t", problem=False, message="m", files=None, back="/",
                       user=None, csrf="", version="0")
print(template.name, len(page))
"""


def _render(tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-c", RENDER], capture_output=True, text=True, env=env, check=False
    )


def test_a_compiled_template_is_kept_for_the_next_run(tmp_path: Path) -> None:
    first = _render(tmp_path)
    assert first.returncode == 0, first.stderr
    cache = tmp_path / f"_jinja2-cache-{os.getuid()}"
    kept = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(kept) >= 2 and all(name.endswith(".cache") for name in kept)  # page and base
    second = _render(tmp_path)
    assert second.returncode == 0 and second.stdout == first.stdout
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == kept  # read, not rewritten


def test_an_unusable_cache_folder_only_costs_the_compile(tmp_path: Path) -> None:
    (tmp_path / f"_jinja2-cache-{os.getuid()}").write_text("a file, not a folder")
    done = _render(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("message.html ")
