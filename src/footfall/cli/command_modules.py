"""Which of the CLI's command modules a call needs: they register their commands on
``footfall.cli.app`` when imported, and typer builds every registered command on each call."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import typer

from footfall.cli import app

#: commands that a module of their own registers on `app`, imported only when one of them is
#: asked for: `footfall analyze` then neither imports nor builds the store, season and web
#: commands (issue 8, start-up: typer builds every registered command on each call)
COMMAND_MODULES = {
    "season": "season_commands",
    "reanalyze": "season_commands",
    "report": "season_commands",
    "athletes": "store_commands",
    "log-symptom": "store_commands",
    "users": "users_commands",
    "serve": "users_commands",
}
#: the commands footfall.cli defines itself
OWN_COMMANDS = ("analyze", "version")


def load_commands(argv: Sequence[str] | None = None) -> typer.Typer:
    """``app`` with the commands ``argv`` can reach: only its own command's module, or every
    command when there is none, or an unknown one (help and typo hints list them all)."""
    command = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    if command in OWN_COMMANDS:
        return app
    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else COMMAND_MODULES.values()
    for module in dict.fromkeys(wanted):
        importlib.import_module(f"footfall.cli.{module}")  # registers its commands once
    return app
