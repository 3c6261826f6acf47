"""The JSON API under ``/api`` (its schema is ``/openapi.json``; docs/web.md lists it).

Signing in (``POST /api/login``) sets the session cookie and returns the ``csrf_token`` every
changing request sends back as ``X-CSRF-Token``; ``POST /api/logout`` ends the session.
A session is addressed by its id alone (``/api/sessions/{id}``): the route finds the athlete
who holds it, then answers only if the caller may read that athlete. Errors are
``{"detail": "one line"}`` with the status that says what happened.
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
    Services,
    ServicesDep,
    authenticate,
    may_read,
    no_session,
    readable,
    session_day,
    session_owner,
    writable,
)
from footfall.web.problems import Problem, bad_request, not_found
from footfall.web.uploads import Sent

router = APIRouter(prefix="/api")

#: the longest symptom note kept [heuristic: a sentence or two, it is shown on the season page]
MAX_NOTE_LENGTH = 500
AthleteName = Annotated[
    str, Path(min_length=1, max_length=MAX_NAME_LENGTH, description="the athlete's name")
]
#: ``{id}`` in the path (``id`` itself would shadow the builtin in Python)
SessionId = Annotated[
    str,
    Path(
        alias="id",
        pattern=rendering.SESSION_ID_PATTERN,
        description="the session's id, as the sessions list gives it",
    ),
]
#: the summary columns the store keeps per session, as the sessions list shows them
SUMMARY_COLUMNS = (
    "duration_s",
    "running_time_s",
    "distance_m",
    "median_cadence_spm",
    "median_speed_mps",
    "time_below_target_pct",
    "stance_time_ms",
    "overstride_score",
)


class SignIn(BaseModel):
    username: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class RunSymptom(BaseModel):
    side: Literal["left", "right", "both"]
    at: str | None = Field(
        default=None, max_length=16, description="when in the run: 25m, 1h05m, 25:30"
    )
    note: str | None = Field(default=None, max_length=MAX_NOTE_LENGTH)


class SymptomEntry(RunSymptom):
    date: str = Field(
        min_length=1, max_length=10, description="YYYY-MM-DD or 'today'", examples=["2026-05-01"]
    )


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


@router.post("/login", responses={401: {}, 429: {}})
async def login(body: SignIn, request: Request, app: ServicesDep) -> JSONResponse:
    """Sign in: sets the session cookie; returns the account and its ``csrf_token``."""
    user = await authenticate(app, body.username, body.password, client_of(request))
    cookie, csrf = app.sessions.new_session(user)
    response = JSONResponse({"user": user.to_dict(), "csrf_token": csrf})
    app.sessions.set_cookie(response, cookie)
    return response


@router.post("/logout", status_code=204)
async def logout(signed: Changer, app: ServicesDep) -> Response:
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


@router.get("/athletes/{athlete}/sessions")
async def sessions(athlete: AthleteName, signed: Reader, app: ServicesDep) -> list[dict[str, Any]]:
    """The athlete's sessions, oldest first: id, start time, summary, and the report's URL."""
    name = readable(signed, athlete)

    def load(store: Store) -> list[dict[str, Any]]:
        found = store.athlete(name)
        if found is None:  # an account whose athlete holds nothing yet
            return []
        rows = store.conn.execute(
            "SELECT sha256, start_time, name, source_path, format, verdict_severity, "
            f"verdict_title, {', '.join(SUMMARY_COLUMNS)} FROM sessions WHERE athlete_id = ? "
            "ORDER BY start_epoch IS NULL, start_epoch, sha256",
            (found.id,),
        )
        out = []
        for sha, start, title, path, fmt, severity, verdict, *summary in rows:
            ident = rendering.session_id(found.id, sha)
            out.append(
                {
                    "id": ident,
                    "sha256": sha,
                    "start_time": start,
                    "name": title,
                    "path": path,
                    "format": fmt,
                    "summary": {
                        **dict(zip(SUMMARY_COLUMNS, summary, strict=True)),
                        "verdict": {"severity": severity, "title": verdict},
                    },
                    "report": rendering.report_href(ident),
                }
            )
        return out

    return await app.stores.read(load)


@router.get("/sessions/{id}", responses={404: {}})
async def session(ident: SessionId, signed: Reader, app: ServicesDep) -> Response:
    """One session's stored analysis JSON (docs/analysis-json.md)."""

    def load(store: Store) -> str | None:
        # access is decided here, before the analysis leaves the store
        parsed = rendering.parse_session_id(ident)
        if parsed is None or not may_read(signed, session_owner(store, ident)):
            return None
        row = store.conn.execute(
            "SELECT analysis_json FROM sessions WHERE athlete_id = ? AND sha256 = ?", parsed
        ).fetchone()
        return str(row[0]) if row else None

    text = await app.stores.read(load)
    if text is None:
        raise no_session(ident)
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
    file: Annotated[
        list[UploadFile],
        File(description="one or more FIT, GPX or TCX files, .gz, or zips (repeat the field)"),
    ],
) -> JSONResponse:
    """Upload runs (or export zips): each stored first, analysed, recorded, with one result
    per activity. 201 when one gave a new session, 200 when everything was known already,
    not a run, or failed beside something that was not; 422 when nothing could be read."""
    name = writable(signed, athlete)
    report = await app.uploads.upload(name, await read_all(file))
    if report.all_failed:
        reason = report.files[0].get("reason") or "not a readable activity file"
        return JSONResponse({"detail": reason, **report.to_dict()}, status_code=422)
    return JSONResponse(report.to_dict(), status_code=201 if report.new_sessions else 200)


@router.post("/athletes/{athlete}/symptoms", status_code=201)
async def log_symptom(
    athlete: AthleteName, entry: SymptomEntry, signed: Changer, app: ServicesDep
) -> dict[str, Any]:
    """Log numbness for the athlete: the day, the side, when in the run it started."""
    return await log_numbness(app, writable(signed, athlete), the_day(entry.date), entry)


@router.post("/sessions/{id}/symptoms", status_code=201, responses={404: {}})
async def log_symptom_for_session(
    ident: SessionId, entry: RunSymptom, signed: Changer, app: ServicesDep
) -> dict[str, Any]:
    """Log numbness against a stored run: the run's athlete and day, the side, when in the run
    it started."""
    name, day = await app.stores.read(lambda store: session_day(store, signed, ident))
    return await log_numbness(app, name, day, entry)


async def log_numbness(app: Services, name: str, day: str, entry: RunSymptom) -> dict[str, Any]:
    """Store one numbness entry for ``name`` on ``day`` (the API's and the form's way)."""
    from footfall.coaching.symptoms import parse_onset

    try:
        onset = parse_onset(entry.at) if entry.at else None
    except FootfallError as exc:
        raise bad_request(exc, 422) from None
    note = " ".join(entry.note.split()) if entry.note else None

    def log(store: Store) -> int:
        return store.log_symptom(store.require_athlete(name), day, entry.side, onset, note)

    ident = await app.stores.write(log)
    return {"id": ident, "athlete": name, "date": day, "side": entry.side, "onset_s": onset}


async def read_all(files: list[UploadFile]) -> list[Sent]:
    """(name, bytes) of each uploaded file; the Guard has bounded their total size."""
    return [(f.filename, await f.read()) for f in files]
