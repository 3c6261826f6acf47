"""Start-up cost of the `footfall` command: what each command imports (no timings here;
scripts/bench.py measures the time)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from typing import Any

import pytest
import typer.main

from footfall.cli import load_commands
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
HEAVY = ("pandas", "numpy", "pydantic", "rich", "plotly", "jinja2", "scipy")
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


def _analyze_param(option: str) -> tuple[Any, Any]:
    """The analyze command's parameter, and a context in which footfall.cli has given it
    its own converter (parsing installs them)."""
    command = typer.main.get_command(load_commands()).commands["analyze"]  # type: ignore[attr-defined]
    ctx = command.make_context("analyze", ["x.fit"])
    param = next(p for p in command.params if p.name == option)
    assert type(param.get_runtime_param()).__name__ == "PlainValue"
    return param, ctx


@pytest.mark.parametrize(
    ("option", "text"),
    [
        ("files", ["a.fit", "dir/b.gpx"]),
        ("output_format", "both"),
        ("out_dir", "out/"),
        ("height", "172.5"),
        ("target_cadence", "175"),
        ("numbness_at", "25m"),
        ("strict", True),
        ("files", None),
        ("height", None),
    ],
)
def test_plain_conversion_matches_typer_own(option: str, text: Any) -> None:
    """footfall.cli converts option values without pydantic; it must give what typer would."""
    from typer._coercion import build_runtime_param

    param, ctx = _analyze_param(option)
    theirs = build_runtime_param(param.type_descriptor).coerce(text, param=param, ctx=ctx)
    ours = param.get_runtime_param().coerce(text, param=param, ctx=ctx)
    assert ours == theirs
    assert type(ours) is type(theirs) or (list(ours) == list(theirs) == [])


@pytest.mark.parametrize(
    ("option", "text"), [("height", "tall"), ("output_format", "xml"), ("target_cadence", "")]
)
def test_plain_conversion_rejects_what_typer_rejects(option: str, text: str) -> None:
    from typer._coercion import build_runtime_param

    param, ctx = _analyze_param(option)
    with pytest.raises(typer.BadParameter):
        build_runtime_param(param.type_descriptor).coerce(text, param=param, ctx=ctx)
    with pytest.raises(typer.BadParameter):
        param.get_runtime_param().coerce(text, param=param, ctx=ctx)


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
    """typer builds every registered command on each call: `footfall analyze` registers
    only its own (issue 8, start-up)."""
    status = 0 if args[0] in ("athletes", "season", "--help") else 2
    out, loaded = _probe(args, status=status, modules=COMMANDS)
    assert loaded == wanted
    if args == ["--help"]:
        assert all(name in out for name in ("season", "athletes", "users", "serve", "report"))
