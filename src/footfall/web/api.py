"""The JSON API under ``/api`` (its schema is ``/openapi.json``; docs/web.md lists it).

Signing in (``POST /api/session``) sets the session cookie and returns the CSRF token every
changing request sends back as ``X-CSRF-Token``. Errors are ``{"detail": "one line"}`` with
the status that says what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from footfall.errors import FootfallError
from footfall.store import SCHEMA_VERSION, Store, queries
from footfall.store.accounts import MAX_PASSWORD_LENGTH, Accounts
from footfall.store.database import MAX_NAME_LENGTH
from footfall.web import rendering
from footfall.web.auth import client_of
from footfall.web.deps import (
    Changer,
    Reader,
    ServicesDep,
    authenticate,
    readable,
    writable,
)
from footfall.web.problems import Problem, bad_request, not_found

router = APIRouter(prefix="/api")

#: the longest symptom note kept [heuristic: a sentence or two, it is shown on the season page]
MAX_NOTE_LENGTH = 500
AthleteName = Annotated[
    str, Path(min_length=1, max_length=MAX_NAME_LENGTH, description="the athlete's name")
]
Sha = Annotated[
    str, Path(pattern="^[0-9a-f]{64}$", description="the session's sha256 (of the original)")
]


class SignIn(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class SymptomEntry(BaseModel):
    date: str = Field(
        min_length=1, max_length=10, description="YYYY-MM-DD or 'today'", examples=["2026-05-01"]
    )
    side: Literal["left", "right", "both"]
    at: str | None = Field(
        default=None, max_length=16, description="when in the run: 25m, 1h05m, 25:30"
    )
    note: str | None = Field(default=None, max_length=MAX_NOTE_LENGTH)


def the_day(text: str) -> str:
    try:
        day = date.today() if text.strip().lower() == "today" else date.fromisoformat(text)
    except ValueError:
        raise Problem(422, f"date {text!r}: give the day as YYYY-MM-DD (or 'today')") from None
    return day.isoformat()


@router.get("/health")
async def health() -> dict[str, Any]:
    """Whether the app is up (no sign-in needed)."""
    from footfall.version import installed_version

    return {"status": "ok", "version": installed_version(), "schema": SCHEMA_VERSION}


@router.post("/session")
async def sign_in(body: SignIn, request: Request, app: ServicesDep) -> JSONResponse:
    """Sign in: sets the session cookie; returns the account and its CSRF token."""
    user = await authenticate(app, body.name, body.password, client_of(request))
    cookie, csrf = app.sessions.new_session(user)
    response = JSONResponse({"user": user.to_dict(), "csrf": csrf})
    app.sessions.set_cookie(response, cookie)
    return response


@router.delete("/session", status_code=204)
async def sign_out(signed: Changer, app: ServicesDep) -> Response:
    """Sign out everywhere: every session cookie of the account stops working."""
    await app.stores.write(lambda store: Accounts(store).end_sessions(signed.user))
    response = Response(status_code=204)
    app.sessions.clear(response)
    return response


@router.get("/me")
async def me(signed: Reader, app: ServicesDep) -> dict[str, Any]:
    """The account, the athletes it may see (and how), its grants and coach requests."""

    def load(store: Store) -> dict[str, Any]:
        accounts = Accounts(store)
        user = signed.user
        out: dict[str, Any] = {**user.to_dict(), "athletes": signed.access}
        if user.role == "coach":
            out["requests"] = accounts.requests(user)
        else:
            out["readers"] = accounts.readers(user)
        return out

    return await app.stores.read(load)


@router.get("/athletes")
async def athletes(signed: Reader, app: ServicesDep) -> list[dict[str, Any]]:
    """The athletes the account may see: access, number of sessions, last session."""

    def load(store: Store) -> list[dict[str, Any]]:
        rows = []
        for name, how in signed.access.items():
            athlete = store.athlete(name)
            if athlete is None:
                continue
            rows.append(
                {
                    "name": athlete.name,
                    "access": how,
                    "sessions": queries.counts(store, athlete)["sessions"],
                    "last_session": queries.last_session(store, athlete),
                }
            )
        return rows

    return await app.stores.read(load)


@router.get("/athletes/{athlete}/season")
async def season(athlete: AthleteName, signed: Reader, app: ServicesDep) -> dict[str, Any]:
    """The athlete's season JSON (docs/season-json.md)."""
    name = readable(signed, athlete)
    found = await app.stores.compute(rendering.season_json, str(app.settings.home), name)
    if found is None:
        raise not_found(f"{name} has no runs stored yet")
    return found


@router.get("/athletes/{athlete}/files")
async def files(athlete: AthleteName, signed: Reader, app: ServicesDep) -> list[dict[str, Any]]:
    """What became of every file uploaded or imported for the athlete."""
    name = readable(signed, athlete)
    return await app.stores.read(lambda s: queries.files(s, s.require_athlete(name)))


@router.get("/athletes/{athlete}/sessions/{sha}")
async def session(athlete: AthleteName, sha: Sha, signed: Reader, app: ServicesDep) -> Response:
    """One session's stored analysis JSON (docs/analysis-json.md)."""
    name = readable(signed, athlete)

    def load(store: Store) -> str | None:
        found = store.athlete(name)
        if found is None:
            return None
        row = store.conn.execute(
            "SELECT analysis_json FROM sessions WHERE athlete_id = ? AND sha256 = ?",
            (found.id, sha),
        ).fetchone()
        return str(row[0]) if row else None

    text = await app.stores.read(load)
    if text is None:
        raise not_found(f"{name} has no session {sha[:12]}")
    return Response(text, media_type="application/json")


@router.post(
    "/athletes/{athlete}/uploads",
    status_code=201,
    responses={200: {"description": "nothing new"}, 413: {}, 422: {}, 503: {}},
)
async def upload(
    athlete: AthleteName,
    signed: Changer,
    app: ServicesDep,
    file: Annotated[UploadFile, File(description="a FIT, GPX or TCX file, .gz, or a zip")],
) -> JSONResponse:
    """Upload a run (or an export zip): stored first, analysed, recorded. 201 when it gave a
    new session, 200 when everything in it was known or not a run, 422 when nothing in it
    could be read."""
    name = writable(signed, athlete)
    data = await file.read()
    if not data:
        raise Problem(422, "the uploaded file is empty")
    report = await app.uploads.upload(name, file.filename, data)
    if report.all_failed:
        reason = report.files[0].get("reason") or "not a readable activity file"
        return JSONResponse({"detail": reason, **report.to_dict()}, status_code=422)
    return JSONResponse(report.to_dict(), status_code=201 if report.new_sessions else 200)


@router.post("/athletes/{athlete}/symptoms", status_code=201)
async def log_symptom(
    athlete: AthleteName, entry: SymptomEntry, signed: Changer, app: ServicesDep
) -> dict[str, Any]:
    """Log numbness for the athlete: the day, the side, when in the run it started."""
    from footfall.coaching.symptoms import parse_onset

    name = writable(signed, athlete)
    day = the_day(entry.date)
    try:
        onset = parse_onset(entry.at) if entry.at else None
    except FootfallError as exc:
        raise bad_request(exc, 422) from None
    note = " ".join(entry.note.split()) if entry.note else None

    def log(store: Store) -> int:
        return store.log_symptom(store.require_athlete(name), day, entry.side, onset, note)

    ident = await app.stores.write(log)
    return {"id": ident, "athlete": name, "date": day, "side": entry.side, "onset_s": onset}
