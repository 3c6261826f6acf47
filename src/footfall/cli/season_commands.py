"""`footfall season`, `footfall reanalyze` and `footfall report season|roster|session`.

Only typer and the standard library at import time (footfall --help stays light).
"""

from __future__ import annotations

import glob
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from footfall.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, OutputFormat, _err, app
from footfall.cli.progress import Bar
from footfall.cli_values import PlainCommand, PlainGroup
from footfall.errors import printable

if TYPE_CHECKING:
    from footfall.store import Athlete, Store


class EngineName(StrEnum):
    pool = "pool"
    dask = "dask"


ENGINE = typer.Option(
    "--engine", help="pool: a process pool on this machine (default); dask: Dask distributed"
)
SCHEDULER = typer.Option(
    "--scheduler",
    metavar="ADDRESS",
    help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
)
WORKERS = typer.Option("--workers", metavar="N", help="worker processes (default: the cores)")
FORMAT = typer.Option(
    "--format",
    "-f",
    help="html: the season page (default); json: the season JSON on stdout, or a file with "
    "--output; both: html and json files",
)
OUTPUT = typer.Option("--output", "-o", metavar="DIR", help="folder for pages (default reports/)")
SESSION_REPORTS = typer.Option(
    "--session-reports", help="also draw every session's report from its stored original"
)
OPEN = typer.Option("--open", help="open the page in a browser")


def _engine_options(engine: EngineName, scheduler: str | None, workers: int | None) -> None:
    if scheduler is not None and engine != EngineName.dask:
        _err("--scheduler needs --engine dask")
        raise typer.Exit(EXIT_USAGE)
    if workers is not None and workers < 1:
        _err(f"--workers {workers}: give at least 1")
        raise typer.Exit(EXIT_USAGE)


def _expand_globs(paths: list[Path]) -> list[Path]:
    """Quoted globs ('runs/*.fit') expanded here; a pattern matching nothing stays, so it
    is named as not found."""
    out: list[Path] = []
    for path in paths:
        text = str(path)
        if not path.exists() and any(c in text for c in "*?["):
            found = sorted(glob.glob(text, recursive=True))
            out.extend(Path(p) for p in found) if found else out.append(path)
        else:
            out.append(path)
    return out


def _emit_season(
    store: Store,
    athlete: Athlete,
    season: dict[str, Any],
    output_format: OutputFormat,
    out_dir: Path | None,
    session_reports: bool,
    open_browser: bool,
    engine: dict[str, Any],
) -> int:
    """Print or write the season (and its session pages); the exit status they add."""
    from footfall.cli.outputs import folders, write_json, write_season_page, write_session_pages

    if output_format == OutputFormat.json and out_dir is None and not session_reports:
        typer.echo(json.dumps(season, indent=2, ensure_ascii=False))
        return EXIT_OK
    root = out_dir or Path("reports")
    folder = folders(store)[athlete.name]
    status = EXIT_OK
    if session_reports and season["sessions"]:
        with Bar("drawing", len(season["sessions"])) as update:
            _, problems = write_session_pages(
                store, athlete, root, folder, season["sessions"], progress=update, **engine
            )
        for problem in problems:
            _err(problem)
        status = EXIT_SOME_FAILED if problems else EXIT_OK
    pages: list[Path] = []
    if output_format in (OutputFormat.json, OutputFormat.both):
        pages.append(write_json(root / folder / "season.json", season))
    if output_format in (OutputFormat.html, OutputFormat.both):
        pages.append(write_season_page(root, folder, season))
    for page in pages:
        typer.echo(str(page))
    if open_browser and pages:
        import webbrowser

        webbrowser.open(pages[-1].resolve().as_uri())
    return status


@app.command(cls=PlainCommand)
def season(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="activity files, folders, globs, .gz, Strava or Garmin bulk-export zips",
        ),
    ],
    athlete_name: Annotated[
        str, typer.Option("--athlete", metavar="NAME", help="whose season (created if new)")
    ],
    engine: Annotated[EngineName, ENGINE] = EngineName.pool,
    scheduler: Annotated[str | None, SCHEDULER] = None,
    workers: Annotated[int | None, WORKERS] = None,
    output_format: Annotated[OutputFormat, FORMAT] = OutputFormat.html,
    out_dir: Annotated[Path | None, OUTPUT] = None,
    session_reports: Annotated[bool, SESSION_REPORTS] = False,
    open_browser: Annotated[bool, OPEN] = False,
) -> None:
    """Import runs into an athlete's store and write their season page (or JSON)."""
    _engine_options(engine, scheduler, workers)
    from footfall.fork_server import warm_up

    warm_up(engine.value)  # the workers' imports overlap the store's and the files' set-up
    from footfall.batch.imports import import_files
    from footfall.cli.outputs import build_season, import_summary, open_store
    from footfall.store import Ledger

    options: dict[str, Any] = {"engine": engine.value, "workers": workers, "scheduler": scheduler}
    with open_store() as store:
        athlete, created = store.ensure_athlete(athlete_name)
        if created:
            _err(
                f"{athlete.name}: new athlete with the default profile "
                "(footfall athletes add sets height and target cadence)"
            )
        ledger = Ledger(store, athlete)
        with Bar("analysing") as update:
            import_files(_expand_globs(paths), ledger, athlete.profile, progress=update, **options)
        report = ledger.report.to_dict()
        for entry in report["not_run"]:
            _err(f"{printable(str(entry['path']))}: skipped, {printable(str(entry['reason']))}")
        for entry in report["failed"]:
            _err(f"{entry['path']}: {entry['reason']}")
        _err(import_summary(athlete.name, report))
        result = build_season(store, athlete, report)
        if not result["sessions"] and not result["undated_sessions"]:
            _err(f"{athlete.name}: no runs stored, so no season to show")
            raise typer.Exit(EXIT_USAGE)
        status = _emit_season(
            store, athlete, result, output_format, out_dir, session_reports, open_browser, options
        )
    raise typer.Exit(EXIT_SOME_FAILED if report["failed"] else status)


@app.command(cls=PlainCommand)
def reanalyze(
    athlete_name: Annotated[
        str | None,
        typer.Option("--athlete", metavar="NAME", help="one athlete (default: every athlete)"),
    ] = None,
    engine: Annotated[EngineName, ENGINE] = EngineName.pool,
    scheduler: Annotated[str | None, SCHEDULER] = None,
    workers: Annotated[int | None, WORKERS] = None,
) -> None:
    """Analyse every stored original again (after an upgrade or a changed profile)."""
    _engine_options(engine, scheduler, workers)
    from footfall.fork_server import warm_up

    warm_up(engine.value)
    from footfall.batch.imports import reanalyse_originals
    from footfall.cli.outputs import build_season, open_store
    from footfall.store import Ledger, queries

    failed = 0
    options: dict[str, Any] = {"engine": engine.value, "workers": workers, "scheduler": scheduler}
    with open_store() as store:
        chosen = [store.require_athlete(athlete_name)] if athlete_name else store.athletes()
        for athlete in chosen:
            entries = queries.originals_of(store, athlete)
            ledger = Ledger(store, athlete)
            with Bar(f"{athlete.name}:", len(entries)) as update:
                reanalyse_originals(
                    entries,
                    store.originals.get,
                    ledger,
                    athlete.profile,
                    progress=update,
                    **options,
                )
            report = ledger.report
            for entry in report.failed:
                _err(f"{entry['path']}: {entry['reason']}")
            failed += len(report.failed)
            sessions = report.reanalysed + report.imported
            typer.echo(
                f"{athlete.name}: {sessions} sessions analysed again, "
                f"{len(report.same_run)} same run, {len(report.not_run)} not a run, "
                f"{len(report.failed)} failed"
            )
            build_season(store, athlete, None)
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


report_app = typer.Typer(
    cls=PlainGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Pages from the store: an athlete's season, the coach's roster, session reports.",
)
app.add_typer(report_app, name="report")


@report_app.command("season", cls=PlainCommand)
def report_season(
    athlete_name: Annotated[str, typer.Option("--athlete", metavar="NAME", help="whose season")],
    output_format: Annotated[OutputFormat, FORMAT] = OutputFormat.html,
    out_dir: Annotated[Path | None, OUTPUT] = None,
    session_reports: Annotated[bool, SESSION_REPORTS] = False,
    open_browser: Annotated[bool, OPEN] = False,
    engine: Annotated[EngineName, ENGINE] = EngineName.pool,
    scheduler: Annotated[str | None, SCHEDULER] = None,
    workers: Annotated[int | None, WORKERS] = None,
) -> None:
    """An athlete's season page (or JSON) from the store, without importing anything."""
    _engine_options(engine, scheduler, workers)
    from footfall.cli.outputs import build_season, open_store

    options: dict[str, Any] = {"engine": engine.value, "workers": workers, "scheduler": scheduler}
    with open_store() as store:
        athlete = store.require_athlete(athlete_name)
        result = build_season(store, athlete, None)
        status = _emit_season(
            store, athlete, result, output_format, out_dir, session_reports, open_browser, options
        )
    raise typer.Exit(status)


@report_app.command("roster", cls=PlainCommand)
def report_roster(
    output_format: Annotated[OutputFormat, FORMAT] = OutputFormat.html,
    out_dir: Annotated[Path | None, OUTPUT] = None,
    open_browser: Annotated[bool, OPEN] = False,
) -> None:
    """The coach's roster: athletes ranked by what needs attention (page or JSON)."""
    from footfall.cli.outputs import (
        build_season,
        folders,
        open_store,
        write_json,
        write_roster_page,
        write_season_page,
    )
    from footfall.season.roster import roster

    with open_store() as store:
        athletes = store.athletes()
        with Bar("seasons", len(athletes)) as update:
            seasons = []
            for done, athlete in enumerate(athletes, start=1):
                seasons.append(build_season(store, athlete, None))
                update(done, athlete.name)
        ranked = roster(seasons)
        names = folders(store)
    if output_format == OutputFormat.json and out_dir is None:
        typer.echo(json.dumps(ranked, indent=2, ensure_ascii=False))
        raise typer.Exit(EXIT_OK)
    root = out_dir or Path("reports")
    written = []
    if output_format in (OutputFormat.json, OutputFormat.both):
        written.append(write_json(root / "roster.json", ranked))
    if output_format in (OutputFormat.html, OutputFormat.both):
        written.append(write_roster_page(root, ranked, seasons, names))
        for result in seasons:  # the roster links to each season page: keep them current
            written.append(write_season_page(root, names[result["athlete"]["name"]], result))
    for page in written:
        typer.echo(str(page))
    if open_browser and written:
        import webbrowser

        webbrowser.open(written[-1 if output_format == OutputFormat.json else 0].resolve().as_uri())
    raise typer.Exit(EXIT_OK)


@report_app.command("session", cls=PlainCommand)
def report_session(
    sessions: Annotated[
        list[str], typer.Argument(metavar="SESSION", help="sha256 (or 6+ leading hex digits)")
    ],
    athlete_name: Annotated[str, typer.Option("--athlete", metavar="NAME", help="whose session")],
    out_dir: Annotated[Path | None, OUTPUT] = None,
) -> None:
    """Draw session reports from their stored originals, on demand."""
    from footfall.cli.outputs import build_season, folders, open_store, write_session_pages
    from footfall.store import queries

    with open_store() as store:
        athlete = store.require_athlete(athlete_name)
        wanted = {queries.session(store, athlete, key)[0] for key in sessions}
        rows = [s for s in build_season(store, athlete, None)["sessions"] if s["sha256"] in wanted]
        root = out_dir or Path("reports")
        written, problems = write_session_pages(
            store, athlete, root, folders(store)[athlete.name], rows
        )
    for page in written:
        typer.echo(str(page))
    for problem in problems:
        _err(problem)
    raise typer.Exit(EXIT_SOME_FAILED if problems else EXIT_OK)
