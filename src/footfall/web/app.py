"""The app factory: ``create_app(home)`` over the store under ``home``.

What holds for every response: a Content-Security-Policy (footfall's pages run only the
upload script from ``/static/``; report pages run only plotly.js from ``/assets/`` and their
hashed boot script; JSON forbids everything), ``nosniff``, no framing, no caching of
anything signed in. Bodies are bounded before they are read (413). Errors are one line:
``{"detail": ...}`` under ``/api``, a short page elsewhere; never a traceback. FastAPI's
``/docs`` and ``/redoc`` (which load their scripts from a CDN) are off; the schema stays at
``/openapi.json``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from footfall.errors import FootfallError
from footfall.report.html import plotly_asset_name, plotly_bundle
from footfall.store import Store, home_folder
from footfall.web import api, pages, sharing
from footfall.web.auth import FailureLimiter, Sessions, app_secret
from footfall.web.deps import Services
from footfall.web.problems import Problem
from footfall.web.settings import MAX_FORM_BYTES, WebSettings
from footfall.web.stores import StoreAccess, WorkerDied
from footfall.web.uploads import Uploads

log = logging.getLogger("footfall.web")
#: what a response says when nothing more precise was set
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: a year (RFC 2616, section 14.21: the longest advised expiry): the asset's name carries plotly's
#: version, so a new one is a new URL
ASSET_MAX_AGE_S = 365 * 24 * 3600
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"cross-origin-opener-policy": b"same-origin",
}


class BodyTooLarge(HTTPException):
    """Raised while reading a body past its limit (FastAPI passes HTTPExceptions through)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit // 1024} KiB")


def is_upload(path: str) -> bool:
    return path == "/upload" or (path.startswith("/api/athletes/") and path.endswith("/uploads"))


class Guard:
    """ASGI middleware: body limits (413) and the headers every response carries."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.max_upload_bytes if is_upload(path) else MAX_FORM_BYTES
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send, limit)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers") or [])
                names = {k.lower() for k, _ in out}
                out += [(k, v) for k, v in SECURITY_HEADERS.items() if k not in names]
                if b"content-security-policy" not in names:
                    out.append((b"content-security-policy", DEFAULT_CSP.encode()))
                if b"cache-control" not in names:
                    out.append((b"cache-control", b"no-store"))
                message = {**message, "headers": out}
            await send(message)

        await self.app(scope, bounded, with_headers)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    response = _problem_response(str(scope.get("path", "")), BodyTooLarge(limit).detail, 413)

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def _problem_response(
    path: str, detail: str, status: int, headers: dict[str, str] | None = None
) -> Response:
    if path.startswith("/api") or path == "/openapi.json":
        return JSONResponse({"detail": detail}, status, headers=headers)
    return pages.message(None, "Not done", detail, status, back="/")


def _validation_text(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return _problem_response(request.url.path, exc.detail, exc.status, exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "not possible"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}"
        headers = dict(exc.headers) if exc.headers else None
        return _problem_response(request.url.path, detail, exc.status_code, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _problem_response(request.url.path, _validation_text(exc), 422)

    @app.exception_handler(FootfallError)
    async def library_error(request: Request, exc: FootfallError) -> Response:
        return _problem_response(request.url.path, exc.problem, 400)

    @app.exception_handler(WorkerDied)
    async def worker_died(request: Request, exc: WorkerDied) -> Response:
        detail = "the process drawing this stopped before it answered; try again"
        return _problem_response(request.url.path, detail, 503, {"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("footfall: unexpected error on %s", request.url.path)
        detail = f"internal error ({type(exc).__name__}); the server log has the details"
        return _problem_response(request.url.path, detail, 500)


@lru_cache(maxsize=1)
def _plotly_bytes() -> bytes:
    return plotly_bundle().encode("utf-8")


#: the files under ``/static/`` (a fixed list: a name from the URL never reaches the disk)
STATIC_FILES = {"web.css": "text/css", "upload.js": "text/javascript"}
#: how long a browser keeps them: they are not versioned by name, so an upgrade shows
#: within the hour [heuristic]
STATIC_MAX_AGE_S = 3600


@lru_cache(maxsize=len(STATIC_FILES))
def _static(name: str) -> bytes:
    return files("footfall.web").joinpath("static", name).read_bytes()


def _assets(app: FastAPI) -> None:
    @app.get("/" + plotly_asset_name(), include_in_schema=False)
    async def plotly_js() -> Response:
        cache = f"public, max-age={ASSET_MAX_AGE_S}, immutable"
        return Response(
            _plotly_bytes(), media_type="text/javascript", headers={"Cache-Control": cache}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        media_type = STATIC_FILES.get(name)
        if media_type is None:
            raise Problem(404, f"nothing at /static/{name}")
        cache = f"public, max-age={STATIC_MAX_AGE_S}"
        return Response(_static(name), media_type=media_type, headers={"Cache-Control": cache})


def create_app(home: str | Path | None = None, settings: WebSettings | None = None) -> FastAPI:
    """The web app over the store under ``home`` (created or migrated here)."""
    from footfall.version import installed_version

    settings = settings or WebSettings(home=home_folder(home))
    Store(settings.home).close()  # create or migrate it once, before any reader opens it
    stores = StoreAccess(settings)
    services = Services(
        settings,
        stores,
        Sessions(app_secret(settings.home), settings),
        FailureLimiter(settings),
        Uploads(stores),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_resume(services)) if settings.resume_pending else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
            stores.close()

    app = FastAPI(
        title="footfall",
        version=installed_version(),
        description="Running-form cadence coach: accounts, uploads, seasons (docs/web.md).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    _handlers(app)
    _assets(app)
    app.include_router(api.router)
    app.include_router(sharing.router)
    app.include_router(pages.router)
    app.add_middleware(Guard, max_upload_bytes=settings.max_upload_bytes)
    return app


async def _resume(services: Services) -> None:
    try:
        await services.uploads.resume()
    except asyncio.CancelledError:
        raise
    except Exception:  # the server must come up even if one pending file cannot be
        log.exception("footfall: resuming pending files failed")


def app_from_environment() -> FastAPI:
    """The factory ``footfall serve`` gives uvicorn: the store at ``FOOTFALL_HOME``. A store
    that cannot be opened (busy for longer than the lock timeout, not a store, a newer
    schema) stops the server with one line."""
    try:
        return create_app(settings=WebSettings.from_environment(home_folder()))
    except FootfallError as exc:
        raise SystemExit(f"footfall: {exc}") from None


__all__ = ["app_from_environment", "create_app"]
