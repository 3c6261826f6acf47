"""The athlete store: one SQLite file (WAL) and the originals folder under ``FOOTFALL_HOME``.

One writer, many readers: the process that imports holds the only write connection and
commits one file at a time, so a reader (another ``footfall`` command, the web app) can query
while a batch writes and sees every file committed so far. A killed writer loses at most the
file it was writing: SQLite's journal rolls that transaction back on the next open.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from footfall.config import Profile
from footfall.errors import FootfallError, ProfileError
from footfall.store.originals import Originals
from footfall.store.schema import SCHEMA_VERSION, migrate, version_of

#: the environment variable naming the store's folder, and its default
HOME_VARIABLE = "FOOTFALL_HOME"
DEFAULT_HOME = Path("~/.footfall")
DATABASE_NAME = "footfall.db"
#: how long a connection waits for another one's write lock before giving up
BUSY_TIMEOUT_S = 30.0
#: the lock file that makes one process the store's only writer
WRITER_LOCK = ".writer.lock"
#: athlete names appear in reports and file names: printable, at most this long
MAX_NAME_LENGTH = 64
SIDES = ("left", "right", "both")


class StoreBusy(FootfallError):
    """Another writer held the store for longer than this one would wait (the web app answers
    503 with Retry-After; the CLI prints it)."""

    kind = "store_busy"


def home_folder(home: str | Path | None = None) -> Path:
    """``home``, else ``$FOOTFALL_HOME``, else ``~/.footfall``."""
    chosen = home or os.environ.get(HOME_VARIABLE) or DEFAULT_HOME
    return Path(chosen).expanduser()


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    """An athlete name as stored: trimmed, 1-64 printable characters."""
    text = " ".join(str(name).split())
    if not text:
        raise ProfileError(None, "the athlete needs a name (--athlete NAME)")
    if len(text) > MAX_NAME_LENGTH or not text.isprintable():
        raise ProfileError(
            None,
            f"athlete name {text[:MAX_NAME_LENGTH]!r}: use 1-{MAX_NAME_LENGTH} printable "
            "characters",
        )
    return text


@dataclass(frozen=True)
class Athlete:
    """One athlete: the profile their runs are analysed with and their progression step."""

    id: int
    name: str
    profile: Profile
    progression_step_pct: float = 0.0
    progression_reason: str | None = None
    created_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "height_cm": self.profile.height_cm,
            "target_cadence_spm": self.profile.target_cadence_spm,
            "knee_or_shin_history": self.profile.knee_or_shin_history,
            "progression_step_pct": self.progression_step_pct,
            "progression_reason": self.progression_reason,
            "created_at": self.created_at,
        }


ATHLETE_COLUMNS = (
    "id, name, height_cm, target_cadence_spm, knee_or_shin_history, progression_step_pct, "
    "progression_reason, created_at"
)


def _athlete(row: tuple[Any, ...]) -> Athlete:
    ident, name, height, target, knee, step, reason, created = row
    profile = Profile(
        name=name, height_cm=height, target_cadence_spm=target, knee_or_shin_history=bool(knee)
    )
    return Athlete(ident, name, profile, float(step or 0.0), reason, created)


class Store:
    """The store under one home folder; opening it creates or migrates it (writers only)."""

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        readonly: bool = False,
        lock_wait_s: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.home = home_folder(home)
        self.lock_wait_s = lock_wait_s
        self.path = self.home / DATABASE_NAME
        self.readonly = readonly
        self.originals = Originals(self.home / "originals")
        self._lock: int | None = None
        try:
            self._connect()
        except sqlite3.DatabaseError as exc:
            raise FootfallError(str(self.path), f"not a usable footfall store ({exc})") from None

    def _connect(self) -> None:
        readonly = self.readonly
        if readonly:
            if not self.path.is_file():
                raise FootfallError(str(self.home), "no footfall store here yet (import first)")
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        else:
            try:
                self.home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FootfallError(
                    str(self.home), f"cannot create the store: {exc.strerror}"
                ) from None
            self._lock = self._take_writer_lock()
            self.originals.sweep()  # what a killed writer left half-written
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            found = version_of(self.conn)
            if found != SCHEMA_VERSION:
                raise FootfallError(
                    str(self.path),
                    f"store at schema version {found}, expected {SCHEMA_VERSION} (a newer "
                    "footfall wrote it, or an import is creating or upgrading it: try again)",
                )
        else:
            migrate(self.conn, str(self.path))

    def _take_writer_lock(self) -> int:
        """One writer at a time: wait for another writer to finish (up to ``lock_wait_s``)."""
        handle = os.open(self.home / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.lock_wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(handle)
                    raise StoreBusy(
                        str(self.home), "another footfall command is writing to this store"
                    ) from None
                time.sleep(0.1)

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it. A store that cannot
        be written (locked for longer than the busy timeout, a full disk) is a one-line
        error naming it."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            kind = StoreBusy if "locked" in str(exc) else FootfallError
            raise kind(str(self.path), f"cannot write to the store ({exc})") from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise FootfallError(str(self.path), f"cannot write to the store ({exc})") from None

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: 'ok' for a sound file."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # --- athletes -------------------------------------------------------------------------
    def athlete(self, name: str) -> Athlete | None:
        row = self.conn.execute(
            f"SELECT {ATHLETE_COLUMNS} FROM athletes WHERE name = ?", (check_name(name),)
        ).fetchone()
        return _athlete(row) if row else None

    def require_athlete(self, name: str) -> Athlete:
        found = self.athlete(name)
        if found is None:
            raise FootfallError(
                None, f"no athlete named {check_name(name)!r} (footfall athletes list shows them)"
            )
        return found

    def athletes(self) -> list[Athlete]:
        rows = self.conn.execute(f"SELECT {ATHLETE_COLUMNS} FROM athletes ORDER BY name")
        return [_athlete(r) for r in rows]

    def ensure_athlete(self, name: str) -> tuple[Athlete, bool]:
        """The athlete, created with the default profile the first time it is named."""
        found = self.athlete(name)
        if found is not None:
            return found, False
        return self.save_athlete(name), True

    def save_athlete(
        self,
        name: str,
        *,
        height_cm: float | None = None,
        target_cadence_spm: float | None = None,
        knee_or_shin_history: bool | None = None,
    ) -> Athlete:
        """Create the athlete or change the given fields of their profile."""
        name = check_name(name)
        current = self.athlete(name)
        base = current.profile if current else Profile(name=name)
        profile = base.with_overrides(
            height_cm=height_cm,
            target_cadence_spm=target_cadence_spm,
            knee_or_shin_history=knee_or_shin_history,
        )
        with self.transaction() as conn:
            if current is None:
                conn.execute(
                    "INSERT INTO athletes (name, height_cm, target_cadence_spm, "
                    "knee_or_shin_history, created_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        name,
                        profile.height_cm,
                        profile.target_cadence_spm,
                        int(profile.knee_or_shin_history),
                        now_text(),
                    ),
                )
            else:
                conn.execute(
                    "UPDATE athletes SET height_cm = ?, target_cadence_spm = ?, "
                    "knee_or_shin_history = ? WHERE id = ?",
                    (
                        profile.height_cm,
                        profile.target_cadence_spm,
                        int(profile.knee_or_shin_history),
                        current.id,
                    ),
                )
        return self.require_athlete(name)

    def set_progression(self, athlete: Athlete, step_pct: float, reason: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE athletes SET progression_step_pct = ?, progression_reason = ? WHERE id = ?",
                (float(step_pct), reason, athlete.id),
            )

    # --- symptoms -------------------------------------------------------------------------
    def log_symptom(
        self, athlete: Athlete, date: str, side: str, onset_s: int | None, note: str | None
    ) -> int:
        if side not in SIDES:
            raise FootfallError(None, f"side {side!r}: use left, right or both")
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO symptoms (athlete_id, date, side, onset_s, note, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (athlete.id, date, side, onset_s, note, now_text()),
            )
        return int(cursor.lastrowid or 0)

    def symptoms(self, athlete: Athlete) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT id, date, side, onset_s, note FROM symptoms WHERE athlete_id = ? "
            "ORDER BY date, id",
            (athlete.id,),
        )
        keys = ("id", "date", "side", "onset_s", "note")
        return [dict(zip(keys, row, strict=True)) for row in rows]
