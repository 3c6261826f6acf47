"""What footfall must do with any input: every activity analysed, or a one-line
:class:`FootfallError` naming the file, with no warning printed on the way.

:func:`check` runs the library as the CLI does (``iter_activities`` then ``analyze`` and the
JSON dict), but without the batch's safety net, so an exception footfall did not foresee
surfaces here with its traceback instead of becoming an ``UnexpectedError``.
"""

from __future__ import annotations

import hashlib
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from footfall.errors import FootfallError, UnexpectedError, printable

#: the frames of footfall's own code, where a failure's signature is taken from
_OWN = ("/footfall/",)
#: warnings Python's default filters do not print outside __main__: a user never sees them
_HIDDEN = {"DeprecationWarning", "PendingDeprecationWarning", "ImportWarning", "ResourceWarning"}


@dataclass
class Result:
    """One input's outcome: ``failures`` is empty when footfall behaved."""

    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0  # this process's CPU: what "bounded time" is judged on
    analysed: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # error kind -> count
    failures: list[Failure] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    kind: str  # "exception", "warning", "message", "unexpected", "slow"
    signature: str  # what makes two failures the same bug: type and footfall frame
    detail: str  # one line for the report; ``trace`` holds the traceback

    trace: str = ""

    @property
    def key(self) -> str:
        return hashlib.sha1(f"{self.kind}:{self.signature}".encode()).hexdigest()[:10]


def check(path: Path, *, errors: str = "recover") -> Result:
    """Run footfall on ``path`` and judge what happened."""
    from footfall.pipeline import analyze, iter_activities
    from footfall.report.json import analysis_to_dict

    result = Result()
    start, cpu = time.perf_counter(), time.process_time()
    caught: list[tuple[str, str]] = []  # (category, where), where = the footfall frame

    def record(
        message: Warning | str, category: type[Warning], filename: str, lineno: int, *args: object
    ) -> None:
        own = [f for f in traceback.extract_stack() if any(m in f.filename for m in _OWN)]
        where = own[-1] if own else None
        place = (
            f"{_short(where.filename)}:{where.lineno}" if where else f"{_short(filename)}:{lineno}"
        )
        caught.append((f"{category.__name__}: {message}", place))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = record
        try:
            for item in iter_activities(path, errors=errors):  # type: ignore[arg-type]
                if isinstance(item, FootfallError):
                    _judge_error(item, path, result)
                    continue
                try:
                    analysis_to_dict(analyze(item))
                    result.analysed += 1
                except FootfallError as exc:
                    _judge_error(exc, path, result)
        except Exception as exc:  # what the oracle is here to find
            result.failures.append(_exception(exc))
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - cpu
    for text, where in caught:
        kind = text.split(":", 1)[0]
        if kind not in _HIDDEN:
            result.failures.append(Failure("warning", f"{kind} {where}", f"{text} ({where})"))
    return result


def _judge_error(error: FootfallError, path: Path, result: Result) -> None:
    result.refused[error.kind] = result.refused.get(error.kind, 0) + 1
    text = str(error)
    if isinstance(error, UnexpectedError):
        result.failures.append(Failure("unexpected", text.split(": ", 1)[-1][:80], text))
    if "\n" in text or "\r" in text or printable(text) != text:
        result.failures.append(
            Failure("message", f"{error.kind} not one printable line", repr(text)[:300])
        )
    if not text.startswith(printable(str(path))):
        result.failures.append(
            Failure("message", f"{error.kind} does not name the file", text[:300])
        )


def _exception(exc: BaseException) -> Failure:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if any(mark in f.filename for mark in _OWN)]
    where = own[-1] if own else (frames[-1] if frames else None)
    place = f"{_short(where.filename)}:{where.lineno}" if where else "?"
    text = " ".join(str(exc).split())[:160]
    return Failure(
        "exception",
        f"{type(exc).__name__} {place}",
        f"{type(exc).__name__}: {text} ({place})",
        "".join(traceback.format_exception(exc)),
    )


def _short(filename: str) -> str:
    for mark in ("/src/", "/site-packages/", "/lib/python3"):
        if mark in filename:
            return filename.split(mark, 1)[1]
    return filename
