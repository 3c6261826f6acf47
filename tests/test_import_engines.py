"""`--engine dask` on a real LocalCluster bound to loopback stores the same sessions as the
local process pool; a worker that dies costs only its own file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from footfall.batch.engines import stream
from footfall.batch.imports import import_files
from footfall.store import Ledger, Store
from footfall.store.database import DATABASE_NAME
from tests import season_samples as ss
from tests.conftest import SAMPLES

distributed = pytest.importorskip("distributed")

SUMMARY = (
    "SELECT sha256, source_path, format, start_time, duration_s, running_time_s, distance_m, "
    "median_cadence_spm, median_speed_mps, time_below_target_pct, overstride_score, "
    "verdict_severity, verdict_title, analysis_json FROM sessions ORDER BY sha256"
)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("engines")
    runs = [ss.Run(ss.days(0, k), 2.8 + 0.1 * k, 165.0 + k, minutes=8, seed=k) for k in range(6)]
    written = ss.write(folder, runs)
    for name in ("efficient_runner.fit", "cycling.fit", "truncated.fit", "unit_switch.tcx"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
        written.append(folder / name)
    return written


def _import(home: Path, files: list[Path], **engine: Any) -> dict[str, Any]:
    with Store(home) as store:
        athlete, _ = store.ensure_athlete("dee")
        ledger = Ledger(store, athlete)
        import_files(files, ledger, athlete.profile, **engine)
        return ledger.report.to_dict()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        host="127.0.0.1", n_workers=2, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


def test_dask_stores_the_same_sessions_as_the_pool(
    files: list[Path], tmp_path: Path, cluster: Any
) -> None:
    pool = _import(tmp_path / "pool", files, engine="pool", workers=2)
    dask = _import(tmp_path / "dask", files, engine="dask", scheduler=cluster.scheduler_address)
    assert pool["imported"] == dask["imported"] == 9
    assert [e["path"] for e in pool["not_run"]] == [e["path"] for e in dask["not_run"]]
    assert pool["failed"] == dask["failed"] == []
    rows = {}
    for name in ("pool", "dask"):
        db = sqlite3.connect(tmp_path / name / DATABASE_NAME)
        rows[name] = db.execute(SUMMARY).fetchall()
        db.close()
    assert len(rows["pool"]) == 9
    assert rows["pool"] == rows["dask"]


def test_the_cli_starts_its_own_local_cluster(files: list[Path], tmp_path: Path) -> None:
    env = {**os.environ, "FOOTFALL_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from footfall.cli import main; main()",
            "season",
            *map(str, files[:3]),
            "--athlete",
            "dee",
            "--engine",
            "dask",
            "--workers",
            "1",
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["import"]["imported"] == 3


def crash_on(path: str, value: int) -> int:
    """A worker function that takes its process down on one job (a stand-in for a native
    crash or the out-of-memory killer)."""
    if path == "boom":
        os._exit(1)
    return value * 2


def test_a_worker_that_dies_costs_only_its_own_job() -> None:
    jobs = [(k, (name, k)) for k, name in enumerate(["a", "b", "boom", "c", "d", "e"])]
    results = dict(stream(crash_on, jobs, "pool", workers=2))
    assert sorted(results) == list(range(6))
    died = results.pop(2)
    assert died.error is not None and "stopped" in died.error.problem
    assert results == {0: 0, 1: 2, 3: 6, 4: 8, 5: 10}
