"""What the season commands write: the season (JSON and page), session pages drawn from the
stored originals, and the roster, in one folder that shares one plotly.js.

Layout under the output folder (default ``reports/``)::

    roster.html, roster.json
    assets/plotly-<version>.min.js
    <athlete>/season.html, season.json
    <athlete>/sessions/<date>-<sha256[:12]>.html
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from footfall.batch.engines import Engine
    from footfall.config import Profile
    from footfall.store import Athlete, Store

SEASON_FILE = "season.html"
ROSTER_FILE = "roster.html"
_UNSAFE = re.compile(r"[^a-z0-9]+")


def open_store(readonly: bool = False, missing_ok: bool = False) -> Any:
    """The store under FOOTFALL_HOME; ``missing_ok`` gives a null context when a reader
    finds none yet."""
    from contextlib import nullcontext

    from footfall.store import Store, home_folder
    from footfall.store.database import DATABASE_NAME

    if readonly and missing_ok and not (home_folder() / DATABASE_NAME).is_file():
        return nullcontext(None)
    return Store(readonly=readonly)


def slug(name: str) -> str:
    """'Ana María' -> 'ana-mar-a': the athlete's folder name."""
    return _UNSAFE.sub("-", name.lower()).strip("-") or "athlete"


def folders(store: Store) -> dict[str, str]:
    """Athlete name -> folder, unique even when two names give the same slug."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for athlete in store.athletes():
        base = slug(athlete.name)
        name = base if base not in used else f"{base}-{athlete.id}"
        used.add(name)
        out[athlete.name] = name
    return out


def session_stem(row: dict[str, Any]) -> str:
    return f"{row['date']}-{row['sha256'][:12]}"


def build_season(store: Store, athlete: Athlete, report: dict[str, Any] | None) -> dict[str, Any]:
    """The athlete's season from the store; the progression step it ends on is stored."""
    from footfall.season import season_analysis
    from footfall.store import queries

    season = season_analysis(
        athlete.to_dict(), queries.analyses(store, athlete), store.symptoms(athlete), report
    )
    progression = season.get("progression") or {}
    step = float((progression.get("current_step") or {}).get("pct") or 0.0)
    last = progression.get("last_change") or {}
    reason = last.get("reason")
    if step != athlete.progression_step_pct or reason != athlete.progression_reason:
        store.set_progression(athlete, step, reason)
        season["athlete"] = store.require_athlete(athlete.name).to_dict()
    return season


def write_json(target: Path, payload: dict[str, Any]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False),
        encoding="utf-8",
        errors="backslashreplace",
    )
    return target


def write_season_page(root: Path, folder: str, season: dict[str, Any]) -> Path:
    from footfall.report.html import plotly_asset_name
    from footfall.report.season_view import season_page
    from footfall.report.writer import shared_plotly

    shared_plotly(root)
    sessions = root / folder / "sessions"

    def href(sha: str) -> str | None:
        row = next((s for s in season["sessions"] if s["sha256"] == sha), None)
        if row is None:
            return None
        stem = session_stem(row)
        return f"sessions/{stem}.html" if (sessions / f"{stem}.html").is_file() else None

    roster = f"../{ROSTER_FILE}" if (root / ROSTER_FILE).is_file() else None
    page = season_page(season, href, roster_href=roster, plotly_src=f"../{plotly_asset_name()}")
    target = root / folder / SEASON_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8", errors="backslashreplace")
    return target


def write_roster_page(
    root: Path, roster: dict[str, Any], seasons: list[dict[str, Any]], names: dict[str, str]
) -> Path:
    from footfall.report.html import plotly_asset_name
    from footfall.report.season_view import roster_page
    from footfall.report.writer import shared_plotly

    shared_plotly(root)
    page = roster_page(
        roster,
        seasons,
        lambda name: f"{names.get(name, slug(name))}/{SEASON_FILE}",
        plotly_src=plotly_asset_name(),
    )
    target = root / ROSTER_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8", errors="backslashreplace")
    return target


def write_session_page(
    path: str,
    data: bytes,
    fmt: str | None,
    profile: Profile,
    name: str | None,
    target: str,
    plotly_src: str,
) -> tuple[str, str | None]:
    """In a worker: one session's report drawn from its stored original; (target, problem)."""
    from footfall.batch.imports import analysis_of_original
    from footfall.errors import FootfallError
    from footfall.report.html import ReportPage

    try:
        analysis = analysis_of_original(path, data, fmt, profile, name)
        html = ReportPage(analysis).html(plotly_src)
        Path(target).write_text(html, encoding="utf-8", errors="backslashreplace")
    except FootfallError as exc:
        return target, str(exc)
    except Exception as exc:  # one page must not stop the others
        return target, f"{path}: could not draw the report ({type(exc).__name__}: {exc})"
    return target, None


def write_session_pages(
    store: Store,
    athlete: Athlete,
    root: Path,
    folder: str,
    rows: list[dict[str, Any]],
    *,
    engine: Engine = "pool",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> tuple[list[Path], list[str]]:
    """Session reports of ``rows`` (season session rows), drawn on the engine."""
    from footfall.batch.engines import stream
    from footfall.report.html import plotly_asset_name
    from footfall.report.writer import shared_plotly
    from footfall.store import queries

    shared_plotly(root)
    out = root / folder / "sessions"
    out.mkdir(parents=True, exist_ok=True)
    formats = {sha: fmt for sha, _, fmt, _ in queries.originals_of(store, athlete)}
    src = f"../../{plotly_asset_name()}"

    def jobs() -> Iterator[tuple[str, tuple[Any, ...]]]:
        for row in rows:
            target = out / f"{session_stem(row)}.html"
            data = store.originals.get(row["sha256"])
            args = (
                row["path"],
                data,
                formats.get(row["sha256"]),
                athlete.profile,
                row.get("name"),
                str(target),
                src,
            )
            yield row["path"], args

    written: list[Path] = []
    problems: list[str] = []
    for done, (path, result) in enumerate(
        stream(write_session_page, jobs(), engine, workers, scheduler), start=1
    ):
        if isinstance(result, tuple):
            target, problem = result
            if problem is None:
                written.append(Path(target))
            else:
                problems.append(problem)
        else:  # a worker that died: its SessionResult says why
            problems.append(str(getattr(result, "error", "") or f"{path}: no report"))
        if progress is not None:
            progress(done, path)
    return written, problems


def import_summary(name: str, report: dict[str, Any]) -> str:
    return (
        f"{name}: {report['imported']} imported, {report['known']} already known, "
        f"{len(report['same_run'])} the same run as another file, "
        f"{len(report['not_run'])} not a run, {len(report['failed'])} failed"
    )
