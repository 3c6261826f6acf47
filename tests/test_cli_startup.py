"""Start-up cost of the `footfall` command: what each command imports (no timings here;
scripts/bench.py measures the time)."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from footfall.cli import load_commands, main
from footfall.cli.parsing import UsageError
from tests.conftest import ROOT, SAMPLES

PROBE = """
import contextlib, io, sys
sys.argv = ["footfall", *{args!r}]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        {entry}
    except SystemExit as exc:
        assert (exc.code or 0) == {status}, exc.code
loaded = [m for m in {modules!r} if m in sys.modules]
print(repr((out.getvalue(), loaded)))
"""
HEAVY = ("pandas", "numpy", "pydantic", "rich", "plotly", "jinja2", "scipy", "typer", "click")
#: the modules of the store, season and web commands (footfall.cli.COMMAND_MODULES)
COMMANDS = tuple(
    f"footfall.cli.{m}" for m in ("season_commands", "store_commands", "users_commands")
)


def _probe(
    args: list[str],
    entry: str = "from footfall.cli import main; main()",
    status: int = 0,
    modules: tuple[str, ...] = HEAVY,
) -> Any:
    code = PROBE.format(args=args, entry=entry, modules=modules, status=status)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return eval(done.stdout)  # the repr printed above


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["analyze", "--help"]])
def test_help_and_version_import_neither_pandas_nor_numpy(args: list[str]) -> None:
    out, loaded = _probe(args)
    assert loaded == []
    if args == ["--version"]:
        assert out == version("footfall") + "\n"
    else:
        assert "Usage: footfall" in out


@pytest.mark.parametrize(
    "args", [["analyze", "x.fit", "--side", "left"], ["analyze", "x.fit", "--height", "1.75"]]
)
def test_usage_errors_come_before_pandas(args: list[str]) -> None:
    _, loaded = _probe(args, status=2)
    assert loaded == []


def test_import_footfall_is_lazy_and_its_names_still_work() -> None:
    entry = (
        "import footfall; print(footfall.__version__, footfall.Profile.__name__, "
        "len(footfall.__all__), 'render_report' in dir(footfall))"
    )
    out, loaded = _probe([], entry=entry)
    assert out == f"{version('footfall')} Profile 16 True\n"
    assert loaded == []  # Profile lives in footfall.config: no pandas behind it


def test_every_public_name_resolves() -> None:
    import footfall

    for name in footfall.__all__:
        assert getattr(footfall, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = footfall.nope  # type: ignore[attr-defined]


def test_json_of_one_file_imports_only_what_it_needs() -> None:
    out, loaded = _probe(["analyze", str(SAMPLES / "efficient_runner.fit"), "--format", "json"])
    assert '"schema": "footfall.analysis/1"' in out
    assert loaded == ["pandas", "numpy"]


def _parse(*argv: str) -> tuple[Any, dict[str, Any]]:
    """(the command's function, its keyword arguments) as `footfall *argv` reads them."""
    command, values = load_commands(argv).parse(argv)
    return command.run, values


def test_values_arrive_converted_with_their_defaults() -> None:
    from footfall.cli import OutputFormat, analyze

    run, values = _parse("analyze", "a.fit")
    assert run is analyze
    assert values == {
        "files": [Path("a.fit")],
        "output_format": OutputFormat.html,
        "out_dir": None,
        "height": None,
        "target_cadence": None,
        "profile_path": None,
        "strict": False,
        "open_browser": False,
        "self_contained": False,
        "numbness_at": None,
        "side": None,
    }
    _, values = _parse(
        *("analyze", "a.fit", "-f", "both", "-o", "out/", "--height", "172.5"),
        *("--target-cadence", " 175 ", "--profile", "me.toml", "--numbness-at", "25m"),
        *("--side", "left", "--strict", "--open", "--self-contained", "dir/b.gpx"),
    )
    assert values == {
        "files": [Path("a.fit"), Path("dir/b.gpx")],  # before and after the options
        "output_format": OutputFormat.both,
        "out_dir": Path("out"),
        "height": 172.5,
        "target_cadence": 175.0,
        "profile_path": Path("me.toml"),
        "strict": True,
        "open_browser": True,
        "self_contained": True,
        "numbness_at": "25m",
        "side": "left",
    }
    assert type(values["output_format"]) is OutputFormat and type(values["height"]) is float


def test_values_of_the_store_and_web_commands() -> None:
    from footfall.cli.season_commands import EngineName
    from footfall.cli.users_commands import DEFAULT_PORT, serve

    _, values = _parse("season", "runs/", "--athlete", "ana", "--engine", "dask", "--workers", "3")
    assert (values["paths"], values["athlete_name"]) == ([Path("runs")], "ana")
    assert (values["engine"], values["workers"]) == (EngineName.dask, 3)
    assert type(values["workers"]) is int
    _, values = _parse("athletes", "add", "ana")
    assert values["knee_or_shin"] is None  # neither given: the stored answer is kept
    _, values = _parse("athletes", "add", "ana", "--no-knee-or-shin-history")
    assert values["knee_or_shin"] is False
    run, values = _parse("serve")
    assert run is serve
    assert values == {
        "host": "127.0.0.1",
        "port": DEFAULT_PORT,
        "workers": None,
        "secure_cookies": False,
    }
    _, values = _parse("report", "session", "--athlete", "ana", "3f9a2c", "--", "-b")
    assert values["sessions"] == ["3f9a2c", "-b"]  # after --, a word is an argument
    # a value that begins with "-" is given after "=" (argparse would take it for an option)
    _, values = _parse(
        "log-symptom", "--athlete=-x", "--note=-tired", "--date", "today", "--side", "left"
    )
    assert (values["athlete_name"], values["note"]) == ("-x", "-tired")
    _, values = _parse("analyze", "x.fit", "--height", "-170")
    assert values["height"] == -170.0  # a negative number is a value (the profile refuses it)


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["analyze", "x.fit", "--height", "tall"],
            "Invalid value for '--height': 'tall' is not a number",
        ),
        (
            ["analyze", "x.fit", "--height", "nan"],
            "Invalid value for '--height': 'nan' is not a number",
        ),
        (
            ["analyze", "x.fit", "--height=-inf"],  # a value that looks like an option
            "Invalid value for '--height': '-inf' is not a number",
        ),
        (
            ["analyze", "x.fit", "--target-cadence", ""],
            "Invalid value for '--target-cadence': '' is not a number",
        ),
        (
            ["analyze", "x.fit", "--height", "1\n2"],  # one line, whatever the value holds
            "Invalid value for '--height': '1\\n2' is not a number",
        ),
        (
            ["analyze", "x.fit", "-f", "xml"],
            "Invalid value for '--format' / '-f': 'xml' is not one of 'json', 'html', 'both'",
        ),
        (["analyze", "x.fit", "--height"], "Option '--height' requires an argument"),
        (["analyze", "x.fit", "--strict=true"], "Option '--strict' does not take a value"),
        (
            ["analyze", "x.fit", "--stric"],
            "No such option: --stric (Possible options: --side, --strict)",
        ),
        (
            ["analyze", "x.fit", "--self-contaned"],
            "No such option: --self-contaned Did you mean --self-contained?",
        ),
        (["analyze", "x.fit", "-x"], "No such option: -x"),
        (["analyze"], "Missing argument 'FILE'"),
        (["version", "extra"], "Got unexpected extra argument (extra)"),
    ],
)
def test_usage_errors_name_the_problem_and_the_help(argv: list[str], line: str) -> None:
    with pytest.raises(UsageError) as error:
        _parse(*argv)
    assert str(error.value) == f"{line} (see 'footfall {argv[0]} --help')"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["season", "x.fit", "--athlete", "a", "--workers", "2.5"],
            "Invalid value for '--workers': '2.5' is not a whole number "
            "(see 'footfall season --help')",
        ),
        (["season", "x.fit"], "Missing option '--athlete' (see 'footfall season --help')"),
        (
            ["log-symptom", "--athlete", "a", "--date", "today", "--side", "up"],
            "Invalid value for '--side': 'up' is not one of 'left', 'right', 'both' "
            "(see 'footfall log-symptom --help')",
        ),
        (
            ["report", "session", "--athlete", "a"],
            "Missing argument 'SESSION' (see 'footfall report session --help')",
        ),
        (["report", "bogus"], "No such command 'bogus' (see 'footfall report --help')"),
        (["bogus"], "No such command 'bogus' (see 'footfall --help')"),
        (
            ["seasn"],
            "No such command 'seasn'. Did you mean 'season', 'users'? (see 'footfall --help')",
        ),
        (["--version", "--bogus"], "No such option: --bogus (see 'footfall --help')"),  # not eager
        (
            ["serve", "--port", "http"],
            "Invalid value for '--port': 'http' is not a whole number "
            "(see 'footfall serve --help')",
        ),
    ],
)
def test_usage_errors_of_groups_and_store_commands(argv: list[str], line: str) -> None:
    with pytest.raises(UsageError) as error:
        _parse(*argv)
    assert str(error.value) == line


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """cli(*args) -> (exit status, stdout, stderr) of `footfall *args`, in-process."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["footfall", *args])
        with pytest.raises(SystemExit) as stop:
            main()
        out, err = capsys.readouterr()
        assert isinstance(stop.value.code, int)
        return stop.value.code, out, err

    return run


def test_a_usage_error_is_one_line_and_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("analyze", "x.fit", "--height", "nan") == (
        2,
        "",
        "footfall: Invalid value for '--height': 'nan' is not a number "
        "(see 'footfall analyze --help')\n",
    )
    assert cli("reanalyze", "--engine") == (
        2,
        "",
        "footfall: Option '--engine' requires an argument (see 'footfall reanalyze --help')\n",
    )


@pytest.mark.parametrize("group", [[], ["report"], ["athletes"], ["users"]])
def test_a_group_without_its_command_shows_its_help_on_stderr(cli, group: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*group)
    assert (code, out) == (2, "")
    assert err.startswith(f"Usage: {' '.join(['footfall', *group])} [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nCommands:\n" in err
    _, help_out, _ = cli(*group, "--help")
    assert help_out == err  # the same help as --help, which exits 0 on stdout


def test_help_shows_every_option_once_with_its_value_and_default(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("season", "--help")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Usage: footfall season [OPTIONS] PATH..."
    assert any(
        re.match(r"^  -f, --format <json\|html\|both>  +html: the season page", x) for x in lines
    )
    assert any(re.match(r"^  --engine <pool\|dask>  +pool: a process pool", x) for x in lines)
    assert "[default: html]" in " ".join(out.split()) and "[required]" in out
    assert re.match(r"^  --help  +Show this message and exit\.$", lines[-1])  # last, as before
    assert "-h," not in out and "<bool>" not in out


def test_help_and_version_win_only_over_a_correct_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("season", "--help")  # no PATH, no --athlete: the help all the same
    assert code == 0 and out.startswith("Usage: footfall season")
    assert cli("--version", "analyze") == (0, version("footfall") + "\n", "")
    code, out, err = cli("analyze", "--help", "--bogus")
    assert (code, out) == (2, "")
    assert err == "footfall: No such option: --bogus (see 'footfall analyze --help')\n"


def test_converters() -> None:
    from argparse import ArgumentTypeError

    from footfall.cli import OutputFormat
    from footfall.cli.values import choice, choices_metavar, number, whole_number

    assert number("1e3") == 1000.0 and number(" -2.5 ") == -2.5
    assert whole_number(" 7 ") == 7
    assert choice(OutputFormat)("json") is OutputFormat.json
    assert choices_metavar(OutputFormat) == "<json|html|both>"
    for convert, text, problem in [
        (number, "inf", "'inf' is not a number"),
        (number, "1,5", "'1,5' is not a number"),
        (whole_number, "7.0", "'7.0' is not a whole number"),
        (choice(OutputFormat), "JSON", "'JSON' is not one of 'json', 'html', 'both'"),
    ]:
        with pytest.raises(ArgumentTypeError) as error:
            convert(text)
        assert str(error.value) == problem


@pytest.mark.parametrize(
    ("args", "wanted"),
    [
        (["analyze", "x.fit", "--side", "left"], []),  # its own command: none of the others
        (["athletes", "--help"], ["footfall.cli.store_commands"]),
        (["season", "--help"], ["footfall.cli.season_commands"]),
        (["--help"], list(COMMANDS)),  # the help lists every command
        (["seasn"], list(COMMANDS)),  # and a typo is matched against all of them
    ],
)
def test_a_command_loads_only_its_own_module(args: list[str], wanted: list[str]) -> None:
    """Each command module declares its commands only when a call can reach them:
    `footfall analyze` builds only its own (issue 8, start-up)."""
    status = 0 if args[0] in ("athletes", "season", "--help") else 2
    out, loaded = _probe(args, status=status, modules=COMMANDS)
    assert loaded == wanted
    if args == ["--help"]:
        assert all(name in out for name in ("season", "athletes", "users", "serve", "report"))
