"""Every detector and every CLI option is documented (after datasette's test_docs.py)."""

from __future__ import annotations

from pathlib import Path

from footfall.cli import load_commands
from footfall.detectors import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


def test_every_detector_is_documented() -> None:
    text = (ROOT / "docs" / "analysis-json.md").read_text()
    for detector in REGISTRY:
        assert f"`{detector.NAME}`" in text, detector.NAME


def test_every_cli_option_is_documented() -> None:
    import typer.main

    command = typer.main.get_command(load_commands())
    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "cli.md").read_text()
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert f"footfall {name}" in readme, name
        for param in sub.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"footfall {name} {opt} is not documented"
