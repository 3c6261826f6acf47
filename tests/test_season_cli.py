"""The store's commands in-process through `footfall.cli.main`: athletes, the symptom log,
one-line errors and exit codes, a Strava bulk export with its activities.csv, quoted globs,
the season and session pages written from the store, reanalyze."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

from footfall.cli import main
from tests import season_samples as ss


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """cli(*args) -> (exit status, stdout, stderr lines), with FOOTFALL_HOME in tmp_path."""
    monkeypatch.setenv("FOOTFALL_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path) -> tuple[int, str, list[str]]:
        monkeypatch.setattr(sys, "argv", ["footfall", *map(str, args)])
        with pytest.raises(SystemExit) as stop:
            main()
        out, err = capsys.readouterr()
        code = stop.value.code
        return (code if isinstance(code, int) else 0), out, err.splitlines()

    return run


def _one_line_errors(err: list[str]) -> None:
    assert err and all(line.startswith("footfall: ") for line in err), err
    assert not any("Traceback" in line for line in err)


def test_athletes_add_list_show(cli) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("athletes", "add", "Ana", "--height", "168", "--target-cadence", "176")
    assert status == 0 and "height: 168 cm" in out and "target cadence: 176 spm" in out
    status, out, _ = cli("athletes", "add", "ana", "--knee-or-shin-history")
    assert status == 0 and "knee or shin history: yes" in out and "height: 168 cm" in out
    status, out, _ = cli("athletes", "list", "--format", "json")
    (row,) = json.loads(out)
    assert (row["name"], row["sessions"], row["knee_or_shin_history"]) == ("Ana", 0, True)
    status, out, _ = cli("athletes", "show", "ANA", "--format", "json")
    assert status == 0 and json.loads(out)["files"]["sessions"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("athletes", "show", "nobody"), "no footfall store here yet"),
        (("athletes", "add", "x", "--height", "1.7"), "outside 120-230 cm"),
        (
            ("log-symptom", "--athlete", "nobody", "--date", "2026-05-01", "--side", "left"),
            "no athlete named 'nobody'",
        ),
        (
            ("log-symptom", "--athlete", "a", "--date", "yesterday", "--side", "left"),
            "give the day as YYYY-MM-DD",
        ),
        (
            ("log-symptom", "--athlete", "a", "--date", "2026-05-01", "--side", "up"),
            "'up' is not one of",
        ),
        (
            ("season", "x.fit", "--athlete", "a", "--scheduler", "tcp://127.0.0.1:1"),
            "--scheduler needs --engine dask",
        ),
        (("report", "season", "--athlete", "nobody"), "no athlete named 'nobody'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    status, _, err = cli(*args)
    assert status == 2
    _one_line_errors(err)
    assert any(message in line for line in err), err


def test_log_symptom_and_show(cli) -> None:  # type: ignore[no-untyped-def]
    cli("athletes", "add", "bo")
    status, out, err = cli(
        "log-symptom",
        "--athlete",
        "bo",
        "--date",
        "2026-05-01",
        "--side",
        "both",
        "--at",
        "25m",
        "--note",
        "hills",
    )
    assert status == 0 and "numbness (both) on 2026-05-01 at 25 min logged" in out
    assert any("red flag" in line for line in err)
    status, out, _ = cli("athletes", "show", "bo")
    assert "numbness 2026-05-01: both at 25 min" in out


def _strava_export(path: Path) -> Path:
    runs = [ss.Run(ss.days(0, d), 3.0, 170.0, minutes=8, seed=d) for d in range(3)]
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"])
    types = ["Run", "Ride", "Run"]
    with zipfile.ZipFile(path, "w") as archive:
        for k, run in enumerate(runs):
            name = f"activities/{1000 + k}.fit.gz"
            archive.writestr(name, gzip.compress(ss.run_fit(run)))
            writer.writerow([1000 + k, "", f"Morning {types[k]} {k}", types[k], name])
        archive.writestr("activities.csv", index.getvalue())
        archive.writestr("profile.csv", "not an activity\n")
    return path


def test_a_strava_export_names_its_runs_and_leaves_its_rides(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export = _strava_export(tmp_path / "export.zip")
    status, out, err = cli("season", export, "--athlete", "cy", "-f", "json")
    assert status == 0, err
    season = json.loads(out)
    assert [s["name"] for s in season["sessions"]] == ["Morning Run 0", "Morning Run 2"]
    (ride,) = season["import"]["not_run"]
    assert ride["path"] == f"{export}!activities/1001.fit.gz"
    assert "from Strava's activities.csv" in ride["reason"]
    assert any("skipped, not a run" in line for line in err)
    assert (
        err[-1] == "footfall: cy: 2 imported, 0 already known, 0 the same run as another "
        "file, 1 not a run, 0 failed"
    )
    status, out, _ = cli("season", export, "--athlete", "cy", "-f", "json")
    assert status == 0 and json.loads(out)["import"]["known"] == 3


def test_globs_pages_session_reports_and_reanalyze(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "runs"
    ss.write(folder, [ss.Run(ss.days(0, d), 3.0, 168.0, minutes=8, seed=d) for d in range(3)])
    (folder / "notes.txt").write_text("not a run")
    status, out, err = cli(
        "season", str(folder / "*.fit"), "--athlete", "dan", "--session-reports", "-o", "out"
    )
    assert status == 0, err
    page = Path(out.strip().splitlines()[-1])
    assert page == Path("out/dan/season.html") and page.is_file()
    reports = sorted((tmp_path / "out" / "dan" / "sessions").glob("*.html"))
    assert len(reports) == 3
    html = page.read_text()
    assert all(f'href="sessions/{r.name}"' in html for r in reports)
    assert '<script src="../assets/plotly-' in html
    assert (tmp_path / "out" / "assets").is_dir()
    assert "../../assets/plotly-" in reports[0].read_text()
    status, out, _ = cli(
        "report", "session", "--athlete", "dan", reports[0].stem[-12:], "-o", "again"
    )
    assert status == 0 and out.strip().endswith(reports[0].name)
    status, out, _ = cli("athletes", "add", "dan", "--height", "190")
    status, out, err = cli("reanalyze", "--athlete", "dan")
    assert status == 0 and "dan: 3 sessions analysed again" in out, err
    status, out, _ = cli("report", "season", "--athlete", "dan", "-f", "json")
    assert json.loads(out)["athlete"]["height_cm"] == 190
    status, _, err = cli("season", str(folder / "*.gpx"), "--athlete", "dan")
    assert status == 1  # the pattern matched nothing: named as not found
    assert any("*.gpx" in line for line in err)
