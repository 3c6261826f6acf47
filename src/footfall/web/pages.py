"""The HTML side: sign-in, the home page with its forms, and the report pages.

The season, roster and session pages are the report's own (footfall.report), drawn in the
analysis processes and served with the Content-Security-Policy they carry, sent as a header
too, plus ``frame-ancestors 'none'``. They load plotly.js from ``/assets/`` (the copy shipped
with the plotly package). Forms carry the session's CSRF token and answer with a page saying
what was done, with a link back. The home page's one script (``/static/upload.js``) turns
the upload form into a drop zone with progress; without it the form posts as it is.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from footfall.errors import FootfallError
from footfall.report.html import plotly_asset_name
from footfall.report.template_cache import bytecode_cache
from footfall.store import Store, queries
from footfall.store.accounts import WRITERS, Accounts
from footfall.web import rendering
from footfall.web.api import MAX_NOTE_LENGTH, read_all
from footfall.web.auth import COOKIE_NAME, SignedIn, client_of
from footfall.web.deps import (
    Services,
    ServicesDep,
    authenticate,
    coach_only,
    current_user,
    may_read,
    no_session,
    readable,
    recent_sessions,
    session_day,
    session_owner,
    writable,
)
from footfall.web.problems import Problem, forbidden, not_found

router = APIRouter(include_in_schema=False)

#: the policy of footfall's own pages: scripts, styles and images from the app only (no
#: inline script: the upload script is a file), requests back to the app only
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("footfall.web", "templates"),
        autoescape=select_autoescape(["html"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )


def plotly_src() -> str:
    return "/" + plotly_asset_name()


def page(
    template: str, status: int = 200, signed: SignedIn | None = None, **values: Any
) -> Response:
    from footfall.version import installed_version

    text = (
        templates()
        .get_template(template)
        .render(
            user=signed.user if signed else None,
            csrf=signed.csrf if signed else "",
            version=installed_version(),
            **values,
        )
    )
    return HTMLResponse(text, status, headers={"Content-Security-Policy": PAGE_CSP})


def message(
    signed: SignedIn | None, title: str, text: str, status: int = 200, **values: Any
) -> Response:
    values.setdefault("files", None)
    values.setdefault("back", "/")
    return page(
        "message.html", status, signed, title=title, message=text, problem=status >= 400, **values
    )


def report_response(text: str) -> Response:
    """A report page with its own policy as the header (and no framing)."""
    found = _META_CSP.search(text)
    policy = html.unescape(found.group(1)) if found else PAGE_CSP
    return HTMLResponse(
        text, headers={"Content-Security-Policy": policy + "; frame-ancestors 'none'"}
    )


async def page_user(request: Request) -> SignedIn | None:
    return await current_user(request, request.cookies.get(COOKIE_NAME))


def to_sign_in() -> Response:
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/")
async def home(request: Request, app: ServicesDep) -> Response:
    signed = await page_user(request)
    if signed is None:
        return to_sign_in()

    def load(store: Store) -> dict[str, Any]:
        rows = []
        for name, how in signed.access.items():
            athlete = store.athlete(name)
            last = queries.last_session(store, athlete) if athlete else None
            rows.append(
                {
                    "name": name,
                    "href": rendering.athlete_href(name),
                    "access": how,
                    "sessions": queries.counts(store, athlete)["sessions"] if athlete else 0,
                    "last": str(last["start_time"])[:10] if last and last["start_time"] else None,
                }
            )
        accounts = Accounts(store)
        coach = signed.user.role == "coach"
        return {
            "athletes": rows,
            "requests": accounts.requests(signed.user) if coach else [],
            "readers": [] if coach else accounts.readers(signed.user),
            "recent": recent_sessions(store, [n for n, h in signed.access.items() if h in WRITERS]),
        }

    values = await app.stores.read(load)
    writable_names = [n for n, how in signed.access.items() if how in WRITERS]
    return page(
        "home.html",
        200,
        signed,
        title=signed.user.name,
        writable=writable_names,
        max_upload_bytes=app.settings.max_upload_bytes,
        max_upload_mb=app.settings.max_upload_bytes // (1024 * 1024),
        **values,
    )


@router.get("/sign-in")
async def sign_in_form(request: Request, app: ServicesDep) -> Response:
    if await page_user(request) is not None:
        return RedirectResponse("/", status_code=303)
    return page(
        "sign_in.html", title="Sign in", token=app.sessions.form_token(), error=None, name=""
    )


@router.post("/sign-in")
async def sign_in(
    request: Request,
    app: ServicesDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    token: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    app.sessions.check_form_token(token)
    try:
        user = await authenticate(app, name, password, client_of(request))
    except Problem as problem:
        if problem.status not in (401, 429):
            raise
        response = page(
            "sign_in.html",
            problem.status,
            title="Sign in",
            token=app.sessions.form_token(),
            error=problem.detail,
            name=name,
        )
        response.headers.update(problem.headers)
        return response
    response = RedirectResponse("/", status_code=303)
    cookie, _ = app.sessions.new_session(user)
    app.sessions.set_cookie(response, cookie)
    return response


@router.post("/sign-out")
async def sign_out(
    request: Request, app: ServicesDep, csrf: Annotated[str, Form(max_length=512)] = ""
) -> Response:
    signed = await page_user(request)
    response = to_sign_in()
    if signed is not None:
        signed.check_csrf(csrf)
        await app.stores.write(lambda store: Accounts(store).end_sessions(signed.user))
    app.sessions.clear(response)
    return response


async def _signed(request: Request) -> SignedIn:
    signed = await page_user(request)
    if signed is None:  # a form posted from a page whose session has ended
        raise forbidden("sign in first")
    return signed


@router.get("/roster")
async def roster(request: Request, app: ServicesDep) -> Response:
    signed = await page_user(request)
    if signed is None:
        return to_sign_in()
    coach_only(signed)
    names = [n for n, how in signed.access.items() if how == "coach"]
    text = await app.stores.compute(
        rendering.roster_page, str(app.settings.home), names, plotly_src()
    )
    return report_response(text)


@router.get("/athletes/{athlete}")
async def season(athlete: str, request: Request, app: ServicesDep) -> Response:
    signed = await page_user(request)
    if signed is None:
        return to_sign_in()
    name = readable(signed, athlete)
    coach = signed.user.role == "coach"
    text = await app.stores.compute(
        rendering.season_page, str(app.settings.home), name, coach, plotly_src()
    )
    if text is None:
        raise not_found(f"{name} has no runs stored yet")
    return report_response(text)


@router.get("/sessions/{ident}/report")
async def session(ident: str, request: Request, app: ServicesDep) -> Response:
    signed = await page_user(request)
    if signed is None:
        return to_sign_in()
    # the athlete holding the session decides who may see it; nothing else is read before
    name = await app.stores.read(lambda store: session_owner(store, ident))
    if name is None or not may_read(signed, name):
        raise no_session(ident)
    _, sha = ident.split("-", 1)
    text = await app.stores.compute(
        rendering.session_page, str(app.settings.home), name, sha, plotly_src()
    )
    if text is None:  # gone since (a richer file of the same run took its place)
        raise no_session(ident)
    return report_response(text)


@router.post("/upload")
async def upload(
    request: Request,
    app: ServicesDep,
    athlete: Annotated[str, Form(max_length=64)],
    file: list[UploadFile],
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    signed = await _signed(request)
    signed.check_csrf(csrf)
    name = writable(signed, athlete)
    report = await app.uploads.upload(name, await read_all(file))
    for entry in report.files:
        if entry.get("id"):
            entry["href"] = rendering.report_href(entry["id"])
    status = 422 if report.all_failed else 200
    text = (
        f"{report.new_sessions} new session{'' if report.new_sessions == 1 else 's'} for {name}"
        if not report.all_failed
        else "Nothing in what was sent could be read as a run."
    )
    return message(signed, "Upload", text, status, files=report.files)


@router.post("/symptoms")
async def symptoms(
    request: Request,
    app: ServicesDep,
    side: Annotated[str, Form(max_length=5)],
    athlete: Annotated[str, Form(max_length=64)] = "",
    date: Annotated[str, Form(max_length=10)] = "",
    session: Annotated[str, Form(max_length=128)] = "",
    at: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=MAX_NOTE_LENGTH)] = "",
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    from footfall.web.api import RunSymptom, log_numbness, the_day

    signed = await _signed(request)
    signed.check_csrf(csrf)
    if side not in ("left", "right", "both"):
        raise Problem(422, f"side {side!r}: use left, right or both")
    if session:  # against a stored run: its athlete and its day
        name, day = await app.stores.read(lambda s: session_day(s, signed, session))
    elif not date.strip():
        raise Problem(422, "choose the run, or give the day, the numbness came with")
    else:
        name, day = writable(signed, athlete), the_day(date)
    entry = RunSymptom(side=side, at=at.strip() or None, note=note or None)  # type: ignore[arg-type]
    await log_numbness(app, name, day, entry)
    return message(signed, "Numbness logged", f"{name}: numbness ({side}) on {day} logged")


@router.post("/grants")
async def grants(
    request: Request,
    app: ServicesDep,
    reader: Annotated[str, Form(max_length=64)],
    action: Annotated[str, Form(max_length=8)],
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    signed = await _signed(request)
    signed.check_csrf(csrf)
    if signed.user.role != "athlete":
        raise Problem(403, "only an athlete grants access to their own runs")
    if action not in ("grant", "revoke"):
        raise Problem(422, f"action {action!r}: grant or revoke")
    return await _change(app, signed, action, reader)


@router.post("/coaching")
async def coaching(
    request: Request,
    app: ServicesDep,
    action: Annotated[str, Form(max_length=8)],
    coach: Annotated[str, Form(max_length=64)] = "",
    athlete: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    signed = await _signed(request)
    signed.check_csrf(csrf)
    role = signed.user.role
    if (role, action) in (("athlete", "ask"), ("athlete", "leave")):
        return await _change(app, signed, action, coach)
    if (role, action) in (("coach", "accept"), ("coach", "decline")):
        return await _change(app, signed, action, athlete)
    raise Problem(403, f"a {role} cannot {action} here")


async def _change(app: Services, signed: SignedIn, action: str, other: str) -> Response:
    """One change of who reads whom, as a page saying what happened."""
    user = signed.user

    def change(store: Store) -> bool:
        accounts = Accounts(store)
        if action == "grant":
            return accounts.grant(user, other)
        if action == "revoke":
            return accounts.revoke(user, other)
        if action == "ask":
            accounts.ask_coach(user, other)
            return True
        if action == "leave":
            return accounts.leave_coach(user)
        if action == "accept":
            return accounts.accept(user, other)
        return accounts.drop(user, other)

    try:
        done = await app.stores.write(change)
    except FootfallError as exc:
        return message(signed, "Not done", exc.problem, 404 if "no " in exc.problem else 422)
    texts = {
        "grant": f"{other} can read your runs",
        "revoke": f"{other} can no longer read your runs",
        "ask": f"asked {other} to coach you: they see your runs once they accept",
        "leave": "you have no coach now",
        "accept": f"{other} is on your roster",
        "decline": f"{other} is not on your roster",
    }
    if not done and action != "grant":
        return message(signed, "Nothing to change", f"nothing to {action} for {other}", 404)
    return message(signed, "Done", texts[action])
