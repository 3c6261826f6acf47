"""The `footfall` command: parse arguments, call the library, print. Nothing else lives here.

Heavy modules (plotly, FastAPI, the readers) are imported inside the commands, so
`footfall analyze x.fit --format json` pays only for what it uses.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from footfall.config import Profile
    from footfall.errors import FootfallError
    from footfall.model import Analysis

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="footfall: a running-form cadence coach for watch exports (FIT, GPX, TCX, zip).",
    pretty_exceptions_enable=False,
)

EXIT_USER_ERROR = 2  # a file or an option the user gave is wrong
EXIT_INTERNAL = 3  # a bug in footfall


class OutputFormat(StrEnum):
    json = "json"
    html = "html"
    both = "both"


def _err(message: str) -> None:
    typer.echo(f"footfall: {message}", err=True)


def _profile(profile_path: Path | None, height: float | None, target: float | None) -> Profile:
    from footfall.config import Profile, load_profile

    base = load_profile(profile_path) if profile_path else Profile()
    return base.with_overrides(height_cm=height, target_cadence_spm=target)


def _symptom(numbness_at: str | None, side: str | None) -> dict[str, Any]:
    """Validate the symptom flags up front so a typo fails before any file is read."""
    from footfall.coaching.symptoms import parse_onset, parse_side

    if numbness_at is not None:
        parse_onset(numbness_at)
    return {"numbness_at": numbness_at, "side": parse_side(side)}


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="FIT, GPX, TCX files, .gz or .zip exports")],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="html reports (default), json (printed to stdout unless --output is given), both",
        ),
    ] = OutputFormat.html,
    out_dir: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="folder for reports (default: reports/)"),
    ] = None,
    height: Annotated[
        float | None, typer.Option("--height", help="your height in cm (better cadence reference)")
    ] = None,
    target_cadence: Annotated[
        float | None,
        typer.Option("--target-cadence", help="target cadence in steps/min (default 180)"),
    ] = None,
    profile_path: Annotated[
        Path | None, typer.Option("--profile", help="athlete profile TOML file")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="fail on damaged files instead of keeping what is readable"),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="open the report (or the index) in a browser")
    ] = False,
    numbness_at: Annotated[
        str | None,
        typer.Option("--numbness-at", help="when numbness started, e.g. 25m, 1h05m or 25:30"),
    ] = None,
    side: Annotated[
        str | None, typer.Option("--side", help="which foot went numb: left, right or both")
    ] = None,
) -> None:
    """Analyse activities and print or write their analysis."""
    from footfall.errors import FootfallError

    try:
        profile = _profile(profile_path, height, target_cadence)
        symptom = _symptom(numbness_at, side)
    except FootfallError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USER_ERROR) from None
    files = _expand_folders(files)
    to_stdout = output_format == OutputFormat.json and out_dir is None
    writer = None if to_stdout else _ReportWriter(output_format, out_dir or Path("reports"))
    results: list[dict[str, Any]] = []
    failures = _run_analyses(files, profile, strict, writer, results, symptom)
    if to_stdout:
        payload: Any = results[0] if len(results) == 1 and len(files) == 1 else results
        if results or not failures:
            typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif writer is not None:
        written = writer.finish()
        for path in written:
            typer.echo(str(path))
        pages = [p for p in written if p.suffix == ".html"]
        if open_browser and pages:
            import webbrowser

            index = [p for p in pages if p.name == "index.html"]
            webbrowser.open((index or pages)[0].resolve().as_uri())
    if failures:
        raise typer.Exit(EXIT_USER_ERROR)


#: what a folder given to `analyze` is searched for (content is still sniffed per file)
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".gz", ".zip")


def _expand_folders(paths: list[Path]) -> list[Path]:
    """A folder stands for the activity files inside it (recursively, sorted, hidden skipped)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ACTIVITY_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                _err(f"{path}: no .fit, .gpx, .tcx, .gz or .zip files in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


def _run_analyses(
    files: list[Path],
    profile: Profile,
    strict: bool,
    writer: _ReportWriter | None,
    results: list[dict[str, Any]],
    symptom: dict[str, Any],
) -> list[FootfallError]:
    from footfall.errors import FootfallError
    from footfall.pipeline import ErrorPolicy, iter_activities
    from footfall.pipeline import analyze as run_analysis
    from footfall.report.json import analysis_to_dict

    failures: list[FootfallError] = []
    policy: ErrorPolicy = "strict" if strict else "recover"
    with _Progress(len(files)) as advance:
        for path in files:
            for item in iter_activities(path, errors=policy):
                if isinstance(item, FootfallError):
                    failures.append(item)
                    _err(str(item))
                    continue
                analysis = run_analysis(item, profile, **symptom)
                result = analysis_to_dict(analysis)
                if writer is None:
                    results.append(result)
                else:
                    writer.add(analysis, result)
            advance(path.name)
    return failures


class _Progress:
    """A rich progress bar on stderr when there is more than one file, else nothing."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._bar: Any = None

    def __enter__(self) -> Callable[[str], None]:
        if self.total > 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            task = self._bar.add_task("analysing", total=self.total)
            return lambda name: self._bar.update(task, advance=1, description=name[:40])
        return lambda name: None

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


class _ReportWriter:
    """Writes each activity's report as soon as it is analysed, and the index at the end."""

    def __init__(self, output_format: OutputFormat, out_dir: Path) -> None:
        self.format = output_format
        self.out_dir = out_dir
        self.written: list[Path] = []
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self._stems: set[str] = set()
        out_dir.mkdir(parents=True, exist_ok=True)

    def _stem(self, source_path: str) -> str:
        from footfall.report.files import report_stem

        stem = base = report_stem(source_path)
        n = 1
        while stem.lower() in self._stems:
            n += 1
            stem = f"{base}-{n}"
        self._stems.add(stem.lower())
        return stem

    def add(self, analysis: Analysis, result: dict[str, Any]) -> None:
        stem = self._stem(result["source"]["path"])
        if self.format in (OutputFormat.json, OutputFormat.both):
            target = self.out_dir / f"{stem}.json"
            target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
            self.written.append(target)
        if self.format in (OutputFormat.html, OutputFormat.both):
            from footfall.report.html import render_report

            target = self.out_dir / f"{stem}.html"
            target.write_text(render_report(analysis), encoding="utf-8")
            self.written.append(target)
        self.entries.append((stem, result))

    def finish(self) -> list[Path]:
        if self.format != OutputFormat.json and len(self.entries) > 1:
            from footfall.report.html import render_index

            target = self.out_dir / "index.html"
            target.write_text(render_index(self.entries), encoding="utf-8")
            self.written.append(target)
        return self.written


@app.command()
def version() -> None:
    """Print the footfall version."""
    from importlib.metadata import version as pkg_version

    typer.echo(pkg_version("footfall"))


def main() -> None:
    """Console entry point: user errors are one line and exit 2; bugs exit 3."""
    from footfall.errors import FootfallError

    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except FootfallError as exc:
        _err(str(exc))
        sys.exit(EXIT_USER_ERROR)
    except OSError as exc:  # an output folder that cannot be written, a full disk...
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"{where}{exc.strerror or exc}")
        sys.exit(EXIT_USER_ERROR)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, trace only when asked
        # Usage errors (typer ships its own copy of click, so test by shape, not by class)
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            sys.exit(EXIT_USER_ERROR)
        if os.environ.get("FOOTFALL_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set FOOTFALL_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)
