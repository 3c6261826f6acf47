"""An import killed midway (SIGKILL) resumes when run again: nothing lost, nothing twice, a
sound database; a reader queries while the batch writes. Real SQLite files, a real process
pool, the real `footfall season` command."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from footfall.store import Store
from footfall.store.database import DATABASE_NAME
from tests import season_samples as ss

N_FILES = 60
#: how long the test waits for the import to store its first sessions (a busy 2-core box)
WAIT_S = 180.0


def _command(folder: Path, home: Path, *extra: str) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "FOOTFALL_HOME": str(home)}
    argv = [
        sys.executable,
        "-c",
        "from footfall.cli import main; main()",
        "season",
        str(folder),
        "--athlete",
        "kim",
        "--format",
        "json",
        *extra,
    ]
    return argv, env


def _sessions(home: Path) -> int | None:
    """Sessions committed so far, read through a read-only store (None before it exists)."""
    if not (home / DATABASE_NAME).is_file():
        return None
    try:
        with Store(home, readonly=True) as store:
            return int(store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    except Exception as exc:  # the schema may not be created yet on the very first look
        if "no such table" in str(exc) or "schema version" in str(exc):
            return None
        raise


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    runs = [ss.Run(ss.days(k // 4, k % 4), 3.0, 168.0, minutes=8, seed=k) for k in range(N_FILES)]
    out = tmp_path_factory.mktemp("kim")
    ss.write(out, runs)
    return out


def test_killed_import_resumes_without_duplicates_while_a_reader_reads(
    folder: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    argv, env = _command(folder, home, "--workers", "1")
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    seen: list[int] = []
    during = 0
    deadline = time.monotonic() + WAIT_S
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            count = _sessions(home)
            if count is not None:
                if proc.poll() is None and 0 < count < N_FILES:
                    during += 1
                seen.append(count)
                if count >= 5:
                    break
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the import and its pool: one process group
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert during >= 1, f"no read saw the batch half-way: {seen}"
    assert seen == sorted(seen)  # a reader never sees a session vanish
    with Store(home) as store:
        assert store.integrity() == "ok"
        before = int(store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    assert 5 <= before < N_FILES

    argv, env = _command(folder, home)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)["import"]
    assert report["failed"] == [] and report["not_run"] == []
    assert report["imported"] + report["known"] == N_FILES
    assert report["known"] >= before  # what was stored before the kill is not redone

    db = sqlite3.connect(home / DATABASE_NAME)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*), count(DISTINCT sha256) FROM sessions").fetchone() == (
        N_FILES,
        N_FILES,
    )
    outcomes = dict(db.execute("SELECT outcome, count(*) FROM files GROUP BY outcome").fetchall())
    assert outcomes == {"session": N_FILES}
    (findings,) = db.execute(
        "SELECT count(*) FROM (SELECT sha256, detector FROM findings "
        "GROUP BY sha256, detector HAVING count(*) > 1)"
    ).fetchone()
    assert findings == 0
    assert db.execute("SELECT count(*) FROM originals").fetchone()[0] == N_FILES
    assert len(list((home / "originals").glob("*/*.zst"))) == N_FILES
    assert not list((home / "originals").glob("*/.incoming-*"))


def test_a_reader_sees_committed_sessions_while_a_write_is_open(tmp_path: Path) -> None:
    writer = Store(tmp_path)
    athlete, _ = writer.ensure_athlete("lee")
    reader = Store(tmp_path, readonly=True)
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute(
        "INSERT INTO symptoms (athlete_id, date, side, logged_at) VALUES (?, '2026-05-01', "
        "'left', 'now')",
        (athlete.id,),
    )
    # WAL: the reader is not blocked by the open write and sees the last commit
    assert reader.conn.execute("SELECT count(*) FROM symptoms").fetchone()[0] == 0
    assert [a.name for a in reader.athletes()] == ["lee"]
    writer.conn.execute("COMMIT")
    assert reader.conn.execute("SELECT count(*) FROM symptoms").fetchone()[0] == 1
    assert writer.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reader.close()
    writer.close()
