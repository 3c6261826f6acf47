"""The real corpus imported as one athlete's season, once for the module, then again.

Every file the catalogue lists gets one outcome: a session, the same run as another file,
not a run, or failed, the last two with the reason; a second import stores nothing new; the
FIT, GPX and TCX of sports-lib's 6782987395 are one run.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from footfall.store.database import DATABASE_NAME
from tests.conftest import REAL, real_corpus_rows

pytestmark = pytest.mark.corpus

#: running files of the catalogue that footfall does not store, and the reason it gives
NOT_STORED_RUNS = {
    "sportstracker/Garmin_Fenix_6-Running.fit": "walking",  # 0 % at running cadence
    "sweatpy/6471559601_ACTIVITY.fit": "no movement",
    "python-fitparse/antfs-dump.63.fit": "no cadence and no speed",
}


def _season(home: Path) -> tuple[int, dict[str, Any], str]:
    env = {**os.environ, "FOOTFALL_HOME": str(home)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from footfall.cli import main; main()",
            "season",
            str(REAL),
            "--athlete",
            "corpus",
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.returncode, json.loads(done.stdout or "null"), done.stderr


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not real_corpus_rows():
        pytest.skip(f"real corpus not found at {REAL}")
    home = tmp_path_factory.mktemp("corpus-home")
    first = _season(home)
    db = sqlite3.connect(home / DATABASE_NAME)
    before = {
        "files": db.execute("SELECT path, outcome, reason, same_as FROM files").fetchall(),
        "sessions": db.execute("SELECT sha256, analysis_json FROM sessions").fetchall(),
        "originals": db.execute("SELECT sha256 FROM originals").fetchall(),
    }
    db.close()
    second = _season(home)
    return {"home": home, "first": first, "second": second, "before": before}


def _rel(path: str) -> str:
    return str(Path(path).relative_to(REAL))


def test_every_file_has_one_outcome_and_every_refusal_its_reason(imported: dict[str, Any]) -> None:
    status, season, stderr = imported["first"]
    assert status == 1, stderr[-2000:]  # some corpus files are damaged: named, the rest stored
    rows = real_corpus_rows()
    outcomes = {_rel(p): (o, r) for p, o, r, _ in imported["before"]["files"]}
    assert sorted(outcomes) == sorted(r["path"] for r in rows)
    assert len(imported["before"]["originals"]) == len(rows)  # every original kept
    report = season["import"]
    listed = {_rel(e["path"]): e["reason"] for e in report["not_run"] + report["failed"]}
    for path, (outcome, reason) in outcomes.items():
        if outcome in ("not_run", "failed"):
            assert reason and listed[path] == reason, path
            assert f"{REAL / path}: " in stderr
        else:
            assert outcome in ("session", "same_run"), (path, outcome)
    for row in rows:
        outcome, reason = outcomes[row["path"]]
        refused = outcome in ("not_run", "failed")
        if row["is_running"] == "True" and row["path"] not in NOT_STORED_RUNS and refused:
            assert "no movement" in reason, row["path"]  # the 14-second test stubs
    for path, why in NOT_STORED_RUNS.items():
        assert why in outcomes[path][1]
    stored = sum(1 for o, _ in outcomes.values() if o in ("session", "same_run"))
    assert (
        report["imported"]
        == len(imported["before"]["sessions"])
        == stored - len(report["same_run"])
    )
    assert stored >= 65
    assert f"corpus: {report['imported']} imported, 0 already known" in stderr


def test_one_run_in_three_files_is_one_session(imported: dict[str, Any]) -> None:
    files = {_rel(p): (o, same) for p, o, _, same in imported["before"]["files"]}
    triple = {k: v for k, v in files.items() if k.startswith("sports-lib/6782987395.")}
    assert sorted(triple) == [f"sports-lib/6782987395.{x}" for x in ("fit", "gpx", "tcx")]
    kept = [k for k, (o, _) in triple.items() if o == "session"]
    assert kept == ["sports-lib/6782987395.fit"]  # the richest file keeps the session
    fit_sha = next(
        sha
        for sha, _ in imported["before"]["sessions"]
        if json.loads(_)["source"]["path"].endswith("6782987395.fit")
    )
    assert all(same == fit_sha for k, (o, same) in triple.items() if o == "same_run")
    _, season, _ = imported["first"]
    same = {(_rel(e["path"]), _rel(e["same_as"])) for e in season["import"]["same_run"]}
    assert ("sports-lib/6782987395.gpx", "sports-lib/6782987395.fit") in same
    assert ("sports-lib/6782987395.tcx", "sports-lib/6782987395.fit") in same


def test_a_second_import_stores_nothing_new(imported: dict[str, Any]) -> None:
    status, season, _ = imported["second"]
    assert status == 1  # the damaged files are tried again and still fail
    report = season["import"]
    before = imported["before"]
    assert report["imported"] == 0 and report["same_run"] == [] and report["not_run"] == []
    settled = sum(1 for _, o, _, _ in before["files"] if o != "failed")
    assert report["known"] == settled
    assert len(report["failed"]) == sum(1 for _, o, _, _ in before["files"] if o == "failed")
    db = sqlite3.connect(imported["home"] / DATABASE_NAME)
    assert sorted(db.execute("SELECT sha256, analysis_json FROM sessions").fetchall()) == sorted(
        before["sessions"]
    )
    assert db.execute("SELECT count(*) FROM originals").fetchone()[0] == len(before["originals"])
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(season["sessions"]) + season["undated_sessions"] == len(before["sessions"])
