"""The store's schema, versioned with ``PRAGMA user_version``, and the migrations between versions.

Version 1 held athletes, originals, sessions (summary columns and the analysis JSON), findings
and symptom entries. Version 2 added what an import needs to resume and to explain itself:
``files`` (what became of each original for an athlete: a session, the same run as another
file, not a run, failed, or still pending), the athlete's progression step, and each
session's start as a number (``start_epoch``) so that the same run in another file is found
with an index. Version 3 added the web app's accounts: ``users`` (a coach or an athlete, with
an argon2 hash of the password; an athlete's account has the name of the athlete in the store,
and names the coach they asked for and whether that coach accepted them), and ``grants`` (an
athlete lets another account read their season and sessions). Every migration runs in one
transaction: a store is at one version or the
next, never between.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from footfall.errors import FootfallError

#: the version this footfall writes; a store at a higher version was written by a newer one
SCHEMA_VERSION = 3

V1 = """
CREATE TABLE athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    height_cm REAL,
    target_cadence_spm REAL NOT NULL DEFAULT 180,
    knee_or_shin_history INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE originals (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT,
    size INTEGER NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE sessions (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL REFERENCES originals(sha256),
    source_path TEXT NOT NULL,
    format TEXT,
    name TEXT,
    start_time TEXT,
    duration_s REAL,
    running_time_s REAL,
    distance_m REAL,
    median_cadence_spm REAL,
    median_speed_mps REAL,
    time_below_target_pct REAL,
    verdict_severity TEXT,
    verdict_title TEXT,
    analysis_schema TEXT NOT NULL,
    analysis_json TEXT NOT NULL,
    footfall_version TEXT,
    analysed_at TEXT NOT NULL,
    PRIMARY KEY (athlete_id, sha256)
);
CREATE INDEX sessions_by_start ON sessions (athlete_id, start_time);
CREATE TABLE findings (
    athlete_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    detector TEXT NOT NULL,
    severity TEXT NOT NULL,
    confidence TEXT,
    title TEXT,
    FOREIGN KEY (athlete_id, sha256) REFERENCES sessions (athlete_id, sha256) ON DELETE CASCADE
);
CREATE INDEX findings_by_session ON findings (athlete_id, sha256);
CREATE TABLE symptoms (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
    onset_s INTEGER,
    note TEXT,
    logged_at TEXT NOT NULL
);
"""

V2 = """
ALTER TABLE athletes ADD COLUMN progression_step_pct REAL NOT NULL DEFAULT 0;
ALTER TABLE athletes ADD COLUMN progression_reason TEXT;
ALTER TABLE sessions ADD COLUMN start_epoch REAL;
ALTER TABLE sessions ADD COLUMN overstride_score REAL;
ALTER TABLE sessions ADD COLUMN stance_time_ms REAL;
CREATE INDEX sessions_by_epoch ON sessions (athlete_id, start_epoch);
CREATE TABLE files (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('pending', 'session', 'same_run', 'not_run', 'failed')),
    reason TEXT,
    same_as TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (athlete_id, sha256)
);
CREATE INDEX files_by_outcome ON files (athlete_id, outcome);
"""

V3 = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('coach', 'athlete')),
    password_hash TEXT NOT NULL,
    coach_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    coach_accepted INTEGER NOT NULL DEFAULT 0,
    session_generation INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX users_by_coach ON users (coach_id);
CREATE TABLE grants (
    athlete_user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reader_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (athlete_user_id, reader_id),
    CHECK (athlete_user_id != reader_id)
);
CREATE INDEX grants_by_reader ON grants (reader_id);
"""


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Each statement of ``script`` inside the caller's transaction (``executescript`` would
    commit it first)."""
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run(conn, V1)


def _v2(conn: sqlite3.Connection) -> None:
    """Version 2, and what it can fill in for the sessions a version-1 store already holds."""
    _run(conn, V2)
    rows = conn.execute(
        "SELECT athlete_id, sha256, source_path, start_time, analysis_json, analysed_at "
        "FROM sessions"
    ).fetchall()
    for athlete_id, sha, path, start, text, when in rows:
        analysis = json.loads(text)
        conn.execute(
            "UPDATE sessions SET start_epoch = ?, overstride_score = ?, stance_time_ms = ? "
            "WHERE athlete_id = ? AND sha256 = ?",
            (
                epoch(start),
                overstride_score(analysis),
                median_of(analysis, "stance_time_ms"),
                athlete_id,
                sha,
            ),
        )
        conn.execute(
            "INSERT OR IGNORE INTO files (athlete_id, sha256, path, outcome, updated_at) "
            "VALUES (?, ?, ?, 'session', ?)",
            (athlete_id, sha, path, when),
        )


def _v3(conn: sqlite3.Connection) -> None:
    _run(conn, V3)


#: MIGRATIONS[n] brings a store from version n to n + 1
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3)
assert len(MIGRATIONS) == SCHEMA_VERSION


def epoch(start_time: str | None) -> float | None:
    """ISO 8601 start (naive means UTC) -> seconds since 1970, or None."""
    if not start_time:
        return None
    try:
        stamp = datetime.fromisoformat(start_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def median_of(analysis: dict[str, object], channel: str) -> float | None:
    """``summary.<channel>.median`` of an analysis dict, or None."""
    summary = analysis.get("summary")
    stats = summary.get(channel) if isinstance(summary, dict) else None
    value = stats.get("median") if isinstance(stats, dict) else None
    return float(value) if isinstance(value, int | float) else None


def overstride_score(analysis: dict[str, object]) -> float | None:
    """The overstride finding's score (docs/analysis-json.md), or None."""
    for finding in analysis.get("findings") or []:  # type: ignore[attr-defined]
        if isinstance(finding, dict) and finding.get("detector") == "overstride":
            score = (finding.get("evidence") or {}).get("score")
            return float(score) if isinstance(score, int | float) else None
    return None


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the store to ``target`` one version at a time; returns the version it was at."""
    found = version_of(conn)
    if found > SCHEMA_VERSION:
        raise FootfallError(
            path,
            f"the store is at schema version {found}, newer than this footfall "
            f"({SCHEMA_VERSION}): upgrade footfall",
        )
    for version in range(found, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
