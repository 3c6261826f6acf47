"""The streaming import behind ``footfall season``.

The parent expands the paths (folders, globs, single files, .gz, Strava and Garmin bulk
exports), hands each original to an :class:`ImportLedger` (the store) *before* it is parsed,
and sends the new ones to the workers of an engine (footfall.batch.engines). Workers return
one small :class:`SessionResult` per original as they finish; the parent records each one.
At most a few originals per worker are in flight, so memory does not grow with the number of
files. Strava's ``activities.csv`` gives activities their names and sports: what it lists
as another sport is recorded as not a run without being parsed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from footfall.batch import expand_paths
from footfall.batch.engines import Engine, stream
from footfall.config import Profile
from footfall.errors import FootfallError, NotARun, UnexpectedError
from footfall.io.archive import iter_members
from footfall.io.files import read_file
from footfall.io.sport import is_run, sport_from_label
from footfall.model import Analysis, SessionResult
from footfall.pipeline import activity_from_bytes
from footfall.pipeline import analyze as run_analysis

STRAVA_INDEX = "activities.csv"


@dataclass(frozen=True)
class Original:
    """One activity file's bytes on their way to a worker."""

    path: str  # the file, or ``archive!member``
    data: bytes
    fmt: str | None
    sha256: str
    name: str | None = None  # the activity's name from Strava's activities.csv


class ImportLedger(Protocol):
    """Where an import writes (footfall.store's ``Ledger``): every method runs in the parent."""

    def settled(self, sha256: str) -> bool: ...
    def known(self, sha256: str, path: str) -> None: ...
    def keep(self, data: bytes, sha256: str, path: str, fmt: str | None) -> None: ...
    def refuse(self, error: FootfallError) -> None: ...
    def record(self, result: SessionResult) -> str: ...


#: called after each file: (files done so far, the file)
Progress = Callable[[int, str], None]


def analysis_of_original(
    path: str, data: bytes, fmt: str | None, profile: Profile, name: str | None = None
) -> Analysis:
    """The full analysis (with its series) of one stored original, e.g. to draw its report."""
    activity = activity_from_bytes(data, path, fmt=fmt)
    if name:
        activity.source.name = name
    return run_analysis(activity, profile)


def analyse_original(
    path: str, data: bytes, fmt: str | None, profile: Profile, name: str | None = None
) -> SessionResult:
    """One original analysed in a worker: its analysis dict or its error, never an exception."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        analysis = analysis_of_original(path, data, fmt, profile, name)
        return SessionResult(path, sha, analysis=analysis.to_dict())
    except FootfallError as exc:
        return SessionResult(path, sha, error=exc)
    except Exception as exc:  # one file must never stop the batch
        return SessionResult(path, sha, error=UnexpectedError.wrap(path, exc))


def strava_names(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """Strava's activities.csv beside a bulk export's files: ``{file path: (activity name,
    sport)}``, keyed as the members are named (``folder/activities/1.fit.gz`` or
    ``export.zip!activities/1.fit.gz``); {} when there is none or it cannot be read."""
    try:
        if path.is_dir():
            text = (path / STRAVA_INDEX).read_text(encoding="utf-8-sig")
            prefix = str(path) + os.sep
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == STRAVA_INDEX]
                if not names:
                    return {}
                index = min(names, key=len)
                text = archive.read(index).decode("utf-8-sig")
                prefix = f"{path}!{index[: -len(STRAVA_INDEX)]}"
        else:
            return {}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, RuntimeError):
        return {}
    out: dict[str, tuple[str | None, str | None]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if filename:
            key = prefix + filename.replace("/", os.sep) if path.is_dir() else prefix + filename
            out[key] = (row.get("Activity Name") or None, row.get("Activity Type") or None)
    return out


def iter_originals(paths: Iterable[str | Path], ledger: ImportLedger) -> Iterator[Original]:
    """Every activity of every path, stored through ``ledger`` before it is parsed; what is
    already settled, what cannot be read and what Strava lists as another sport go to the
    ledger here and are not yielded."""
    paths = list(paths)
    files, problems = expand_paths(paths)
    for problem in problems:
        ledger.refuse(problem)
    strava: dict[str, tuple[str | None, str | None]] = {}
    for raw in paths:
        strava.update(strava_names(Path(raw)))
    seen: set[str] = set()
    for path in files:
        try:
            data = read_file(path)  # regular files only, capped (io/files.py)
        except FootfallError as exc:
            ledger.refuse(exc.detached())
            continue
        yield from _originals_of(path, data, ledger, strava, seen)


def originals_of_upload(name: str, data: bytes, ledger: ImportLedger) -> Iterator[Original]:
    """The activities of one uploaded file (a FIT, GPX or TCX file, .gz, or an export zip)
    named ``name``: each member kept through ``ledger`` before it is parsed, as
    :func:`iter_originals` does for files on disk; the new ones are yielded for analysis."""
    yield from _originals_of(Path(name), data, ledger, {}, set())


def _originals_of(
    path: Path,
    data: bytes,
    ledger: ImportLedger,
    strava: dict[str, tuple[str | None, str | None]],
    seen: set[str],
) -> Iterator[Original]:
    """The members of one file, one at a time (an archive is never unpacked whole)."""
    started = False
    try:
        for name, content, fmt in _members(data, str(path), ledger):
            started = True
            sha = hashlib.sha256(content).hexdigest()
            if sha in seen or ledger.settled(sha):
                ledger.known(sha, name)
                continue
            seen.add(sha)
            ledger.keep(content, sha, name, fmt)
            title, sport = strava.get(name, (None, None))
            label = sport_from_label(sport)
            if is_run(label) is False:
                error = NotARun(name, str(label), "from Strava's activities.csv")
                ledger.record(SessionResult(name, sha, error=error))
                continue
            yield Original(name, content, fmt, sha, title)
    except FootfallError as exc:
        if started:  # an archive that breaks half-way: what came before it is kept
            ledger.refuse(exc)
            return
        sha = hashlib.sha256(data).hexdigest()  # unreadable whole: keep it as it came
        if not ledger.settled(sha):
            ledger.keep(data, sha, str(path), None)
            ledger.record(SessionResult(str(path), sha, error=exc))


def _members(
    data: bytes, path: str, ledger: ImportLedger
) -> Iterator[tuple[str, bytes, str | None]]:
    for member in iter_members(data, path):
        if member.error is not None:
            ledger.refuse(member.error)
        elif member.data is not None:
            yield member.name, member.data, member.fmt


def import_files(
    paths: Iterable[str | Path],
    ledger: ImportLedger,
    profile: Profile,
    *,
    engine: Engine = "pool",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> None:
    """Import ``paths`` into ``ledger``: originals kept first, new ones analysed on the
    engine, each result recorded as soon as it arrives."""
    jobs = ((o, (o.path, o.data, o.fmt, profile, o.name)) for o in iter_originals(paths, ledger))
    finished = stream(analyse_original, jobs, engine, workers, scheduler)
    for done, (original, result) in enumerate(finished, start=1):
        if result.sha256 is None:  # a worker that died could not say
            result.sha256 = original.sha256
        ledger.record(result)
        if progress is not None:
            progress(done, original.path)


def reanalyse_originals(
    entries: Iterable[tuple[str, str, str | None, str | None]],
    read: Callable[[str], bytes],
    ledger: ImportLedger,
    profile: Profile,
    *,
    engine: Engine = "pool",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> None:
    """Analyse stored originals again (after an upgrade, or a changed profile): ``entries``
    are (sha256, path, format, activity name); ``read`` gives an original's bytes."""

    def jobs() -> Iterator[tuple[str, tuple[object, ...]]]:
        for sha, path, fmt, name in entries:
            try:
                data = read(sha)
            except FootfallError as exc:
                ledger.record(SessionResult(path, sha, error=exc))
                continue
            yield sha, (path, data, fmt, profile, name)

    finished = stream(analyse_original, jobs(), engine, workers, scheduler)
    for done, (sha, result) in enumerate(finished, start=1):
        if result.sha256 is None:
            result.sha256 = sha
        ledger.record(result)
        if progress is not None:
            progress(done, result.source_path)
