"""Command-line conventions of `footfall analyze`: flags, --version, usage errors, exit status.

The command runs in-process through `footfall.cli.main` (its real entry point, argv and
stdio as a shell would give them); start-up cost is tested in test_cli_startup.py.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from footfall.cli import main
from tests.conftest import SAMPLES

RUN = SAMPLES / "efficient_runner.fit"
RIDE = SAMPLES / "cycling.fit"
TRUNCATED = SAMPLES / "truncated.fit"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """cli(*args) -> (exit status, stdout, stderr lines) of `footfall *args`."""

    def run(*args: str | Path) -> tuple[int, str, list[str]]:
        monkeypatch.setattr(sys, "argv", ["footfall", *map(str, args)])
        with pytest.raises(SystemExit) as stop:
            main()
        out, err = capsys.readouterr()
        code = stop.value.code
        return (code if isinstance(code, int) else 0), out, err.splitlines()

    return run


def _option_lines(help_text: str) -> dict[str, str]:
    """'--strict' -> its line in the help's Options section (flags first on their line)."""
    lines = {}
    for line in help_text.splitlines():
        for name in re.findall(r"(--[a-z-]+)", line.split("  ")[1] if "  " in line else ""):
            lines.setdefault(name, line)
    return lines


def test_boolean_options_are_plain_flags_in_help(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("analyze", "--help")
    assert code == 0
    assert "<bool>" not in out
    lines = _option_lines(out)
    for flag in ("--strict", "--open", "--self-contained", "--help"):
        # a flag's line holds the flag and its help text, no value placeholder after it
        assert re.match(rf"^\s+{flag}\s{{2,}}[a-zA-Z]", lines[flag]), lines[flag]
    assert re.match(r"^\s+--height CM\s", lines["--height"])  # options with a value show it


def test_a_flag_takes_no_value(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("analyze", "--strict", RUN, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["source"]["format"] == "fit"
    # `--strict true` is the flag followed by a file named "true"
    code, out, err = cli("analyze", "--strict", "true", RUN, "--format", "json")
    assert code == 1
    assert err == ["footfall: true: file not found"]
    assert [r["source"]["format"] for r in json.loads(out)] == ["fit"]


def test_strict_refuses_what_recover_keeps(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("analyze", TRUNCATED, "--format", "json")
    assert code == 0 and err == []
    assert json.loads(out)["source"]["format"] == "fit"
    code, out, err = cli("analyze", TRUNCATED, "--format", "json", "--strict")
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith(f"footfall: {TRUNCATED}: ")


def test_version_flag_and_command_agree(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("--version") == (0, version("footfall") + "\n", [])
    assert cli("version") == (0, version("footfall") + "\n", [])


def test_side_without_numbness_at_is_a_usage_error_before_reading(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("analyze", "/nonexistent/run.fit", "--side", "left")
    assert code == 2 and out == ""
    assert len(err) == 1 and "--side needs --numbness-at" in err[0]  # not "file not found"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["analyze", "--format", "xml", "x.fit"], "'xml' is not one of 'json', 'html', 'both'"),
        (["analyze", "--height", "abc", "x.fit"], "'--height': 'abc' is not a number"),
        (["analyze", "--height", "nan", "x.fit"], "'--height': 'nan' is not a number"),
        (["analyze", "--bogus", "x.fit"], "No such option: --bogus"),
        (["analyze"], "Missing argument 'FILE'"),
        (["bogus"], "No such command 'bogus'"),
        (["analyze", "x.fit", "--side", "up", "--numbness-at", "25m"], "side must be one of"),
        (["analyze", "x.fit", "--numbness-at", "soon"], "cannot read the numbness onset"),
        (["analyze", "x.fit", "--profile", "/nonexistent/me.toml"], "/nonexistent/me.toml"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli, args: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith("footfall: "), err
    assert expected in err[0]


def test_a_ride_among_runs_is_skipped_and_exits_0(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("analyze", RUN, RIDE, "--format", "json")
    assert code == 0
    assert err == [f"footfall: {RIDE}: skipped, not a run: the file records cycling"]
    assert [r["source"]["path"] for r in json.loads(out)] == [str(RUN)]


def test_an_unreadable_file_among_runs_exits_1_and_prints_the_rest(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"not a fit file")
    code, out, err = cli("analyze", RUN, bad, RIDE, "--format", "json")
    assert code == 1
    assert len(err) == 2 and err[0].startswith(f"footfall: {bad}: not a FIT")
    assert [r["source"]["path"] for r in json.loads(out)] == [str(RUN)]


def test_nothing_analysed_exits_2(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # the html default writes into ./reports
    code, out, err = cli("analyze", RIDE, "--format", "json")  # only a ride
    assert (code, out) == (2, "")
    assert err == [f"footfall: {RIDE}: skipped, not a run: the file records cycling"]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no activity here")
    code, out, err = cli("analyze", empty)
    assert (code, out) == (2, "")
    assert err == [f"footfall: {empty}: no .fit, .gpx, .tcx, .gz, .zip files in this folder"]
    assert list((tmp_path / "reports").iterdir()) == []  # nothing written
    code, out, err = cli("analyze", empty, RUN, "--format", "json")  # with a run: partly
    assert code == 1 and json.loads(out)[0]["source"]["path"] == str(RUN)


def test_reports_list_written_files_and_self_contained_embeds_plotly(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from footfall.report.html import plotly_js

    for name in ("a.gpx", "b.gpx"):
        shutil.copy(SAMPLES / "script_name.gpx", tmp_path / name)
    out_dir = tmp_path / "out"
    code, out, err = cli("analyze", tmp_path, "-o", out_dir, "--self-contained")
    assert code == 0, err
    written = [Path(line) for line in out.splitlines()]
    assert [p.name for p in written if p.suffix == ".html"] == ["a.html", "b.html", "index.html"]
    head = plotly_js()[:2000]
    for page in written[:2]:
        html = page.read_text(encoding="utf-8")
        assert head in html  # plotly.js inline in each page ...
        assert not re.search(r"<script[^>]+src=", html)  # ... not loaded from a file
