"""The `footfall` command: parse arguments, call the library, print. Nothing else lives here.

Start-up is part of the interface: `footfall --help` and `--version` import neither pandas
nor numpy, and `footfall analyze x.fit --format json` imports only what that path uses
(no plotly, Jinja2, scipy, rich or pydantic). Library modules are imported inside the
commands for that reason; tests/test_cli_startup.py holds the line. The command line itself
is the standard library's argparse (footfall.cli.parsing says why and how).

Exit status (docs/cli.md): 0 every file analysed or skipped as not a run; 1 some file could
not be read (the others are still analysed and printed or written); 2 a usage error, or
nothing analysed at all; 3 a bug; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footfall.cli.parsing import CommandParser, UsageError
from footfall.cli.progress import Bar
from footfall.cli.values import number
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

SUMMARY = "footfall: a running-form cadence coach for watch exports (FIT, GPX, TCX, zip)."


class OutputFormat(StrEnum):
    json = "json"
    html = "html"
    both = "both"


class TextOrJson(StrEnum):
    """How the list and show commands print: text for people, JSON for scripts."""

    text = "text"
    json = "json"


def echo(text: str, err: bool = False) -> None:
    """One line on stdout (or stderr), written at once: a pipe reader sees each line as it
    is printed, and stdout and stderr lines keep their order on a terminal."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console at all (pythonw)
        return
    stream.write(f"{text}\n")
    stream.flush()


def _err(message: str) -> None:
    echo(f"footfall: {message}", err=True)


def _version() -> str:
    import footfall

    return footfall.__version__


def print_version() -> None:
    echo(_version())


def add_commands(root: CommandParser) -> None:
    """analyze and version, the commands defined here, on the root parser."""
    cmd = root.command(
        "analyze",
        "Analyse activities: write HTML reports (default) or print the analysis JSON.",
        analyze,
    )
    cmd.argument(
        "files",
        "FILE",
        "FIT, GPX, TCX files, .gz or .zip exports, or folders",
        many=True,
        type=Path,
    )
    cmd.one_of(
        "--format",
        "-f",
        dest="output_format",
        enum=OutputFormat,
        default=OutputFormat.html,
        help="html: a report per activity in the output folder (default); json: the "
        "analysis JSON on stdout, or files with --output; both: html and json files",
    )
    cmd.option(
        "--output",
        "-o",
        dest="out_dir",
        metavar="DIR",
        type=Path,
        help="folder for reports (default: reports/)",
    )
    cmd.option(
        "--height",
        dest="height",
        metavar="CM",
        type=number,
        help="your height in cm (better cadence reference)",
    )
    cmd.option(
        "--target-cadence",
        dest="target_cadence",
        metavar="SPM",
        type=number,
        help="target cadence in steps/min (default 180)",
    )
    cmd.option(
        "--profile",
        dest="profile_path",
        metavar="TOML",
        type=Path,
        help="athlete profile TOML file",
    )
    cmd.flag(
        "--strict", dest="strict", help="fail on damaged files instead of keeping what is readable"
    )
    cmd.flag("--open", dest="open_browser", help="open the report (or the index) in a browser")
    cmd.flag(
        "--self-contained",
        dest="self_contained",
        help="embed plotly.js in every report (by default a batch shares one local copy)",
    )
    cmd.option(
        "--numbness-at",
        dest="numbness_at",
        metavar="TIME",
        help="when numbness started, e.g. 25m, 1h05m or 25:30",
    )
    cmd.option(
        "--side",
        dest="side",
        metavar="SIDE",
        help="which foot went numb: left, right or both (needs --numbness-at)",
    )
    root.command("version", "Print the footfall version (same as footfall --version).", version)


def _profile(profile_path: Path | None, height: float | None, target: float | None) -> Profile:
    from footfall.config import Profile, load_profile

    base = load_profile(profile_path) if profile_path else Profile()
    return base.with_overrides(height_cm=height, target_cadence_spm=target)


def analyze(
    files: list[Path],
    output_format: OutputFormat,
    out_dir: Path | None,
    height: float | None,
    target_cadence: float | None,
    profile_path: Path | None,
    strict: bool,
    open_browser: bool,
    self_contained: bool,
    numbness_at: str | None,
    side: str | None,
) -> int:
    """Analyse activities: write HTML reports (default) or print the analysis JSON."""
    if side is not None and numbness_at is None:
        _err("--side needs --numbness-at: say when the numbness started, e.g. --numbness-at 25m")
        return EXIT_USAGE
    from footfall.errors import FootfallError

    try:
        profile = _profile(profile_path, height, target_cadence)
        from footfall.coaching.symptoms import Numbness  # pandas from here on

        numbness = Numbness.parse(numbness_at, side)
    except FootfallError as exc:
        _err(str(exc))
        return EXIT_USAGE
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
    return run.exit_code()


class _Batch:
    """One `analyze` run: what was analysed, skipped (not a run) and failed, in order."""

    def __init__(self, files: list[Path], writer: ReportWriter | None) -> None:
        self.files = files
        self.writer = writer
        self.results: list[dict[str, Any]] = []
        self.skipped: list[FootfallError] = []
        self.failed: list[FootfallError] = []
        self.paths: list[Path] = []

    def analyse(self, profile: Profile, errors: ErrorPolicy, numbness: Numbness | None) -> None:
        from footfall.batch import expand_paths, iter_outcomes
        from footfall.report.json import analysis_to_dict

        self.paths, problems = expand_paths(self.files)
        for problem in problems:
            self._fail(problem)
        with Bar("analysing", len(self.paths)) as update:
            last: Path | None = None
            done = 0
            for given, outcome in iter_outcomes(
                self.paths, profile, errors=errors, numbness=numbness
            ):
                if last is not None and given != last:
                    done += 1
                    update(done, last.name)
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
                update(done + 1, last.name)

    def _refuse(self, outcome: Outcome) -> None:
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

    def _fail(self, error: FootfallError) -> None:
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
        echo(text)

    def finish_reports(self, writer: ReportWriter) -> list[Path]:
        written = writer.finish()
        for path in written:
            echo(str(path))
        for result in self.results:
            echo(run_summary(result))
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


def version() -> None:
    """Print the footfall version (same as footfall --version)."""
    print_version()


def main() -> None:
    """Console entry point: every error a user can cause is one line on stderr."""
    try:
        argv = sys.argv[1:]
        command, values = load_commands(argv).parse(argv)
        assert command.run is not None  # parse() returns a command, never a group
        code = command.run(**values)
        sys.exit(EXIT_OK if code is None else code)
    except UsageError as exc:
        if exc.help_text is not None:  # `footfall` alone: the help is the answer
            sys.stderr.write(exc.help_text)
        else:
            _err(str(exc))
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        # a new line first: ^C (or a password prompt) left the cursor after its text
        echo("", err=True)
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
        if os.environ.get("FOOTFALL_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set FOOTFALL_DEBUG=1 for details)")
        sys.exit(EXIT_INTERNAL)


def entry() -> None:
    """The console script `footfall` (and `python -m footfall`): main(), then the process
    ends without the interpreter's teardown (footfall.cli.process_exit says why). main()
    itself only raises SystemExit, so that it can run inside another program or a test."""
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as exc:
        code = EXIT_OK if exc.code is None else exc.code
    if not isinstance(code, int):
        raise SystemExit(code)  # not footfall's own: Python prints it and exits 1
    from footfall.cli.process_exit import leave

    leave(code)


# which command modules a call needs (footfall analyze needs none of them)
from footfall.cli.command_modules import load_commands  # noqa: E402
