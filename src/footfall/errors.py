"""Errors a user can cause, each one a subclass of :class:`FootfallError`.

Every error names the file it concerns and says what is wrong in one line, so the CLI, the
batch runner and the web app can all show ``str(error)`` as it is. Names and text that come
from a file (a zip member's name, a path, a value quoted in the problem) are passed through
:func:`printable` first, so a newline cannot split the line and a terminal escape sequence
is shown, not obeyed. Nothing here is raised for a programming mistake: those stay ordinary
Python exceptions.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from footfall.model import Activity

#: Unicode categories written as escapes: controls (newline, ESC, DEL, C1), format
#: characters (bidi overrides, zero-width), undecodable bytes of a file name (lone
#: surrogates), and the line and paragraph separators
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def printable(text: str) -> str:
    """``text`` safe to show on one terminal line: every control, format or separator
    character becomes its Python escape (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff``);
    everything else, backslashes and non-Latin letters included, is kept as it is."""
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c for c in text)


def _rebuild(cls: type[FootfallError], state: dict[str, Any]) -> FootfallError:
    """Unpickle any FootfallError without calling its __init__ (whose signature varies)."""
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (error.message,)
    return error


class FootfallError(Exception):
    """Base class: a problem with the user's input, explained in one line.

    Every subclass survives ``pickle`` (a process pool or a Dask worker sends errors back to
    the parent) with its path, problem and extra fields; what does not travel well (the
    partial series of a TruncatedFile) is left behind.
    """

    #: short machine-readable kind, stable across versions (used in JSON and the store)
    kind = "error"
    #: attributes that stay in the process that raised the error
    _LOCAL_ONLY: tuple[str, ...] = ()

    def __init__(self, path: str | None, problem: str) -> None:
        self.path = path  # as given: it may be opened again, so it is not escaped here
        self.problem = printable(problem)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k not in self._LOCAL_ONLY}
        for name in self._LOCAL_ONLY:
            state[name] = None
        return (_rebuild, (type(self), state))

    @property
    def message(self) -> str:
        """One line: the path (escaped) and the problem."""
        where = f"{printable(self.path)}: " if self.path else ""
        return f"{where}{printable(self.problem)}"

    def detached(self) -> Self:
        """This error without its traceback and chained exceptions, as a batch keeps it: a
        traceback holds the frames that raised the error, and a frame can hold a whole
        decompressed member (hundreds of MB) that would then live as long as the error."""
        self.__traceback__ = None
        self.__context__ = None
        self.__cause__ = None
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "problem": self.problem}


class UnsupportedFormat(FootfallError):
    """The content is not FIT, GPX, TCX, gzip or zip (decided by content, not by name)."""

    kind = "unsupported_format"


class CorruptFile(FootfallError):
    """The file is damaged where it cannot be read past; ``offset`` is the byte position."""

    kind = "corrupt_file"

    def __init__(self, path: str | None, problem: str, offset: int | None = None) -> None:
        self.offset = offset
        if offset is not None:
            problem = f"{problem} (at byte {offset})"
        super().__init__(path, problem)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "offset": self.offset}


class TruncatedFile(CorruptFile):
    """The file ends early. In recover mode the records read so far are kept (``partial``)."""

    kind = "truncated_file"
    _LOCAL_ONLY = ("partial",)  # a whole series does not cross process boundaries

    def __init__(
        self,
        path: str | None,
        problem: str,
        offset: int | None = None,
        partial: Activity | None = None,
    ) -> None:
        self.partial = partial
        super().__init__(path, problem, offset)


class NotARun(FootfallError):
    """The activity is not a run (cycling, swimming, walking...); ``sport`` names it."""

    kind = "not_a_run"

    def __init__(self, path: str | None, sport: str, detail: str = "") -> None:
        self.sport = sport
        text = f"not a run: the file records {sport}"
        if detail:
            text = f"{text} ({detail})"
        super().__init__(path, text)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "sport": self.sport}


class NoUsableData(FootfallError):
    """Nothing to analyse: no cadence and no speed, or no records at all."""

    kind = "no_usable_data"


class LimitExceeded(FootfallError):
    """The input breaks a safety limit (docs/reliability.md): a file too large to read, an
    activity too long to analyse."""

    kind = "limit_exceeded"


class ArchiveLimitExceeded(LimitExceeded):
    """A zip/gzip archive breaks a safety limit (member count, size, nesting, compression
    ratio, or a path outside)."""

    kind = "archive_limit"


class UnexpectedError(FootfallError):
    """footfall failed on this file in a way it did not foresee (a bug, or an input no rule
    covers yet). The batch records it as this file's error and goes on."""

    kind = "unexpected_error"

    @classmethod
    def wrap(cls, path: str | None, exc: BaseException) -> UnexpectedError:
        text = " ".join(str(exc).split())[:200] or "no message"
        return cls(path, f"footfall could not read this file ({type(exc).__name__}: {text})")


class ProfileError(FootfallError):
    """The athlete profile (TOML or flags) is invalid."""

    kind = "profile_error"


def error_from_dict(data: dict[str, Any]) -> FootfallError:
    """The error a ``to_dict()`` describes (for results read back from JSON or the store)."""
    kinds = {cls.kind: cls for cls in _all_subclasses(FootfallError)}
    cls = kinds.get(str(data.get("kind")), FootfallError)
    state = {k: v for k, v in data.items() if k != "kind"}
    state.setdefault("path", None)
    state.setdefault("problem", "")
    return _rebuild(cls, state)


def _all_subclasses(cls: type[FootfallError]) -> list[type[FootfallError]]:
    out: list[type[FootfallError]] = [cls]
    for sub in cls.__subclasses__():
        out.extend(_all_subclasses(sub))
    return out
