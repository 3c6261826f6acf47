"""Which of the CLI's command modules a call needs: each offers ``add_commands(root)``,
which declares its commands on the root parser, and only the modules a call can reach are
imported and asked to."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from footfall.cli import SUMMARY, add_commands, print_version
from footfall.cli.parsing import CommandParser

#: commands that a module of their own declares, imported only when one of them is asked
#: for: `footfall analyze` neither imports nor builds the store, season and web commands
#: (issue 8, start-up)
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


def load_commands(argv: Sequence[str] | None = None) -> CommandParser:
    """The root parser with the commands ``argv`` can reach: only its own command's module,
    or every command when there is none, or an unknown one (help and typo hints list them
    all)."""
    root = CommandParser("footfall", SUMMARY)
    root.eager("--version", print_version, help="Print the version and exit.")
    add_commands(root)
    command = next((a for a in argv if not a.startswith("-")), None) if argv is not None else None
    if command in OWN_COMMANDS:
        return root
    wanted = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else COMMAND_MODULES.values()
    for module in dict.fromkeys(wanted):
        importlib.import_module(f"footfall.cli.{module}").add_commands(root)
    return root
