"""What every route shares: the app's services, who is signed in, and what they may do.

Access rules (docs/web.md): an athlete reads and writes their own runs; their coach, once
accepted, reads and writes them too (uploads, symptoms); an account the athlete granted
access to reads only. An athlete one may not see is "not found" (404), whether or not it
exists; one that may be read but not changed is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security

from footfall.store import Store
from footfall.store.accounts import OWN, WRITERS, Accounts, User
from footfall.web.auth import (
    FailureLimiter,
    Sessions,
    SignedIn,
    csrf_header,
    session_cookie,
)
from footfall.web.problems import Problem, forbidden, not_found, unauthorized
from footfall.web.rendering import parse_session_id, session_id
from footfall.web.settings import WebSettings
from footfall.web.stores import StoreAccess
from footfall.web.uploads import Uploads


@dataclass
class Services:
    settings: WebSettings
    stores: StoreAccess
    sessions: Sessions
    limiter: FailureLimiter
    uploads: Uploads


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def current_user(request: Request, cookie: str | None) -> SignedIn | None:
    """The account of a valid session cookie (still at its session generation), or None."""
    app = services(request)
    found = app.sessions.read(cookie)
    if found is None:
        return None
    user_id, generation, csrf = found

    def load(store: Store) -> SignedIn | None:
        accounts = Accounts(store)
        user = accounts.user_by_id(user_id)
        if user is None or user.generation != generation:
            return None
        return SignedIn(user, csrf, accounts.access(user))

    return await app.stores.read(load)


async def signed_in(
    request: Request, cookie: Annotated[str | None, Security(session_cookie)] = None
) -> SignedIn:
    """The signed-in account; 403 without a valid session (no cookie, a forged or expired
    one, one signed out), as for anything else the caller may not do. A 401 would promise a
    WWW-Authenticate challenge (RFC 9110, section 15.5.2) that a cookie session has none of; 401
    stays the answer of a failed sign-in, as clients of a login call expect."""
    found = await current_user(request, cookie)
    if found is None:
        raise forbidden("sign in first (POST /api/login)")
    return found


async def signed_in_to_change(
    signed: Annotated[SignedIn, Depends(signed_in)],
    token: Annotated[str | None, Security(csrf_header)] = None,
) -> SignedIn:
    """The signed-in account of a request that changes something: it carries the CSRF token."""
    signed.check_csrf(token)
    return signed


Reader = Annotated[SignedIn, Depends(signed_in)]
Changer = Annotated[SignedIn, Depends(signed_in_to_change)]


def readable(signed: SignedIn, athlete: str) -> str:
    """The athlete's stored name if ``signed`` may read them, else 404."""
    wanted = athlete.strip().lower()
    for name in signed.access:
        if name.lower() == wanted:
            return name
    raise not_found(f"no athlete named {athlete.strip()!r} that you can see")


def writable(signed: SignedIn, athlete: str) -> str:
    """The athlete's stored name if ``signed`` may upload and log for them, else 404 / 403."""
    name = readable(signed, athlete)
    if signed.access[name] not in WRITERS:
        raise forbidden(f"you have read-only access to {name}")
    return name


def own_athlete(signed: SignedIn, athlete: str) -> str:
    """Only the athlete themselves (grants, their coach): else 404 / 403."""
    name = readable(signed, athlete)
    if signed.access[name] != OWN:
        raise forbidden(f"only {name} can change who reads their runs")
    return name


def session_owner(store: Store, ident: str) -> str | None:
    """The name of the athlete holding session ``ident``, or None when there is none."""
    parsed = parse_session_id(ident)
    if parsed is None:
        return None
    row = store.conn.execute(
        "SELECT a.name FROM sessions s JOIN athletes a ON a.id = s.athlete_id "
        "WHERE s.athlete_id = ? AND s.sha256 = ?",
        parsed,
    ).fetchone()
    return str(row[0]) if row else None


def no_session(ident: str) -> Problem:
    """The one answer for a session that does not exist and one the caller may not see."""
    return not_found(f"no session {ident!r} that you can see")


def may_read(signed: SignedIn, name: str | None) -> bool:
    """Whether ``signed`` may read the athlete ``name`` (None: nobody holds the session)."""
    wanted = (name or "").lower()
    return name is not None and any(n.lower() == wanted for n in signed.access)


def coach_only(signed: SignedIn) -> None:
    if signed.user.role != "coach":
        raise forbidden("only a coach has a roster")


async def authenticate(app: Services, name: str, password: str, client: str) -> User:
    """The account for ``name`` and ``password``; 429 past the failure limit, 401 otherwise."""
    app.limiter.check(name, client)
    user = await app.stores.read(lambda store: Accounts(store).verify(name, password))
    if user is None:
        app.limiter.failed(name, client)
        raise unauthorized("wrong name or password")
    app.limiter.succeeded(name)
    return user


def session_day(store: Store, signed: SignedIn, ident: str) -> tuple[str, str]:
    """(athlete, YYYY-MM-DD) of a session ``signed`` may log numbness against: numbness is kept
    per day (the season matches it to that day's runs), so a session gives its athlete and its
    day. 404 for a session they cannot see, 403 where they only read, 422 for an undated run."""
    owner, parsed = session_owner(store, ident), parse_session_id(ident)
    if owner is None or parsed is None or owner not in signed.access:
        raise no_session(ident)
    name = writable(signed, owner)
    row = store.conn.execute(
        "SELECT start_time FROM sessions WHERE athlete_id = ? AND sha256 = ?", parsed
    ).fetchone()
    if not row or not row[0]:
        raise Problem(422, "that run has no date: give the day instead")
    return name, str(row[0])[:10]


def recent_sessions(store: Store, names: list[str], limit: int = 20) -> list[dict[str, str]]:
    """The latest dated sessions of these athletes, newest first: what numbness is logged
    against on the home page."""
    if not names:
        return []
    marks = ", ".join("?" * len(names))
    rows = store.conn.execute(
        "SELECT s.athlete_id, s.sha256, a.name, s.start_time, coalesce(s.name, s.source_path) "
        f"FROM sessions s JOIN athletes a ON a.id = s.athlete_id WHERE a.name IN ({marks}) "
        "AND s.start_epoch IS NOT NULL ORDER BY s.start_epoch DESC LIMIT ?",
        (*names, limit),
    ).fetchall()
    return [
        {"id": session_id(a, sha), "athlete": n, "day": str(t)[:10], "name": str(label or "")}
        for a, sha, n, t, label in rows
    ]
