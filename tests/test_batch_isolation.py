"""One file never stops a batch: an exception footfall did not foresee becomes that file's
one-line error, paths the system cannot look at are errors of their own, and the JSON on
stdout still holds every good result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import footfall
import footfall.detectors
from footfall.batch import expand_paths, iter_outcomes
from footfall.detectors.base import Context
from footfall.errors import UnexpectedError
from footfall.model import Finding
from tests.conftest import SAMPLES


class _BrokenDetector:
    """A detector with a bug, registered the way any detector is."""

    NAME = "broken"
    NEEDS: tuple[str, ...] = ()
    KIND = "context"
    PRIORITY = 99
    CADENCE_STEP = False

    @staticmethod
    def detect(series: pd.DataFrame, ctx: Context) -> list[Finding]:
        if ctx.activity.source.format == "gpx":
            raise KeyError("time")
        return []


def test_an_unforeseen_exception_is_that_files_error(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = _BrokenDetector()
    monkeypatch.setattr(footfall.detectors, "REGISTRY", (*footfall.detectors.REGISTRY, broken))
    files = [
        SAMPLES / "efficient_runner.fit",
        SAMPLES / "gpx_cadence_only.gpx",
        SAMPLES / "run_walk.fit",
    ]
    outcomes = [o for _, o in iter_outcomes(files, footfall.Profile())]
    assert [o.analysis is not None for o in outcomes] == [True, False, True]
    error = outcomes[1].error
    assert isinstance(error, UnexpectedError)
    assert str(error).startswith(str(SAMPLES / "gpx_cadence_only.gpx"))
    assert "KeyError" in str(error) and "\\n" not in str(error)


def test_paths_the_system_cannot_look_at(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    long_name = tmp_path / ("x" * 300 + ".fit")
    files, problems = expand_paths([SAMPLES / "efficient_runner.fit", loop, long_name])
    outcomes = [o for _, o in iter_outcomes(files, footfall.Profile())]
    messages = [str(p) for p in problems] + [str(o.error) for o in outcomes if o.error]
    assert sum(o.analysis is not None for o in outcomes) == 1
    assert any(str(loop) in m for m in messages), messages
    assert any("x" * 50 in m for m in messages), messages
    assert all("\\n" not in m for m in messages)


def test_a_folder_with_a_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "run.fit").write_bytes((SAMPLES / "efficient_runner.fit").read_bytes())
    os.symlink(folder, folder / "a" / "back")  # a loop if it were followed
    files, problems = expand_paths([folder])
    assert files == [folder / "a" / "run.fit"] and problems == []


def test_cli_json_keeps_good_results_around_bad_paths(tmp_path: Path) -> None:
    loop = tmp_path / "loop.fit"
    loop.symlink_to(loop)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from footfall.cli import main; main()",
            "analyze",
            str(SAMPLES / "efficient_runner.fit"),
            str(loop),
            str(SAMPLES / "gpx_cadence_only.gpx"),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [d["source"]["format"] for d in data] == ["fit", "gpx"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(loop) in lines[0] and "Traceback" not in result.stderr
