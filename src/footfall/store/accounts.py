"""The web app's accounts, kept in the store (schema v3): coaches, athletes, who reads whom.

An athlete's account has the name of the athlete in the store, so their uploads, season and
symptom log are that athlete's. An athlete asks for one coach; the coach sees the athlete
(and may upload for them and log their symptoms) once they have accepted. An athlete may also
grant another account read-only access to their season and sessions, and take it back.

Passwords are hashed with Argon2id (argon2-cffi, RFC 9106's second recommended parameters);
a name without an account still costs one verification, so the time taken does not tell
whether an account exists.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from footfall.errors import FootfallError
from footfall.store.database import Store, check_name, now_text

ROLES = ("coach", "athlete")
#: NIST SP 800-63B-4 (2024), password verifiers: at least 15 characters when the password
#: is the only factor, as it is here
MIN_PASSWORD_LENGTH = 15
#: NIST asks verifiers to accept at least 64 characters; the bound only keeps one request
#: from handing the hasher megabytes [heuristic]
MAX_PASSWORD_LENGTH = 1024
#: what a reader of an athlete may do: own (the athlete), coach (accepted), read (a grant)
OWN, COACH, READ = "own", "coach", "read"
WRITERS = (OWN, COACH)

USER_COLUMNS = "u.id, u.name, u.role, c.name, u.coach_accepted, u.session_generation, u.created_at"
USER_FROM = "users u LEFT JOIN users c ON c.id = u.coach_id"


@dataclass(frozen=True)
class User:
    """One account (never its hash)."""

    id: int
    name: str
    role: str
    coach: str | None = None
    coach_accepted: bool = False
    generation: int = 0
    created_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "coach": self.coach,
            "coach_accepted": self.coach_accepted,
        }


def _user(row: tuple[Any, ...]) -> User:
    ident, name, role, coach, accepted, generation, created = row
    return User(ident, name, role, coach, bool(accepted), int(generation), created)


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """Argon2id with RFC 9106 §4's second recommended option (t=3, 64 MiB, p=4)."""
    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hasher().hash("footfall: a name without an account")


def check_password(password: str) -> str:
    """The password as given, if the policy takes it; else a one-line error."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FootfallError(
            None, f"the password needs at least {MIN_PASSWORD_LENGTH} characters (a phrase works)"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise FootfallError(None, f"the password is longer than {MAX_PASSWORD_LENGTH} characters")
    return password


class Accounts:
    """Accounts of one store; reads work on a read-only store, changes need the writer."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn

    # --- reading --------------------------------------------------------------------------
    def user(self, name: str) -> User | None:
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.name = ?", (check_name(name),)
        ).fetchone()
        return _user(row) if row else None

    def user_by_id(self, ident: int) -> User | None:
        row = self.conn.execute(
            f"SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.id = ?", (ident,)
        ).fetchone()
        return _user(row) if row else None

    def require(self, name: str) -> User:
        found = self.user(name)
        if found is None:
            raise FootfallError(None, f"no account named {check_name(name)!r}")
        return found

    def users(self) -> list[User]:
        rows = self.conn.execute(f"SELECT {USER_COLUMNS} FROM {USER_FROM} ORDER BY u.name")
        return [_user(r) for r in rows]

    def verify(self, name: str, password: str) -> User | None:
        """The account if ``password`` is its password, else None (same cost either way)."""
        try:
            text = check_name(name)
        except FootfallError:
            text = ""
        row = (
            self.conn.execute(
                "SELECT id, password_hash FROM users WHERE name = ?", (text,)
            ).fetchone()
            if text
            else None
        )
        too_long = len(password) > MAX_PASSWORD_LENGTH  # never a stored password
        stored = str(row[1]) if row and not too_long else _decoy_hash()
        try:
            hasher().verify(stored, password[:MAX_PASSWORD_LENGTH])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return self.user_by_id(int(row[0])) if row and not too_long else None

    def needs_rehash(self, user: User) -> bool:
        (stored,) = self.conn.execute(
            "SELECT password_hash FROM users WHERE id = ?", (user.id,)
        ).fetchone()
        return hasher().check_needs_rehash(str(stored))

    def access(self, user: User) -> dict[str, str]:
        """Athlete name -> what ``user`` may do with them: own, coach or read."""
        out: dict[str, str] = {}
        for (name,) in self.conn.execute(
            "SELECT a.name FROM grants g JOIN users a ON a.id = g.athlete_user_id "
            "WHERE g.reader_id = ? ORDER BY a.name",
            (user.id,),
        ):
            out[str(name)] = READ
        if user.role == "coach":
            for name in self.roster(user):
                out[name] = COACH
        else:
            out[user.name] = OWN
        return dict(sorted(out.items(), key=lambda item: item[0].lower()))

    def access_to(self, user: User, athlete: str) -> tuple[str, str] | None:
        """(the athlete's name as stored, own|coach|read), or None when ``user`` may not see
        them (whether or not they exist)."""
        wanted = athlete.strip().lower()
        return next(
            ((name, how) for name, how in self.access(user).items() if name.lower() == wanted),
            None,
        )

    def roster(self, coach: User) -> list[str]:
        """The athletes who asked ``coach`` and were accepted."""
        rows = self.conn.execute(
            "SELECT name FROM users WHERE coach_id = ? AND coach_accepted = 1 ORDER BY name",
            (coach.id,),
        )
        return [str(r[0]) for r in rows]

    def requests(self, coach: User) -> list[str]:
        """The athletes waiting for ``coach`` to accept them."""
        rows = self.conn.execute(
            "SELECT name FROM users WHERE coach_id = ? AND coach_accepted = 0 ORDER BY name",
            (coach.id,),
        )
        return [str(r[0]) for r in rows]

    def readers(self, athlete: User) -> list[str]:
        """Who ``athlete`` granted read-only access to."""
        rows = self.conn.execute(
            "SELECT r.name FROM grants g JOIN users r ON r.id = g.reader_id "
            "WHERE g.athlete_user_id = ? ORDER BY r.name",
            (athlete.id,),
        )
        return [str(r[0]) for r in rows]

    # --- changing (writer) ----------------------------------------------------------------
    def add(self, name: str, role: str, password: str, coach: str | None = None) -> User:
        """A new account; an athlete's joins (or creates) the athlete of that name. A coach
        named here is accepted at once: whoever runs ``footfall users add`` owns the store."""
        name = check_name(name)
        if role not in ROLES:
            raise FootfallError(None, f"role {role!r}: use coach or athlete")
        check_password(password)
        if self.user(name) is not None:
            raise FootfallError(None, f"an account named {name!r} exists already")
        coach_user = self.require(coach) if coach else None
        if coach_user is not None and (role != "athlete" or coach_user.role != "coach"):
            raise FootfallError(None, f"--coach {coach!r}: only an athlete names a coach account")
        if role == "coach" and self.store.athlete(name) is not None:
            raise FootfallError(
                None, f"{name!r} is an athlete in the store: a coach needs another name"
            )
        if role == "athlete":
            name = self.store.ensure_athlete(name)[0].name
        digest = hasher().hash(password)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO users (name, role, password_hash, coach_id, coach_accepted, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    name,
                    role,
                    digest,
                    coach_user.id if coach_user else None,
                    int(coach_user is not None),
                    now_text(),
                ),
            )
        return self.require(name)

    def ask_coach(self, athlete: User, coach_name: str) -> User:
        """``athlete`` asks ``coach_name`` to coach them (waiting for the coach)."""
        coach = self.user(coach_name)
        if athlete.role != "athlete":
            raise FootfallError(None, "only an athlete asks for a coach")
        if coach is None or coach.role != "coach":
            raise FootfallError(None, f"no coach named {check_name(coach_name)!r}")
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE users SET coach_id = ?, coach_accepted = 0 WHERE id = ? "
                "AND coach_id IS NOT ?",
                (coach.id, athlete.id, coach.id),
            )
        return self.require(athlete.name)

    def leave_coach(self, athlete: User) -> bool:
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE users SET coach_id = NULL, coach_accepted = 0 WHERE id = ? "
                "AND coach_id IS NOT NULL",
                (athlete.id,),
            )
        return cursor.rowcount > 0

    def accept(self, coach: User, athlete_name: str) -> bool:
        """The coach accepts an athlete who asked them; False when nobody of that name did."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE users SET coach_accepted = 1 WHERE name = ? AND coach_id = ? "
                "AND role = 'athlete'",
                (check_name(athlete_name), coach.id),
            )
        return cursor.rowcount > 0

    def drop(self, coach: User, athlete_name: str) -> bool:
        """The coach declines a request or stops coaching an athlete."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE users SET coach_id = NULL, coach_accepted = 0 WHERE name = ? "
                "AND coach_id = ?",
                (check_name(athlete_name), coach.id),
            )
        return cursor.rowcount > 0

    def grant(self, athlete: User, reader_name: str) -> bool:
        """Read-only access to ``athlete``'s season for another account; False if it had it."""
        reader = self.user(reader_name)
        if athlete.role != "athlete":
            raise FootfallError(None, "only an athlete grants access to their own runs")
        if reader is None:
            raise FootfallError(None, f"no account named {check_name(reader_name)!r}")
        if reader.id == athlete.id:
            raise FootfallError(None, "an athlete always reads their own runs")
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO grants (athlete_user_id, reader_id, granted_at) "
                "VALUES (?, ?, ?)",
                (athlete.id, reader.id, now_text()),
            )
        return cursor.rowcount > 0

    def revoke(self, athlete: User, reader_name: str) -> bool:
        """Take back a grant; False when there was none."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM grants WHERE athlete_user_id = ? AND reader_id = "
                "(SELECT id FROM users WHERE name = ?)",
                (athlete.id, check_name(reader_name)),
            )
        return cursor.rowcount > 0

    def end_sessions(self, user: User) -> None:
        """Sign the account out everywhere: every cookie issued before now stops working."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE users SET session_generation = session_generation + 1 WHERE id = ?",
                (user.id,),
            )

    def set_password(self, user: User, password: str) -> None:
        digest = hasher().hash(check_password(password))
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE users SET password_hash = ?, session_generation = session_generation "
                "+ 1 WHERE id = ?",
                (digest, user.id),
            )
