"""An upload, as ``footfall season`` imports a file: kept first, analysed, then recorded.

1. The writer, briefly and once for all the files of a request: each activity of each file
   (a zip's members one by one) is stored as an original and marked ``pending`` in the
   athlete's ledger *before* it is parsed (``Ledger.keep``); what the ledger has settled
   already is reported as ``known``. A store too busy to take them refuses the whole request
   (503) with nothing kept.
2. No lock: each new original is analysed in an analysis process (``analyse_original``).
   Two uploads of the same bytes at once share one analysis.
3. The writer, briefly: the outcome is recorded (``Ledger.record``: a session, the same run
   as another file, not a run, or failed with its reason).

A server killed between 1 and 3 leaves the original stored and ``pending``; the next start
analyses what is pending (:meth:`Uploads.resume`), so nothing a user sent is lost.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from footfall.batch.imports import Original, analyse_original, originals_of_upload
from footfall.errors import FootfallError, UnexpectedError
from footfall.model import SessionResult
from footfall.store import Athlete, Ledger, Store, queries
from footfall.web.rendering import session_id
from footfall.web.stores import StoreAccess, WorkerDied

log = logging.getLogger("footfall.web")
#: the longest file name kept for an upload (it names the file in the ledger and pages)
#: [heuristic: longer than any watch or export names its files]
MAX_FILENAME_LENGTH = 120


def clean_filename(filename: str | None) -> str:
    """The last part of what the browser sent, printable, without the archive separator."""
    text = PurePosixPath(str(filename or "").replace("\\", "/")).name
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").replace("!", "_")
    return text.strip()[:MAX_FILENAME_LENGTH] or "upload"


class UploadLedger(Ledger):
    """The store's ledger, also listing the files it already had."""

    def __init__(self, store: Store, athlete: Athlete) -> None:
        super().__init__(store, athlete)
        self.known_files: list[dict[str, Any]] = []
        self._kept: set[str] = set()

    def settled(self, sha256: str) -> bool:
        # a file sent twice in one request is kept and analysed once
        return sha256 in self._kept or super().settled(sha256)

    def keep(self, data: bytes, sha256: str, path: str, fmt: str | None) -> None:
        super().keep(data, sha256, path, fmt)
        self._kept.add(sha256)

    def known(self, sha256: str, path: str) -> None:
        super().known(sha256, path)
        row = self.store.conn.execute(
            "SELECT outcome, reason, same_as FROM files WHERE athlete_id = ? AND sha256 = ?",
            (self.athlete.id, sha256),
        ).fetchone()
        outcome, reason, same_as = row if row else ("session", None, None)
        self.known_files.append(
            {
                "path": path,
                "sha256": sha256,
                "outcome": "known",
                "stored_as": outcome,
                "reason": reason,
                "same_as": same_as,
                "id": session_id(self.athlete.id, sha256) if outcome == "session" else None,
            }
        )


@dataclass
class UploadReport:
    """What one upload did, file by file (the answer of ``POST .../uploads``)."""

    athlete: str
    files: list[dict[str, Any]] = field(default_factory=list)
    analysed: int = 0

    @property
    def new_sessions(self) -> int:
        return sum(1 for f in self.files if f["outcome"] == "session")

    @property
    def all_failed(self) -> bool:
        return bool(self.files) and all(f["outcome"] == "failed" for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "analysed": self.analysed,
            "sessions": self.new_sessions,
            "files": self.files,
        }


def _entry(store: Store, athlete: Athlete, sha: str, path: str, outcome: str) -> dict[str, Any]:
    row = store.conn.execute(
        "SELECT reason, same_as FROM files WHERE athlete_id = ? AND sha256 = ?",
        (athlete.id, sha),
    ).fetchone()
    reason, same_as = row if row else (None, None)
    return {
        "path": path,
        "sha256": sha,
        "outcome": outcome,
        "reason": reason,
        "same_as": same_as,
        "id": session_id(athlete.id, sha) if outcome == "session" else None,
    }


def _unkept(path: str, outcome: str, reason: str) -> dict[str, Any]:
    """An entry for what gave no original to analyse (a damaged zip member, an empty file,
    a Strava not-run)."""
    return {
        "path": path,
        "sha256": None,
        "outcome": outcome,
        "reason": reason,
        "same_as": None,
        "id": None,
    }


#: what an upload request hands over: (the name the browser sent, the bytes), per file
Sent = tuple[str | None, bytes]


def _settle_known(entries: list[dict[str, Any]]) -> None:
    """A file sent twice in one request is ``known`` as what its first copy became (the
    ledger saw it pending when the second copy arrived)."""
    became = {e["sha256"]: e for e in entries if e["outcome"] != "known" and e["sha256"]}
    for entry in entries:
        first = became.get(entry["sha256"])
        if entry["outcome"] == "known" and entry["stored_as"] == "pending" and first:
            entry.update(stored_as=first["outcome"], reason=first["reason"], id=first["id"])
            entry["same_as"] = first["same_as"]


class Uploads:
    """Runs uploads (and the resumption of pending files) for one app."""

    def __init__(self, stores: StoreAccess) -> None:
        self.stores = stores
        self._inflight: dict[tuple[int, str], asyncio.Future[dict[str, Any] | None]] = {}

    async def upload(self, athlete_name: str, sent: list[Sent]) -> UploadReport:
        """Keep every file of one request, analyse the new activities, record each one."""
        named = [(clean_filename(filename), data) for filename, data in sent]
        empty = [
            _unkept(name, "failed", "the uploaded file is empty") for name, d in named if not d
        ]

        def keep(store: Store) -> tuple[Athlete, list[Original], UploadLedger]:
            athlete = store.require_athlete(athlete_name)
            ledger = UploadLedger(store, athlete)
            fresh = [o for name, d in named if d for o in originals_of_upload(name, d, ledger)]
            return athlete, fresh, ledger

        athlete, fresh, ledger = await self.stores.write(keep)
        report = UploadReport(athlete.name, [*empty, *ledger.known_files])
        # refused members (a damaged entry of a zip) and Strava-style not-runs came back
        # through the ledger's report, without an original to analyse
        report.files += [_unkept(e["path"], "failed", e["reason"]) for e in ledger.report.failed]
        report.files += [_unkept(e["path"], "not_run", e["reason"]) for e in ledger.report.not_run]
        entries = await asyncio.gather(*(self._analyse(athlete, o, report) for o in fresh))
        report.files.extend(e for e in entries if e is not None)
        _settle_known(report.files)
        return report

    async def _analyse(
        self, athlete: Athlete, original: Original, report: UploadReport
    ) -> dict[str, Any] | None:
        key = (athlete.id, original.sha256)
        running = self._inflight.get(key)
        if running is not None:  # the same bytes are being analysed for another upload
            shared = await asyncio.shield(running)
            return {**shared, "path": original.path} if shared else None
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            entry = await self._analyse_and_record(athlete, original.path, original, report)
            future.set_result(entry)
            return entry
        except BaseException:
            future.set_result(None)
            raise
        finally:
            del self._inflight[key]

    async def _analyse_and_record(
        self, athlete: Athlete, path: str, original: Original, report: UploadReport
    ) -> dict[str, Any]:
        sha = original.sha256
        try:
            result = await self.stores.compute(
                analyse_original,
                original.path,
                original.data,
                original.fmt,
                athlete.profile,
                original.name,
            )
        except WorkerDied as exc:
            error = UnexpectedError(path, f"the process analysing this file stopped ({exc})")
            result = SessionResult(path, sha, error=error)
        report.analysed += 1
        if result.sha256 is None:
            result.sha256 = sha

        def record(store: Store) -> dict[str, Any]:
            outcome = Ledger(store, athlete).record(result)
            return _entry(store, athlete, sha, path, outcome)

        return await self.stores.write(record)

    async def resume(self) -> int:
        """Analyse every original the ledger still holds as pending (a server or an import
        stopped between keeping it and recording its outcome); returns how many."""

        def pending(store: Store) -> list[tuple[Athlete, str, str, str | None, str | None]]:
            out = []
            for athlete in store.athletes():
                waiting = {f["sha256"] for f in queries.files(store, athlete, "pending")}
                for sha, path, fmt, title in queries.originals_of(store, athlete):
                    if sha in waiting:
                        out.append((athlete, sha, path, fmt, title))
            return out

        todo = await self.stores.read(pending)
        report = UploadReport("")
        for athlete, sha, path, fmt, title in todo:

            def load(store: Store, sha: str = sha) -> bytes:
                return store.originals.get(sha)

            try:
                data = await self.stores.read(load)
            except FootfallError as exc:
                await self._record_error(athlete, SessionResult(path, sha, error=exc))
                continue
            original = Original(path, data, fmt, sha, title)
            await self._analyse(athlete, original, report)
        if todo:
            log.info("footfall: analysed %d files left pending", len(todo))
        return len(todo)

    async def _record_error(self, athlete: Athlete, result: SessionResult) -> None:
        def record(store: Store) -> None:
            Ledger(store, athlete).record(result)

        await self.stores.write(record)
