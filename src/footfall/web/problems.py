"""A failure the client caused or must wait out, with its status and one-line reason.

Routes raise :class:`Problem`; the app answers ``{"detail": reason}`` on ``/api`` and a short
page elsewhere. Nothing a client can cause ends in a traceback or a 500.
"""

from __future__ import annotations

from footfall.errors import FootfallError


class Problem(Exception):
    """An HTTP answer other than success: ``status`` and one line saying why."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = " ".join(str(detail).split())
        self.headers = headers or {}


def bad_request(error: FootfallError, status: int = 400) -> Problem:
    """A library error about what the client sent (a name, a date, a password) as a 4xx."""
    return Problem(status, error.problem if error.path is None else str(error))


def not_found(what: str) -> Problem:
    return Problem(404, what)


def unauthorized(detail: str = "sign in first") -> Problem:
    return Problem(401, detail)


def forbidden(detail: str) -> Problem:
    return Problem(403, detail)
