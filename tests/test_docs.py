"""Every detector and every CLI option is documented (after datasette's test_docs.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from footfall.cli import load_commands
from footfall.cli.parsing import CommandParser
from footfall.detectors import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def test_every_detector_is_documented() -> None:
    text = (ROOT / "docs" / "analysis-json.md").read_text()
    for detector in REGISTRY:
        assert f"`{detector.NAME}`" in text, detector.NAME


def _commands(parser: CommandParser) -> Iterator[tuple[str, CommandParser]]:
    """('footfall report season', its parser), every command and group under ``parser``."""
    yield parser.prog, parser
    for child in parser.commands.values():
        yield from _commands(child)


def test_every_cli_option_is_documented() -> None:
    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "cli.md").read_text()
    found = list(_commands(load_commands()))
    assert len(found) == 20  # footfall, its 9 commands, report's 3, athletes' 3, users' 4
    for name, command in found:
        assert name in readme, name
        for opt in command.option_names:
            if opt.startswith("--") and opt != "--help":
                assert opt in readme, f"{name} {opt} is not documented"
