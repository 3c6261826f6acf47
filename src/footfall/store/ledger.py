"""What an import did, file by file, written as it happens: the store side of a batch.

For each original the ledger records one outcome per athlete in the ``files`` table:
``pending`` (stored, not analysed yet), ``session`` (its analysis is the run's session),
``same_run`` (another file of the same run holds the session: footfall.duplicates),
``not_run`` or ``failed`` (with the reason). ``session``, ``same_run`` and ``not_run`` are
settled: importing the file again changes nothing. ``pending`` and ``failed`` are tried
again, which is how an interrupted import resumes. Each outcome is one transaction.

When a file is the same run as a stored session, the richer file keeps the session (more
channels; then FIT before TCX before GPX; then the digest, so the result does not depend on
the order files arrive in from a pool).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from footfall.duplicates import SAME_START_S, richness, same_run
from footfall.errors import FootfallError
from footfall.model import SessionResult
from footfall.store.database import Athlete, Store, now_text
from footfall.store.schema import epoch, median_of, overstride_score

SETTLED = ("session", "same_run", "not_run")
#: which export of one run keeps the session when two hold as many channels
FORMAT_RANK = {"fit": 3, "tcx": 2, "gpx": 1}


@dataclass
class ImportReport:
    """The ``import`` object of the season JSON: what one command did."""

    imported: int = 0
    known: int = 0
    reanalysed: int = 0
    same_run: list[dict[str, str]] = field(default_factory=list)
    not_run: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "known": self.known,
            "reanalysed": self.reanalysed,
            "same_run": self.same_run,
            "not_run": self.not_run,
            "failed": self.failed,
        }


def _keep_key(analysis: dict[str, Any], sha: str) -> tuple[int, int, str]:
    fmt = str((analysis.get("source") or {}).get("format") or "")
    return richness(analysis), FORMAT_RANK.get(fmt, 0), sha


class Ledger:
    """The import ledger of one athlete (the ``ImportLedger`` that footfall.batch writes to)."""

    def __init__(self, store: Store, athlete: Athlete) -> None:
        self.store = store
        self.athlete = athlete
        self.report = ImportReport()

    # --- what the batch asks --------------------------------------------------------------
    def settled(self, sha256: str) -> bool:
        row = self.store.conn.execute(
            "SELECT outcome FROM files WHERE athlete_id = ? AND sha256 = ?",
            (self.athlete.id, sha256),
        ).fetchone()
        return row is not None and row[0] in SETTLED

    def known(self, sha256: str, path: str) -> None:
        self.report.known += 1

    def keep(self, data: bytes, sha256: str, path: str, fmt: str | None) -> None:
        """Store the original (before it is parsed) and mark it pending for this athlete."""
        self.store.originals.put(data, sha256)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO originals (sha256, name, format, size, stored_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (sha256, path, fmt, len(data), now_text()),
            )
            conn.execute(
                "INSERT INTO files (athlete_id, sha256, path, outcome, updated_at) "
                "VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (athlete_id, sha256) DO UPDATE "
                "SET outcome = 'pending', path = excluded.path, updated_at = excluded.updated_at "
                "WHERE outcome NOT IN ('session', 'same_run', 'not_run')",
                (self.athlete.id, sha256, path, now_text()),
            )

    def refuse(self, error: FootfallError) -> None:
        """A path that gave no original to keep (missing, unreadable, a damaged member)."""
        self._list(error)

    def record(self, result: SessionResult) -> str:
        """Write one file's outcome; returns it (session, same_run, not_run, failed)."""
        sha = result.sha256
        if sha is None:  # nothing was kept: there is no original to attach an outcome to
            assert result.error is not None
            self._list(result.error)
            return "failed"
        with self.store.transaction() as conn:
            if result.analysis is None:
                assert result.error is not None
                return self._refused(conn, sha, result.source_path, result.error)
            return self._analysed(conn, sha, result.source_path, result.analysis)

    # --- outcomes -------------------------------------------------------------------------
    def _list(self, error: FootfallError) -> None:
        entry = {"path": error.path or "", "reason": error.problem}
        (self.report.not_run if error.kind == "not_a_run" else self.report.failed).append(entry)

    def _outcome(
        self,
        conn: sqlite3.Connection,
        sha: str,
        path: str,
        outcome: str,
        reason: str | None,
        same_as: str | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO files (athlete_id, sha256, path, outcome, reason, same_as, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (athlete_id, sha256) DO UPDATE SET "
            "path = excluded.path, outcome = excluded.outcome, reason = excluded.reason, "
            "same_as = excluded.same_as, updated_at = excluded.updated_at",
            (self.athlete.id, sha, path, outcome, reason, same_as, now_text()),
        )

    def _refused(self, conn: sqlite3.Connection, sha: str, path: str, error: FootfallError) -> str:
        outcome = "not_run" if error.kind == "not_a_run" else "failed"
        conn.execute(
            "DELETE FROM sessions WHERE athlete_id = ? AND sha256 = ?", (self.athlete.id, sha)
        )
        self._outcome(conn, sha, path, outcome, error.problem)
        self._list(error)
        return outcome

    def _analysed(
        self, conn: sqlite3.Connection, sha: str, path: str, analysis: dict[str, Any]
    ) -> str:
        before = conn.execute(
            "SELECT outcome FROM files WHERE athlete_id = ? AND sha256 = ?",
            (self.athlete.id, sha),
        ).fetchone()
        if before is not None and before[0] == "session":  # reanalysed in place
            self._put_session(conn, sha, path, analysis)
            self._outcome(conn, sha, path, "session", None)
            self.report.reanalysed += 1
            return "session"
        match = self._same_run_as(conn, sha, analysis)
        if match is None:
            self._put_session(conn, sha, path, analysis)
            self._outcome(conn, sha, path, "session", None)
            self.report.imported += 1
            return "session"
        kept_sha, kept_path, kept = match
        if _keep_key(analysis, sha) > _keep_key(kept, kept_sha):
            conn.execute(
                "DELETE FROM sessions WHERE athlete_id = ? AND sha256 = ?",
                (self.athlete.id, kept_sha),
            )
            self._put_session(conn, sha, path, analysis)
            self._outcome(conn, sha, path, "session", None)
            reason = f"the same run as {path}, which has more channels"
            self._outcome(conn, kept_sha, kept_path, "same_run", reason, same_as=sha)
            conn.execute(
                "UPDATE files SET same_as = ? WHERE athlete_id = ? AND same_as = ?",
                (sha, self.athlete.id, kept_sha),
            )
            self.report.same_run.append({"path": kept_path, "same_as": path})
        else:
            reason = f"the same run as {kept_path}"
            self._outcome(conn, sha, path, "same_run", reason, same_as=kept_sha)
            self.report.same_run.append({"path": path, "same_as": kept_path})
        return "same_run"

    def _same_run_as(
        self, conn: sqlite3.Connection, sha: str, analysis: dict[str, Any]
    ) -> tuple[str, str, dict[str, Any]] | None:
        """The stored session this analysis is the same run as (closest start), or None."""
        start = epoch((analysis.get("summary") or {}).get("start_time"))
        if start is None:
            return None
        rows = conn.execute(
            "SELECT sha256, source_path, analysis_json FROM sessions WHERE athlete_id = ? "
            "AND start_epoch BETWEEN ? AND ? AND sha256 != ? ORDER BY abs(start_epoch - ?)",
            (self.athlete.id, start - SAME_START_S, start + SAME_START_S, sha, start),
        )
        for other_sha, other_path, text in rows:
            other = json.loads(text)
            if same_run(analysis, other):
                return str(other_sha), str(other_path), other
        return None

    def _put_session(
        self, conn: sqlite3.Connection, sha: str, path: str, analysis: dict[str, Any]
    ) -> None:
        put_session(conn, self.athlete.id, sha, path, analysis)


def put_session(
    conn: sqlite3.Connection, athlete_id: int, sha: str, path: str, analysis: dict[str, Any]
) -> None:
    """Insert or replace one session row and its findings (inside the caller's transaction)."""
    from footfall.version import installed_version

    summary = analysis.get("summary") or {}
    source = analysis.get("source") or {}
    verdict = summary.get("verdict") or {}
    conn.execute("DELETE FROM findings WHERE athlete_id = ? AND sha256 = ?", (athlete_id, sha))
    conn.execute(
        "INSERT OR REPLACE INTO sessions (athlete_id, sha256, source_path, format, name, "
        "start_time, start_epoch, duration_s, running_time_s, distance_m, median_cadence_spm, "
        "median_speed_mps, time_below_target_pct, overstride_score, stance_time_ms, "
        "verdict_severity, verdict_title, analysis_schema, analysis_json, footfall_version, "
        "analysed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            athlete_id,
            sha,
            path,
            source.get("format"),
            source.get("name"),
            summary.get("start_time"),
            epoch(summary.get("start_time")),
            summary.get("duration_s"),
            summary.get("running_time_s"),
            summary.get("distance_m"),
            median_of(analysis, "cadence_spm"),
            median_of(analysis, "speed_mps"),
            summary.get("time_below_target_pct"),
            overstride_score(analysis),
            median_of(analysis, "stance_time_ms"),
            verdict.get("severity"),
            verdict.get("title"),
            str(analysis.get("schema") or ""),
            json.dumps(analysis, ensure_ascii=False, separators=(",", ":")),
            installed_version(),
            now_text(),
        ),
    )
    conn.executemany(
        "INSERT INTO findings (athlete_id, sha256, detector, severity, confidence, title) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                athlete_id,
                sha,
                f.get("detector"),
                f.get("severity"),
                f.get("confidence"),
                f.get("title"),
            )
            for f in analysis.get("findings") or []
            if isinstance(f, dict)
        ],
    )
