"""The `footfall` command: parse arguments, call the library, print. Nothing else lives here.

Start-up is part of the interface: `footfall --help` and `--version` import neither pandas
nor numpy, and `footfall analyze x.fit --format json` imports only what that path uses
(no plotly, Jinja2, scipy, rich or pydantic). Library modules are imported inside the
commands for that reason; tests/test_cli_startup.py holds the line.

Exit status (docs/cli.md): 0 every file analysed or skipped as not a run; 1 some file could
not be read (the others are still analysed and printed or written); 2 a usage error, or
nothing analysed at all; 3 a bug; 130 interrupted.
"""

# No "from __future__ import annotations" here: typer reads the commands' signatures on
# every run, and string annotations would be evaluated again each time (half of building
# the command line). Names imported only for type checking are quoted instead.

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from footfall.cli_values import PlainCommand, PlainGroup
from footfall.errors import printable

if TYPE_CHECKING:
    from footfall.batch import ErrorPolicy, Outcome
    from footfall.coaching.symptoms import Numbness
    from footfall.config import Profile
    from footfall.errors import FootfallError
    from footfall.report.writer import ReportWriter

EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some file could not be read; the others were analysed
EXIT_USAGE = 2  # a wrong option, or nothing could be analysed at all
EXIT_INTERNAL = 3  # a bug in footfall
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class OutputFormat(StrEnum):
    json = "json"
    html = "html"
    both = "both"


app = typer.Typer(
    cls=PlainGroup,
    add_completion=False,
    no_args_is_help=True,
    help="footfall: a running-form cadence coach for watch exports (FIT, GPX, TCX, zip).",
    pretty_exceptions_enable=False,
    # typer's Rich help panel prints `<bool>` after every flag (--strict, --open, even
    # --help), as if it took a value; the plain formatter shows flags as flags, and
    # --help then does not import rich either.
    rich_markup_mode=None,
)


def _err(message: str) -> None:
    typer.echo(f"footfall: {message}", err=True)


def _version() -> str:
    import footfall

    return footfall.__version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(_version())
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Options that come before the command (--version); the help text is the app's."""


def _profile(profile_path: Path | None, height: float | None, target: float | None) -> "Profile":
    from footfall.config import Profile, load_profile

    base = load_profile(profile_path) if profile_path else Profile()
    return base.with_overrides(height_cm=height, target_cadence_spm=target)


@app.command(cls=PlainCommand)
def analyze(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="FIT, GPX, TCX files, .gz or .zip exports, or folders"),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="html: a report per activity in the output folder (default); json: the "
            "analysis JSON on stdout, or files with --output; both: html and json files",
        ),
    ] = OutputFormat.html,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="DIR", help="folder for reports (default: reports/)"
        ),
    ] = None,
    height: Annotated[
        float | None,
        typer.Option("--height", metavar="CM", help="your height in cm (better cadence reference)"),
    ] = None,
    target_cadence: Annotated[
        float | None,
        typer.Option(
            "--target-cadence", metavar="SPM", help="target cadence in steps/min (default 180)"
        ),
    ] = None,
    profile_path: Annotated[
        Path | None, typer.Option("--profile", metavar="TOML", help="athlete profile TOML file")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="fail on damaged files instead of keeping what is readable"),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="open the report (or the index) in a browser")
    ] = False,
    self_contained: Annotated[
        bool,
        typer.Option(
            "--self-contained",
            help="embed plotly.js in every report (by default a batch shares one local copy)",
        ),
    ] = False,
    numbness_at: Annotated[
        str | None,
        typer.Option(
            "--numbness-at",
            metavar="TIME",
            help="when numbness started, e.g. 25m, 1h05m or 25:30",
        ),
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            metavar="SIDE",
            help="which foot went numb: left, right or both (needs --numbness-at)",
        ),
    ] = None,
) -> None:
    """Analyse activities: write HTML reports (default) or print the analysis JSON."""
    if side is not None and numbness_at is None:
        _err("--side needs --numbness-at: say when the numbness started, e.g. --numbness-at 25m")
        raise typer.Exit(EXIT_USAGE)
    from footfall.errors import FootfallError

    try:
        profile = _profile(profile_path, height, target_cadence)
        from footfall.coaching.symptoms import Numbness  # pandas from here on

        numbness = Numbness.parse(numbness_at, side)
    except FootfallError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    to_stdout = output_format == OutputFormat.json and out_dir is None
    writer: ReportWriter | None = None
    if not to_stdout:
        from footfall.report import writer as reports

        folder = out_dir or Path("reports")
        writer = reports.ReportWriter(output_format.value, folder, self_contained=self_contained)
    run = _Batch(files, writer)
    run.analyse(profile, "strict" if strict else "recover", numbness)
    if writer is None:
        run.print_json()
    else:
        pages = run.finish_reports(writer)
        if open_browser and pages:
            import webbrowser

            index = [p for p in pages if p.name == "index.html"]
            webbrowser.open((index or pages)[0].resolve().as_uri())
    raise typer.Exit(run.exit_code())


class _Batch:
    """One `analyze` run: what was analysed, skipped (not a run) and failed, in order."""

    def __init__(self, files: list[Path], writer: "ReportWriter | None") -> None:
        self.files = files
        self.writer = writer
        self.results: list[dict[str, Any]] = []
        self.skipped: list[FootfallError] = []
        self.failed: list[FootfallError] = []
        self.paths: list[Path] = []

    def analyse(
        self, profile: "Profile", errors: "ErrorPolicy", numbness: "Numbness | None"
    ) -> None:
        from footfall.batch import expand_paths, iter_outcomes
        from footfall.report.json import analysis_to_dict

        self.paths, problems = expand_paths(self.files)
        for problem in problems:
            self._fail(problem)
        with _Progress(len(self.paths)) as advance:
            last: Path | None = None
            for given, outcome in iter_outcomes(
                self.paths, profile, errors=errors, numbness=numbness
            ):
                if last is not None and given != last:
                    advance(last.name)
                last = given
                if outcome.error is not None:
                    self._refuse(outcome)
                    continue
                assert outcome.analysis is not None
                result = analysis_to_dict(outcome.analysis)
                self.results.append(result)
                if self.writer is not None:
                    self.writer.add(outcome.analysis, result)
            if last is not None:
                advance(last.name)

    def _refuse(self, outcome: "Outcome") -> None:
        """A file without analysis: skipped (not a run) or failed, named on stderr."""
        error = outcome.error
        assert error is not None
        if outcome.skipped:
            self.skipped.append(error)
            _err(f"{printable(outcome.path)}: skipped, {error.problem}")
        else:
            self._fail(error)
        if self.writer is not None:
            self.writer.reject(outcome.path, error.problem, skipped=outcome.skipped)

    def _fail(self, error: "FootfallError") -> None:
        self.failed.append(error)
        _err(str(error))

    def print_json(self) -> None:
        """Every good result, even when other files failed: one object when one file (not a
        folder) was given and it held one activity, else a list, so that the shape follows
        what was asked for, not how many files a folder happened to hold."""
        import json

        if not self.results:
            return  # nothing analysed: the exit status says so, stderr says why
        one_file = len(self.files) == 1 and not self.files[0].is_dir()
        single = one_file and len(self.results) == 1
        payload: Any = self.results[0] if single else self.results
        text = json.dumps(payload, indent=2, ensure_ascii=False)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except UnicodeEncodeError:  # a file name that is not valid text: escape it in JSON
            text = json.dumps(payload, indent=2, ensure_ascii=True)
        typer.echo(text)

    def finish_reports(self, writer: "ReportWriter") -> list[Path]:
        written = writer.finish()
        for path in written:
            typer.echo(str(path))
        for result in self.results:
            typer.echo(run_summary(result))
        return [p for p in written if p.suffix == ".html"]

    def exit_code(self) -> int:
        if not self.results:
            return EXIT_USAGE
        return EXIT_SOME_FAILED if self.failed else EXIT_OK


#: the time figures of a run, named as in the JSON summary and the report
TIME_FIGURES = (
    ("elapsed_time_s", "elapsed time"),
    ("timer_time_s", "timer time"),
    ("moving_time_s", "moving time"),
    ("running_time_s", "running time"),
)


def run_summary(result: dict[str, Any]) -> str:
    """One line per analysed run: distance, the time figures, median cadence, the verdict."""
    summary = result.get("summary") or {}
    source = str((result.get("source") or {}).get("path") or "")
    parts = []
    distance = summary.get("distance_m")
    if isinstance(distance, int | float):
        parts.append(f"{distance / 1000:.2f} km")
    for key, label in TIME_FIGURES:
        value = summary.get(key)
        if isinstance(value, int | float):
            parts.append(f"{label} {_clock(value)}")
    cadence = (summary.get("cadence_spm") or {}).get("median")
    if isinstance(cadence, int | float):
        parts.append(f"cadence {cadence:.0f} spm")
    verdict = printable(str((summary.get("verdict") or {}).get("title") or ""))
    line = f"{printable(source)}: " + ", ".join(parts)
    return f"{line}; {verdict}" if verdict else line


def _clock(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


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


@app.command(cls=PlainCommand)
def version() -> None:
    """Print the footfall version (same as footfall --version)."""
    typer.echo(_version())


def _usage_error(exc: Exception) -> int | None:
    """The exit status of a click usage error (typer ships its own copy of click, so it is
    recognised by shape) after printing it on one line; None for any other exception."""
    exit_code = getattr(exc, "exit_code", None)
    message = getattr(exc, "format_message", None)
    if not isinstance(exc, typer.TyperException) or not callable(message):
        return None
    if not isinstance(exit_code, int):
        return None
    if type(exc).__name__ == "NoArgsIsHelpError":  # `footfall` alone: the help is the answer
        exc.show()  # type: ignore[attr-defined]
        return exit_code
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    _err(f"{str(message()).rstrip('.')}{hint}")
    return exit_code


def main() -> None:
    """Console entry point: every error a user can cause is one line on stderr."""
    try:
        code = load_commands(sys.argv[1:])(prog_name="footfall", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else EXIT_OK)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _err("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:  # an output folder that cannot be written, a full disk...
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"{where}{exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        from footfall.errors import FootfallError

        if isinstance(exc, FootfallError):
            _err(str(exc))
            sys.exit(EXIT_USAGE)
        usage = _usage_error(exc)
        if usage is not None:
            sys.exit(usage)
        if os.environ.get("FOOTFALL_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set FOOTFALL_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


# which command modules a call needs (footfall analyze needs none of them)
from footfall.cli.command_modules import load_commands  # noqa: E402
