"""The CLI on hostile input (issue 11): every bad file gets its own one-line answer on
stderr naming it, the good files around it are still analysed and printed, and the exit
status is 1 (some failed), never 3 (a bug) or 130 (interrupted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from footfall.errors import printable
from tests.conftest import ROOT, SAMPLES

HOSTILE = ROOT / "tests" / "hostile"
MANIFEST: list[dict[str, str]] = json.loads((HOSTILE / "MANIFEST.json").read_text("utf-8"))
GOOD_FIT = SAMPLES / "run_walk.fit"
GOOD_GPX = SAMPLES / "gpx_cadence_only.gpx"


def footfall(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from footfall.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert all(line.startswith("footfall: ") for line in lines), lines
    return lines


def test_batch_of_every_hostile_file_between_two_good_ones() -> None:
    bad = [HOSTILE / e["file"] for e in MANIFEST]
    done = footfall("analyze", GOOD_FIT, *bad, GOOD_GPX, "--format", "json")
    assert done.returncode == 1, done.stderr[-3000:]
    paths = [r["source"]["path"] for r in json.loads(done.stdout)]
    assert paths[0] == str(GOOD_FIT) and paths[-1] == str(GOOD_GPX)  # nothing lost
    lines = _lines(done.stderr)
    assert not [x for x in lines if "internal error" in x or "interrupted" in x]
    for entry, path in zip(MANIFEST, bad, strict=True):
        named = [x for x in lines if x.startswith(f"footfall: {printable(str(path))}")]
        analysed = [p for p in paths if p.startswith(str(path))]
        if entry["owner"]:  # still failing in a reader: one line ("could not read") at least
            assert named or analysed, entry["file"]
        elif entry["expect"] == "ok":
            assert analysed, entry["file"]
        elif entry["expect"] not in ("answer", "archive"):
            assert named and not analysed, entry["file"]
        if not entry["owner"]:
            assert not [x for x in named if "could not read this file" in x], named
    given = [str(GOOD_FIT), str(GOOD_GPX), *map(str, bad)]
    assert all(any(x.startswith(f"footfall: {printable(g)}") for g in given) for x in lines)


def test_member_names_with_terminal_escapes_print_as_escapes() -> None:
    done = footfall("analyze", HOSTILE / "zip_terminal_names.zip", "--format", "json")
    assert done.returncode == 1
    lines = _lines(done.stderr)
    assert len(lines) == 2  # two bad members, one line each: no newline splits a line
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
    assert "zip_terminal_names.zip!\\x1b[2J\\x1b[31mred.fit.gz: " in lines[0]
    assert "zip_terminal_names.zip!line\\nfootfall: all fine\\n.fit.gz: " in lines[1]
    result = json.loads(done.stdout)  # one file, one activity: one object
    assert result["source"]["path"].endswith("!\\u202eevil.fit")


def test_eof_inside_a_zip_is_an_error_not_an_interruption() -> None:
    done = footfall("analyze", HOSTILE / "zip_ends_early.zip", GOOD_FIT, "--format", "json")
    assert done.returncode == 1
    (line,) = _lines(done.stderr)
    assert "zip_ends_early.zip!run.fit: cannot read zip member: EOFError" in line


def test_fifo_and_device_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.fit"
    os.mkfifo(fifo)  # nobody writes: reading it would block for ever
    done = footfall("analyze", fifo, "/dev/zero", GOOD_FIT, "--format", "json", timeout=120)
    assert done.returncode == 1
    assert _lines(done.stderr) == [
        f"footfall: {fifo}: is a pipe (FIFO), not a file",
        "footfall: /dev/zero: is a device, not a file",
    ]
    assert len(json.loads(done.stdout)) == 1


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "huge.fit"
    with big.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    done = footfall("analyze", big, GOOD_FIT, "--format", "json")
    assert done.returncode == 1
    assert _lines(done.stderr) == [
        f"footfall: {big}: 3072 MB is larger than the 2048 MB footfall reads"
    ]


def test_a_path_with_a_newline_is_one_escaped_line(tmp_path: Path) -> None:
    odd = tmp_path / "run\n\x1b[31m.fit"
    odd.write_bytes(b"not a fit file at all")
    done = footfall("analyze", odd, GOOD_FIT, "--format", "json")
    assert done.returncode == 1
    (line,) = _lines(done.stderr)
    assert line.startswith(f"footfall: {tmp_path}/run\\n\\x1b[31m.fit: ")


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('height_cm = "tall"', 'height_cm must be a number of cm, not the text "tall"'),
        (
            "target_cadence_spm = [180]",
            "target_cadence_spm must be a number of steps/min, not a list",
        ),
        (
            "knee_or_shin_history = 1",
            "knee_or_shin_history must be true or false, not the number 1",
        ),
        ("height_cm = nan", "height_cm must be a finite number, not nan"),
    ],
)
def test_profile_value_of_the_wrong_type(tmp_path: Path, toml: str, problem: str) -> None:
    profile = tmp_path / "me.toml"
    profile.write_text(f"[athlete]\n{toml}\n")
    done = footfall("analyze", GOOD_FIT, "--profile", profile, "--format", "json")
    assert done.returncode == 2
    assert _lines(done.stderr) == [f"footfall: {profile}: {problem}"]


def test_no_warning_is_printed_when_a_run_succeeds(tmp_path: Path) -> None:
    """Cadence values of 1e308 used to print numpy's overflow RuntimeWarning."""
    data = GOOD_GPX.read_bytes().replace(b"<gpxtpx:cad>8", b"<gpxtpx:cad>1e308", 40)
    odd = tmp_path / "overflow.gpx"
    odd.write_bytes(data)
    done = footfall("analyze", odd, "--format", "json")
    assert done.returncode == 0
    assert done.stderr == ""
    assert json.loads(done.stdout)["summary"]["cadence_spm"]["median"] > 150


def test_skipped_line_of_a_hostile_name_is_one_line(tmp_path: Path) -> None:
    ride = tmp_path / "ride\nfootfall: all good.fit"
    ride.write_bytes((SAMPLES / "cycling.fit").read_bytes())
    done = footfall("analyze", ride, GOOD_FIT, "--format", "json")
    assert done.returncode == 0
    assert _lines(done.stderr) == [
        f"footfall: {tmp_path}/ride\\nfootfall: all good.fit: skipped, not a run: the file "
        "records cycling"
    ]


def test_html_report_of_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/run\xff.fit"))
    odd.write_bytes(GOOD_FIT.read_bytes())
    done = footfall("analyze", odd, "--output", tmp_path / "reports")
    assert done.returncode == 0, done.stderr
