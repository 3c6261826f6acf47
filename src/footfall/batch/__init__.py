"""Many files: expand folders, read each file (or archive member) in isolation, analyse it.

The CLI and the web app both call this module; neither loops over files itself. Every file
gives its own :class:`Outcome`: an analysis, or the one error that explains why there is
none. One bad file never stops the others.

The streaming import behind ``footfall season`` is :func:`footfall.batch.imports.import_files`,
on the engines of :mod:`footfall.batch.engines` (a process pool or Dask).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from footfall.coaching.symptoms import Numbness
from footfall.config import Profile
from footfall.errors import FootfallError, NotARun, UnexpectedError, UnsupportedFormat
from footfall.io.registry import activity_suffixes
from footfall.model import Analysis, SessionResult
from footfall.pipeline import ErrorPolicy, iter_activities
from footfall.pipeline import analyze as run_analysis


@dataclass
class Outcome:
    """What became of one activity file (or one member of an archive)."""

    path: str
    analysis: Analysis | None = None
    error: FootfallError | None = None

    @property
    def skipped(self) -> bool:
        """Not a run: left out on purpose, which is not a failure."""
        return isinstance(self.error, NotARun)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[FootfallError]]:
    """Folders stand for the activity files inside them (recursively, sorted, hidden parts
    skipped, symlinked folders not followed). A folder without any, or a path the system
    cannot even look at (a symlink loop, a name too long), gives an error for that path."""
    files: list[Path] = []
    problems: list[FootfallError] = []
    suffixes = activity_suffixes()  # the registry's, read now (a reader may have been added)
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except (OSError, ValueError) as exc:
            problems.append(UnsupportedFormat(str(path), _os_problem(exc)))
            continue
        if not is_dir:
            files.append(path)
            continue
        found = sorted(_activity_files(path, suffixes))
        if not found:
            names = ", ".join(suffixes)
            problems.append(UnsupportedFormat(str(path), f"no {names} files in this folder"))
        files.extend(found)
    return files, problems


def _activity_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in suffixes:
                yield Path(root) / name


def _os_problem(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def iter_outcomes(
    files: Iterable[Path],
    profile: Profile,
    *,
    errors: ErrorPolicy = "recover",
    numbness: Numbness | None = None,
) -> Iterator[tuple[Path, Outcome]]:
    """(file given, outcome) for every activity in every file, in order.

    Each file is isolated: an exception footfall did not foresee becomes that file's
    :class:`UnexpectedError` and the next file is read.
    """
    for path in files:
        try:
            for item in iter_activities(path, errors=errors):
                if isinstance(item, FootfallError):
                    yield path, Outcome(item.path or str(path), error=item)
                    continue
                try:
                    analysis = run_analysis(item, profile, numbness)
                except FootfallError as exc:
                    yield path, Outcome(item.source.path, error=exc)
                    continue
                except Exception as exc:  # one file must never stop the batch
                    yield (
                        path,
                        Outcome(
                            item.source.path, error=UnexpectedError.wrap(item.source.path, exc)
                        ),
                    )
                    continue
                yield path, Outcome(item.source.path, analysis=analysis)
        except Exception as exc:  # while reading: the rest of this file is lost, not the batch
            yield path, Outcome(str(path), error=UnexpectedError.wrap(str(path), exc))


def session_results(
    path: str | Path,
    profile: Profile | None = None,
    *,
    errors: ErrorPolicy = "recover",
    numbness: Numbness | None = None,
) -> list[SessionResult]:
    """Every activity of one file as small, picklable results: what a pool worker returns.

    A module-level function, so ``concurrent.futures`` and Dask can ship it to a worker.
    """
    out: list[SessionResult] = []
    for _, outcome in iter_outcomes(
        [Path(path)], profile or Profile(), errors=errors, numbness=numbness
    ):
        if outcome.analysis is not None:
            data = outcome.analysis.to_dict()
            out.append(SessionResult(outcome.path, data["source"]["sha256"], analysis=data))
        else:
            out.append(SessionResult(outcome.path, error=outcome.error))
    return out
