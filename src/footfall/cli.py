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
    from footfall.batch import expand_paths, iter_outcomes
    from footfall.coaching.symptoms import Numbness
    from footfall.errors import FootfallError
    from footfall.report.json import analysis_to_dict
    from footfall.report.writer import ReportWriter

    try:
        profile = _profile(profile_path, height, target_cadence)
        numbness = Numbness.parse(numbness_at, side)
    except FootfallError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USER_ERROR) from None
    paths, failures = expand_paths(files)
    for problem in failures:
        _err(str(problem))
    to_stdout = output_format == OutputFormat.json and out_dir is None
    writer = None if to_stdout else ReportWriter(output_format.value, out_dir or Path("reports"))
    results: list[dict[str, Any]] = []
    with _Progress(len(paths)) as advance:
        last: Path | None = None
        for given, outcome in iter_outcomes(
            paths, profile, errors="strict" if strict else "recover", numbness=numbness
        ):
            if last is not None and given != last:
                advance(last.name)
            last = given
            if outcome.error is not None:
                failures.append(outcome.error)
                _err(str(outcome.error))
                if writer is not None:
                    writer.reject(outcome.path, outcome.error.problem, skipped=outcome.skipped)
                continue
            assert outcome.analysis is not None
            result = analysis_to_dict(outcome.analysis)
            if writer is None:
                results.append(result)
            else:
                writer.add(outcome.analysis, result)
        if last is not None:
            advance(last.name)
    if to_stdout:
        payload: Any = results[0] if len(results) == 1 and len(paths) == 1 else results
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
