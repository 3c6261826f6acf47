"""scripts/bench.py --quick runs to the end and prints its table (no timing assertions)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_bench_quick_runs_and_prints_the_table() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for header in ("measure", "footfall", "reference", "ratio", "target"):
        assert header in out
    for row in (
        "FIT decode, 1 h run",
        "FIT decode, 4 h run",
        "analyze + JSON dict in-process, 1 h",
        "CLI analyze --format json",
        "season of",
        "peak memory",
        "GPX read, 1 h",
    ):
        assert row in out, f"missing row {row!r} in:\n{out}"
