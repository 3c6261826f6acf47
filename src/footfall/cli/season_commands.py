"""`footfall season`, `footfall reanalyze` and `footfall report season|roster|session`.

Only the standard library at import time (footfall --help stays light).
"""

from __future__ import annotations

import glob
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, OutputFormat, _err, echo
from footfall.cli.parsing import CommandParser
from footfall.cli.progress import Bar
from footfall.cli.values import whole_number
from footfall.errors import printable

if TYPE_CHECKING:
    from footfall.store import Athlete, Store


class EngineName(StrEnum):
    pool = "pool"
    dask = "dask"


def add_commands(root: CommandParser) -> None:
    """season, reanalyze and the report group."""
    cmd = root.command(
        "season",
        "Import runs into an athlete's store and write their season page (or JSON).",
        season,
    )
    cmd.argument(
        "paths",
        "PATH",
        "activity files, folders, globs, .gz, Strava or Garmin bulk-export zips",
        many=True,
        type=Path,
    )
    _athlete(cmd, "whose season (created if new)", required=True)
    _engine(cmd)
    _pages(cmd, session_reports=True)

    cmd = root.command(
        "reanalyze",
        "Analyse every stored original again (after an upgrade or a changed profile).",
        reanalyze,
    )
    _athlete(cmd, "one athlete (default: every athlete)", required=False)
    _engine(cmd)

    group = root.command(
        "report",
        "Pages from the store: an athlete's season, the coach's roster, session reports.",
    )
    cmd = group.command(
        "season",
        "An athlete's season page (or JSON) from the store, without importing anything.",
        report_season,
    )
    _athlete(cmd, "whose season", required=True)
    _pages(cmd, session_reports=True)
    _engine(cmd)

    cmd = group.command(
        "roster",
        "The coach's roster: athletes ranked by what needs attention (page or JSON).",
        report_roster,
    )
    _pages(cmd, session_reports=False)

    cmd = group.command(
        "session", "Draw session reports from their stored originals, on demand.", report_session
    )
    cmd.argument("sessions", "SESSION", "sha256 (or 6+ leading hex digits)", many=True)
    _athlete(cmd, "whose session", required=True)
    _output(cmd)


def _athlete(cmd: CommandParser, help: str, required: bool) -> None:
    cmd.option("--athlete", dest="athlete_name", metavar="NAME", help=help, required=required)


def _engine(cmd: CommandParser) -> None:
    """--engine, --scheduler and --workers: where the files are analysed."""
    cmd.one_of(
        "--engine",
        dest="engine",
        enum=EngineName,
        default=EngineName.pool,
        help="pool: a process pool on this machine (default); dask: Dask distributed",
    )
    cmd.option(
        "--scheduler",
        dest="scheduler",
        metavar="ADDRESS",
        help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )
    cmd.option(
        "--workers",
        dest="workers",
        metavar="N",
        type=whole_number,
        help="worker processes (default: the cores)",
    )


def _pages(cmd: CommandParser, session_reports: bool) -> None:
    """--format, --output, --session-reports (if ``session_reports``) and --open."""
    cmd.one_of(
        "--format",
        "-f",
        dest="output_format",
        enum=OutputFormat,
        default=OutputFormat.html,
        help="html: the season page (default); json: the season JSON on stdout, or a file "
        "with --output; both: html and json files",
    )
    _output(cmd)
    if session_reports:
        cmd.flag(
            "--session-reports",
            dest="session_reports",
            help="also draw every session's report from its stored original",
        )
    cmd.flag("--open", dest="open_browser", help="open the page in a browser")


def _output(cmd: CommandParser) -> None:
    cmd.option(
        "--output",
        "-o",
        dest="out_dir",
        metavar="DIR",
        type=Path,
        help="folder for pages (default reports/)",
    )


def _engine_options(engine: EngineName, scheduler: str | None, workers: int | None) -> None:
    if scheduler is not None and engine != EngineName.dask:
        _err("--scheduler needs --engine dask")
        raise SystemExit(EXIT_USAGE)
    if workers is not None and workers < 1:
        _err(f"--workers {workers}: give at least 1")
        raise SystemExit(EXIT_USAGE)


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
        echo(json.dumps(season, indent=2, ensure_ascii=False))
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
        echo(str(page))
    if open_browser and pages:
        import webbrowser

        webbrowser.open(pages[-1].resolve().as_uri())
    return status


def season(
    paths: list[Path],
    athlete_name: str,
    engine: EngineName,
    scheduler: str | None,
    workers: int | None,
    output_format: OutputFormat,
    out_dir: Path | None,
    session_reports: bool,
    open_browser: bool,
) -> int:
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
            return EXIT_USAGE
        status = _emit_season(
            store, athlete, result, output_format, out_dir, session_reports, open_browser, options
        )
    return EXIT_SOME_FAILED if report["failed"] else status


def reanalyze(
    athlete_name: str | None, engine: EngineName, scheduler: str | None, workers: int | None
) -> int:
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
            echo(
                f"{athlete.name}: {sessions} sessions analysed again, "
                f"{len(report.same_run)} same run, {len(report.not_run)} not a run, "
                f"{len(report.failed)} failed"
            )
            build_season(store, athlete, None)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def report_season(
    athlete_name: str,
    output_format: OutputFormat,
    out_dir: Path | None,
    session_reports: bool,
    open_browser: bool,
    engine: EngineName,
    scheduler: str | None,
    workers: int | None,
) -> int:
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
    return status


def report_roster(output_format: OutputFormat, out_dir: Path | None, open_browser: bool) -> int:
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
        echo(json.dumps(ranked, indent=2, ensure_ascii=False))
        return EXIT_OK
    root = out_dir or Path("reports")
    written = []
    if output_format in (OutputFormat.json, OutputFormat.both):
        written.append(write_json(root / "roster.json", ranked))
    if output_format in (OutputFormat.html, OutputFormat.both):
        written.append(write_roster_page(root, ranked, seasons, names))
        for result in seasons:  # the roster links to each season page: keep them current
            written.append(write_season_page(root, names[result["athlete"]["name"]], result))
    for page in written:
        echo(str(page))
    if open_browser and written:
        import webbrowser

        webbrowser.open(written[-1 if output_format == OutputFormat.json else 0].resolve().as_uri())
    return EXIT_OK


def report_session(sessions: list[str], athlete_name: str, out_dir: Path | None) -> int:
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
        echo(str(page))
    for problem in problems:
        _err(problem)
    return EXIT_SOME_FAILED if problems else EXIT_OK
