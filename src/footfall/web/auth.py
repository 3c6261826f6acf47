"""Signing in: signed session cookies, CSRF tokens, and a limit on failed sign-ins.

- The session cookie is ``{user id, session generation, CSRF token}`` signed with
  itsdangerous (HMAC-SHA1 over a key derived from the app's secret, as Starlette's own
  sessions are), with a timestamp checked against the session's maximum age. It is
  ``HttpOnly``, ``SameSite=Strict``, ``Path=/`` and, behind HTTPS, ``Secure``. Signing out
  (or a new password) raises the account's session generation, which ends every cookie
  issued before.
- Every request that changes something must carry the session's CSRF token: the
  ``X-CSRF-Token`` header for the JSON API, a hidden ``csrf`` field in forms. The sign-in
  form carries a signed, timed token of its own.
- Failed sign-ins are counted in memory per account name and per client address over a
  sliding window; past the limit the answer is 429 with ``Retry-After``. The count lives in
  the server process: a restart forgets it (documented in docs/web.md).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.security import APIKeyCookie, APIKeyHeader
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from footfall.store.accounts import User
from footfall.web.problems import Problem, forbidden
from footfall.web.settings import WebSettings

COOKIE_NAME = "footfall_session"
#: what the cookie's signature is salted with (itsdangerous: one key, one purpose)
COOKIE_SALT = "footfall.session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"
SECRET_FILE = "web-secret.key"
#: bytes of the app's signing secret: 256 bits; RFC 2104, section 3, discourages HMAC keys shorter
#: than the hash's output (20 bytes for itsdangerous's default SHA-1)
SECRET_BYTES = 32
#: bytes of each session's CSRF token: 128 bits of randomness (OWASP's CSRF cheat sheet asks
#: for unpredictable per-session tokens)
CSRF_BYTES = 16
#: how long a sign-in form stays valid [heuristic: long enough to type a password]
SIGN_IN_FORM_MAX_AGE_S = 3600

#: how the OpenAPI schema names the two credentials (and FastAPI reads them)
session_cookie = APIKeyCookie(name=COOKIE_NAME, auto_error=False, scheme_name="session")
csrf_header = APIKeyHeader(name=CSRF_HEADER, auto_error=False, scheme_name="csrf")


def app_secret(home: Path) -> bytes:
    """The signing secret kept beside the store (mode 0600), made on first use."""
    path = home / SECRET_FILE
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_bytes(SECRET_BYTES))
    return path.read_bytes()


@dataclass(frozen=True)
class SignedIn:
    """The account behind a request, what it may see, and its session's CSRF token."""

    user: User
    csrf: str
    access: dict[str, str]

    def check_csrf(self, token: str | None) -> None:
        if not token or not secrets.compare_digest(token, self.csrf):
            raise forbidden("missing or wrong CSRF token (reload the page and try again)")


class Sessions:
    """Issues and reads the signed session cookie and the sign-in form's token."""

    def __init__(self, secret: bytes, settings: WebSettings) -> None:
        self.settings = settings
        self._cookies = URLSafeTimedSerializer(secret, salt=COOKIE_SALT)
        self._forms = URLSafeTimedSerializer(secret, salt="footfall.sign-in-form")

    def new_session(self, user: User) -> tuple[str, str]:
        """(the cookie value, its CSRF token) of a new session for ``user``."""
        csrf = secrets.token_urlsafe(CSRF_BYTES)
        return self._cookies.dumps({"u": user.id, "g": user.generation, "c": csrf}), csrf

    def set_cookie(self, response: Response, value: str) -> None:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=self.settings.session_max_age_s,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.settings.secure_cookies,
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE_NAME,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.settings.secure_cookies,
        )

    def read(self, value: str | None) -> tuple[int, int, str] | None:
        """(user id, generation, CSRF token) of a valid, unexpired cookie, else None."""
        if not value:
            return None
        try:
            payload: Any = self._cookies.loads(value, max_age=self.settings.session_max_age_s)
        except (BadSignature, SignatureExpired):
            return None
        try:
            return int(payload["u"]), int(payload["g"]), str(payload["c"])
        except (KeyError, TypeError, ValueError):
            return None

    def form_token(self) -> str:
        return self._forms.dumps("sign-in")

    def check_form_token(self, token: str | None) -> None:
        try:
            self._forms.loads(token or "", max_age=SIGN_IN_FORM_MAX_AGE_S)
        except (BadSignature, SignatureExpired):
            raise forbidden("the sign-in form has expired: reload it and try again") from None


class FailureLimiter:
    """Failed sign-ins per account name and per client address, in a sliding window."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        window = self._failures.setdefault(key, deque())
        while window and window[0] <= now - self.settings.failure_window_s:
            window.popleft()
        return window

    def check(self, name: str, client: str) -> None:
        """429 with Retry-After when either the name or the client is over its limit."""
        now = time.monotonic()
        limits = (
            (f"name:{name.strip().lower()}", self.settings.max_failures_per_name),
            (f"client:{client}", self.settings.max_failures_per_client),
        )
        with self._lock:
            for key, limit in limits:
                window = self._recent(key, now)
                if len(window) >= limit:
                    wait = int(window[0] + self.settings.failure_window_s - now) + 1
                    raise Problem(
                        429,
                        "too many failed sign-ins: wait before trying again",
                        {"Retry-After": str(max(1, wait))},
                    )

    def failed(self, name: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"name:{name.strip().lower()}", f"client:{client}"):
                self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"name:{name.strip().lower()}", None)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"
