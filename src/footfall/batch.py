"""Many files: expand folders, read each file (or archive member) in isolation, analyse it.

The CLI and the web app both call this module; neither loops over files itself. Every file
gives its own :class:`Outcome`: an analysis, or the one error that explains why there is
none. One bad file never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from footfall.coaching.symptoms import Numbness
from footfall.config import Profile
from footfall.errors import FootfallError, NotARun, UnsupportedFormat
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
    skipped). A folder without any gives an error instead of silently nothing."""
    files: list[Path] = []
    problems: list[FootfallError] = []
    suffixes = activity_suffixes()  # the registry's, read now (a reader may have been added)
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in suffixes
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            names = ", ".join(suffixes)
            problems.append(UnsupportedFormat(str(path), f"no {names} files in this folder"))
        files.extend(found)
    return files, problems


def iter_outcomes(
    files: Iterable[Path],
    profile: Profile,
    *,
    errors: ErrorPolicy = "recover",
    numbness: Numbness | None = None,
) -> Iterator[tuple[Path, Outcome]]:
    """(file given, outcome) for every activity in every file, in order."""
    for path in files:
        for item in iter_activities(path, errors=errors):
            if isinstance(item, FootfallError):
                yield path, Outcome(item.path or str(path), error=item)
                continue
            yield path, Outcome(item.source.path, analysis=run_analysis(item, profile, numbness))


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
