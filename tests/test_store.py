"""The store on real SQLite files: migrations from each earlier version, originals, the
ledger's outcomes, the same run arriving in either order, one-line errors."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from footfall.errors import CorruptFile, FootfallError, NotARun, ProfileError
from footfall.model import SessionResult
from footfall.store import SCHEMA_VERSION, Ledger, Store, queries
from footfall.store.database import DATABASE_NAME
from footfall.store.originals import digest
from footfall.store.schema import MIGRATIONS, V1, migrate


def analysis(
    start: str, distance: float, fmt: str, channels: int, cadence: float = 170.0
) -> dict[str, Any]:
    """A small analysis dict of the shape docs/analysis-json.md describes."""
    return {
        "schema": "footfall.analysis/1",
        "source": {
            "path": f"run.{fmt}",
            "format": fmt,
            "sha256": "",
            "name": None,
            "channels": {f"c{k}": {} for k in range(channels)},
        },
        "summary": {
            "start_time": start,
            "duration_s": 1800,
            "running_time_s": 1700,
            "distance_m": distance,
            "cadence_spm": {"median": cadence},
            "stance_time_ms": {"median": 250.0},
            "speed_mps": {"median": 3.0},
            "time_below_target_pct": 80.0,
            "verdict": {"severity": "watch", "detector": "low_cadence", "title": "t"},
        },
        "findings": [
            {
                "detector": "overstride",
                "severity": "watch",
                "confidence": "medium",
                "title": "o",
                "evidence": {"score": 41.0},
            }
        ],
        "segments": [],
        "metrics": {},
        "plan": {},
    }


def result(data: bytes, doc: dict[str, Any] | None, error: Any = None) -> SessionResult:
    sha = digest(data)
    path = doc["source"]["path"] if doc else "x.fit"
    return SessionResult(path, sha, analysis=doc, error=error)


def test_a_new_store_is_at_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.integrity() == "ok"


def test_a_version_1_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    migrate(db, "test", target=1)  # exactly what footfall 1 wrote
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    doc = analysis("2026-05-01T07:00:00+00:00", 5000.0, "fit", 9)
    db.execute("INSERT INTO athletes (name, height_cm, created_at) VALUES ('ana', 168, 'then')")
    db.execute("INSERT INTO originals VALUES ('ab12', 'run.fit', 'fit', 10, 'then')")
    db.execute(
        "INSERT INTO sessions (athlete_id, sha256, source_path, start_time, analysis_schema, "
        "analysis_json, analysed_at) VALUES (1, 'ab12', 'run.fit', ?, 'footfall.analysis/1', ?, "
        "'then')",
        (doc["summary"]["start_time"], json.dumps(doc)),
    )
    db.close()
    with Store(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        ana = store.require_athlete("ANA")  # names are matched without case
        assert ana.profile.height_cm == 168 and ana.progression_step_pct == 0.0
        row = store.conn.execute(
            "SELECT start_epoch, overstride_score, stance_time_ms FROM sessions"
        ).fetchone()
        assert row == (1777618800.0, 41.0, 250.0)
        assert queries.files(store, ana) == [
            {
                "sha256": "ab12",
                "path": "run.fit",
                "outcome": "session",
                "reason": None,
                "same_as": None,
            }
        ]
        assert Ledger(store, ana).settled("ab12")


def test_every_migration_step_is_shipped() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION
    assert "CREATE TABLE sessions" in V1


def test_a_store_from_a_newer_footfall_is_refused(tmp_path: Path) -> None:
    Store(tmp_path).close()
    db = sqlite3.connect(tmp_path / DATABASE_NAME)
    db.execute("PRAGMA user_version = 7")
    db.close()
    with pytest.raises(FootfallError, match="schema version 7, newer than this footfall"):
        Store(tmp_path)


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(FootfallError, match="not a usable footfall store") as info:
        Store(tmp_path)
    assert "\n" not in str(info.value)


def test_originals_are_content_addressed_and_checked(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        data = b".FIT" + bytes(range(256)) * 40
        sha = store.originals.put(data)
        assert sha == digest(data) and store.originals.put(data) == sha
        path = store.originals.path(sha)
        assert path == tmp_path / "originals" / sha[:2] / f"{sha}.zst"
        assert store.originals.get(sha) == data
        assert path.stat().st_size < len(data)
        path.write_bytes(path.read_bytes()[:20])
        with pytest.raises(CorruptFile, match="damaged"):
            store.originals.get(sha)
        with pytest.raises(CorruptFile, match="missing"):
            store.originals.get("0" * 64)


def test_originals_of_an_older_store_are_read_from_gzip(tmp_path: Path) -> None:
    """Stores written before zstd keep <sha>.gz: still read, checked, and never stored twice."""
    import gzip

    with Store(tmp_path) as store:
        data = b".FIT" + bytes(range(256)) * 40
        sha = digest(data)
        old = tmp_path / "originals" / sha[:2] / f"{sha}.gz"
        old.parent.mkdir(parents=True)
        old.write_bytes(gzip.compress(data, mtime=0))
        assert store.originals.has(sha) and store.originals.get(sha) == data
        assert store.originals.put(data) == sha and not store.originals.path(sha).exists()
        assert store.originals.disk_bytes() == old.stat().st_size
        old.write_bytes(old.read_bytes()[:20])
        with pytest.raises(CorruptFile, match="damaged"):
            store.originals.get(sha)


def test_athlete_names_and_profiles(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        ana, created = store.ensure_athlete("  Ana   María ")
        assert created and ana.name == "Ana María" and ana.profile.target_cadence_spm == 180
        again, created = store.ensure_athlete("ana maría")
        assert not created and again.id == ana.id
        store.save_athlete("Ana María", height_cm=168)
        changed = store.save_athlete("Ana María", target_cadence_spm=176)
        assert (changed.profile.height_cm, changed.profile.target_cadence_spm) == (168, 176)
        with pytest.raises(ProfileError, match="outside 120-230 cm"):
            store.save_athlete("Ana María", height_cm=1.68)
        with pytest.raises(ProfileError, match="printable"):
            store.ensure_athlete("a\x00b")
        with pytest.raises(FootfallError, match="no athlete named 'bob'"):
            store.require_athlete("bob")


def test_outcomes_settle_once_and_failures_are_retried(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        athlete, _ = store.ensure_athlete("ana")
        ledger = Ledger(store, athlete)
        run, ride, bad = b"run-bytes", b"ride-bytes", b"bad-bytes"
        for data, name in ((run, "a.fit"), (ride, "b.fit"), (bad, "c.fit")):
            ledger.keep(data, digest(data), name, "fit")
        assert queries.counts(store, athlete)["pending"] == 3
        doc = analysis("2026-05-01T07:00:00+00:00", 5000.0, "fit", 9)
        assert ledger.record(result(run, doc)) == "session"
        assert ledger.record(result(ride, None, NotARun("b.fit", "cycling"))) == "not_run"
        assert ledger.record(result(bad, None, CorruptFile("c.fit", "bad header"))) == "failed"
        assert [ledger.settled(digest(d)) for d in (run, ride, bad)] == [True, True, False]
        report = ledger.report.to_dict()
        assert report["imported"] == 1
        assert report["not_run"] == [
            {"path": "b.fit", "reason": "not a run: the file records cycling"}
        ]
        assert report["failed"] == [{"path": "c.fit", "reason": "bad header"}]
        findings = store.conn.execute("SELECT detector, severity FROM findings").fetchall()
        assert findings == [("overstride", "watch")]


@pytest.mark.parametrize("order", ["gpx_first", "fit_first"])
def test_the_same_run_keeps_its_richest_file_whatever_comes_first(
    tmp_path: Path, order: str
) -> None:
    fit = (b"fit-bytes", analysis("2026-05-01T07:00:00+00:00", 5000.0, "fit", 9))
    gpx = (b"gpx-bytes", analysis("2026-05-01T07:00:20+00:00", 5040.0, "gpx", 4))
    tcx = (b"tcx-bytes", analysis("2026-05-01T07:00:01+00:00", 5010.0, "tcx", 4))
    other = (b"next-day", analysis("2026-05-02T07:00:00+00:00", 5000.0, "fit", 9))
    arrivals = [gpx, tcx, fit, other] if order == "gpx_first" else [fit, other, tcx, gpx]
    with Store(tmp_path) as store:
        athlete, _ = store.ensure_athlete("ana")
        ledger = Ledger(store, athlete)
        for data, doc in arrivals:
            ledger.keep(data, digest(data), doc["source"]["path"], doc["source"]["format"])
            ledger.record(result(data, copy.deepcopy(doc)))
        sessions = store.conn.execute("SELECT sha256 FROM sessions ORDER BY start_epoch")
        assert [s for (s,) in sessions] == [digest(fit[0]), digest(other[0])]
        files = {f["path"]: f for f in queries.files(store, athlete)}
        assert files["run.gpx"]["outcome"] == files["run.tcx"]["outcome"] == "same_run"
        assert files["run.gpx"]["same_as"] == files["run.tcx"]["same_as"] == digest(fit[0])
        assert ledger.report.imported == 2 and len(ledger.report.same_run) == 2
