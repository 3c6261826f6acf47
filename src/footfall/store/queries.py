"""Reading the store: sessions one at a time, what became of each file, counts, symptoms.

Readers never hold a write lock (WAL): they can run while an import writes, and see every
file committed so far.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from footfall.errors import FootfallError
from footfall.store.database import Athlete, Store

OUTCOMES = ("session", "same_run", "not_run", "failed", "pending")


def analyses(store: Store, athlete: Athlete) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(sha256, path, analysis dict) of every session of the athlete, oldest first, parsed
    one at a time (a season keeps only what it needs of each)."""
    rows = store.conn.execute(
        "SELECT sha256, source_path, analysis_json FROM sessions WHERE athlete_id = ? "
        "ORDER BY start_epoch IS NULL, start_epoch, sha256",
        (athlete.id,),
    )
    for sha, path, text in rows:
        yield str(sha), str(path), json.loads(text)


def session(store: Store, athlete: Athlete, key: str) -> tuple[str, str, dict[str, Any]]:
    """One session by its sha256 (or a unique prefix of at least 6 hex digits)."""
    text = key.strip().lower()
    if len(text) < 6 or any(c not in "0123456789abcdef" for c in text):
        raise FootfallError(None, f"session {key!r}: give its sha256 (6 or more hex digits)")
    rows = store.conn.execute(
        "SELECT sha256, source_path, analysis_json FROM sessions WHERE athlete_id = ? AND "
        "sha256 LIKE ? LIMIT 2",
        (athlete.id, text + "%"),
    ).fetchall()
    if len(rows) != 1:
        what = "no session" if not rows else "more than one session"
        raise FootfallError(None, f"{what} of {athlete.name} starts with {text}")
    sha, path, body = rows[0]
    return str(sha), str(path), json.loads(body)


def files(store: Store, athlete: Athlete, outcome: str | None = None) -> list[dict[str, Any]]:
    """What became of each original of the athlete: sha256, path, outcome, reason, same_as."""
    query = "SELECT sha256, path, outcome, reason, same_as FROM files WHERE athlete_id = ?"
    args: tuple[Any, ...] = (athlete.id,)
    if outcome is not None:
        query += " AND outcome = ?"
        args += (outcome,)
    keys = ("sha256", "path", "outcome", "reason", "same_as")
    rows = store.conn.execute(query + " ORDER BY path", args)
    return [dict(zip(keys, row, strict=True)) for row in rows]


def counts(store: Store, athlete: Athlete) -> dict[str, int]:
    """Files by outcome, and the number of sessions."""
    out = dict.fromkeys(OUTCOMES, 0)
    for outcome, n in store.conn.execute(
        "SELECT outcome, count(*) FROM files WHERE athlete_id = ? GROUP BY outcome",
        (athlete.id,),
    ):
        out[str(outcome)] = int(n)
    (sessions,) = store.conn.execute(
        "SELECT count(*) FROM sessions WHERE athlete_id = ?", (athlete.id,)
    ).fetchone()
    out["sessions"] = int(sessions)
    return out


def last_session(store: Store, athlete: Athlete) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT sha256, start_time, name, source_path, distance_m, median_cadence_spm, "
        "verdict_severity, verdict_title FROM sessions WHERE athlete_id = ? "
        "ORDER BY start_epoch DESC LIMIT 1",
        (athlete.id,),
    ).fetchone()
    if row is None:
        return None
    keys = (
        "sha256",
        "start_time",
        "name",
        "path",
        "distance_m",
        "median_cadence_spm",
        "verdict_severity",
        "verdict_title",
    )
    return dict(zip(keys, row, strict=True))


def originals_of(store: Store, athlete: Athlete) -> list[tuple[str, str, str | None, str | None]]:
    """(sha256, path, format, activity name) of every stored original of the athlete, for
    reanalysis (the name is the session's, which may have come from Strava's index)."""
    rows = store.conn.execute(
        "SELECT f.sha256, f.path, o.format, s.name FROM files f JOIN originals o USING (sha256) "
        "LEFT JOIN sessions s ON s.athlete_id = f.athlete_id AND s.sha256 = f.sha256 "
        "WHERE f.athlete_id = ? ORDER BY f.path",
        (athlete.id,),
    )
    return [(str(s), str(p), fmt, name) for s, p, fmt, name in rows]


def disk_usage(store: Store) -> dict[str, int]:
    """Bytes on disk: the database (with its WAL) and the originals, and the sessions."""
    database = sum(
        p.stat().st_size
        for p in (store.path, store.path.with_name(store.path.name + "-wal"))
        if p.exists()
    )
    (sessions,) = store.conn.execute("SELECT count(*) FROM sessions").fetchone()
    return {
        "database_bytes": database,
        "originals_bytes": store.originals.disk_bytes(),
        "sessions": int(sessions),
    }
