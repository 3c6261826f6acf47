"""The command line's parser: the standard library's argparse, with footfall's conventions.

argparse rather than typer or click: start-up is part of the interface (the whole
`footfall analyze x.fit --format json` may take at most 1.3 times `import pandas`), and
`import typer` alone cost ~38 ms of it (click ~14 ms, argparse ~3 ms); typer 0.2x also
converted every value through pydantic unless its private parameter internals were patched.

What argparse does differently by default, and is changed here:

- every usage error is one line on stderr, ``footfall: <problem> (see 'footfall <command>
  --help')``, raised as :class:`UsageError` (argparse prints its usage and exits);
- options and arguments mix in any order (``analyze a.fit --format json b.fit``): the
  command is found word by word, then its own parser reads the rest intermixed (argparse's
  subparsers would stop the file list at the first option);
- no abbreviations (``--stric`` is not ``--strict``), and a close match is suggested instead;
- required options and arguments, and the sections of the help, are footfall's own, so the
  messages say ``Missing option '--athlete'`` as they did, and ``--help`` has no ``-h``.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, NoReturn

from footfall.cli.values import choice, choices_metavar
from footfall.errors import printable


class UsageError(Exception):
    """A wrong command line: one line naming the problem and the help that explains it.

    ``help_text`` set means that help is the answer itself (a command group given no
    command, as `footfall` alone)."""

    def __init__(self, problem: str, prog: str, help_text: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.prog = prog
        self.help_text = help_text

    def __str__(self) -> str:
        return printable(f"{self.problem} (see '{self.prog} --help')")


class HelpFormatter(argparse.HelpFormatter):
    """``Usage:`` and ``-f, --format <json|html|both>``, the value shown once.

    The second is argparse's own layout from Python 3.13; before it, argparse repeats the
    value after every name (``-f FORMAT, --format FORMAT``). The override is of a hook whose
    loss would only bring that layout back."""

    def __init__(self, prog: str) -> None:
        # wide enough that `-f, --format <json|html|both>` keeps its help on its own line
        super().__init__(prog, max_help_position=34)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "Usage: " if prefix is None else prefix)

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        names = ", ".join(sorted(action.option_strings, key=len))  # -f before --format
        return f"{names} {action.metavar}"


#: where an eager flag leaves what it will do, in the values read
_EAGER = "eager flag"


class _Eager(argparse.Action):
    """A flag that ends the command (``--help``, ``--version``): it acts once every word
    was read without error and before anything is checked or run, as click's eager options
    did (`footfall --version --bogus` is an unknown option, `season --help` needs no PATH)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        self.run: Callable[[], None] = kwargs.pop("run")
        super().__init__(option_strings, argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, *args: Any) -> None:
        setattr(namespace, _EAGER, self.run)


class CommandParser(argparse.ArgumentParser):
    """One command (``footfall analyze``) or one group of commands (``footfall``,
    ``footfall report``): its options, arguments and help, and the function that runs it
    with the values read as keyword arguments."""

    def __init__(
        self,
        prog: str,
        summary: str,
        description: str | None = None,
        run: Callable[..., int | None] | None = None,
    ) -> None:
        super().__init__(
            prog=prog,
            usage="%(prog)s [OPTIONS]",
            description=description or summary,
            formatter_class=HelpFormatter,
            add_help=False,  # --help alone, without -h (see _add_help)
            allow_abbrev=False,
            exit_on_error=False,  # ArgumentError reaches read(), which words it
        )
        self.summary = summary
        self.run = run
        self.commands: dict[str, CommandParser] = {}
        self.option_names: list[str] = []
        #: (dest, how a missing one is named), in the order they were declared
        self.required: list[tuple[str, str]] = []
        self._words: list[str] = []  # the arguments, for the usage line
        self._arguments = self.add_argument_group("Arguments")
        self._options = self.add_argument_group("Options")
        self._help_added = False  # --help comes last in the help: added on first use

    # building

    def command(
        self,
        name: str,
        summary: str,
        run: Callable[..., int | None] | None = None,
        description: str | None = None,
    ) -> CommandParser:
        """A command of this group; ``run`` None makes it a group of its own."""
        child = CommandParser(f"{self.prog} {name}", summary, description, run)
        if run is None:
            child.usage = "%(prog)s [OPTIONS] COMMAND [ARGS]..."
        self.commands[name] = child
        self.usage = "%(prog)s [OPTIONS] COMMAND [ARGS]..."
        return child

    def argument(
        self, dest: str, metavar: str, help: str, *, many: bool = False, type: Any = str
    ) -> None:
        """A required positional argument; ``many``: one or more."""
        self._arguments.add_argument(
            dest,
            metavar=metavar,
            nargs="*" if many else "?",  # "missing" is said by read(), in footfall's words
            type=type,
            help=_escaped(f"{help} [required]"),
        )
        self.required.append((dest, f"argument '{metavar}'"))
        self._words.append(f"{metavar}..." if many else metavar)
        self.usage = f"%(prog)s [OPTIONS] {' '.join(self._words)}"

    def option(
        self,
        *names: str,
        dest: str,
        metavar: str,
        help: str,
        type: Any = str,
        default: Any = None,
        required: bool = False,
    ) -> None:
        """An option that takes a value, converted by ``type``."""
        shown = getattr(default, "value", default)
        if required:
            help = f"{help} [required]"
            self.required.append((dest, f"option '{names[0]}'"))
        elif default is not None:
            help = f"{help} [default: {shown}]"
        self._add(names, dest=dest, metavar=metavar, type=type, default=default, help=help)

    def one_of(
        self,
        *names: str,
        dest: str,
        enum: type[Enum],
        help: str,
        default: Enum | None = None,
        required: bool = False,
    ) -> None:
        """An option whose value is one of ``enum``'s, shown as ``<a|b|c>`` in the help."""
        self.option(
            *names,
            dest=dest,
            metavar=choices_metavar(enum),
            type=choice(enum),
            help=help,
            default=default,
            required=required,
        )

    def flag(self, *names: str, dest: str, help: str) -> None:
        """A flag: True when given; it takes no value (``--strict true``: "true" is a file)."""
        self._add(names, dest=dest, action="store_true", help=help)

    def switch(self, name: str, dest: str, help: str) -> None:
        """``--name`` / ``--no-name``; None when neither is given."""
        self._add([name], dest=dest, action=argparse.BooleanOptionalAction, help=help)
        self.option_names.append("--no-" + name.removeprefix("--"))

    def eager(self, name: str, run: Callable[[], None], help: str) -> None:
        """A flag that runs ``run`` and ends the command (see _Eager)."""
        self._add([name], action=_Eager, run=run, help=help)

    def _add_help(self) -> None:
        """--help, the last option: added when the parser is first read or shown."""
        if not self._help_added:
            self._help_added = True
            self.eager("--help", self.print_help, help="Show this message and exit.")

    def _add(self, names: Sequence[str], **kwargs: Any) -> None:
        kwargs["help"] = _escaped(kwargs["help"])
        self._options.add_argument(*names, **kwargs)
        self.option_names.extend(names)

    # reading

    def parse(self, argv: Sequence[str]) -> tuple[CommandParser, dict[str, Any]]:
        """The command ``argv`` names and its values; UsageError when it is wrong. --help
        and --version print and end the process (SystemExit 0)."""
        parser, words = self, list(argv)
        while parser.commands:
            at = next((i for i, w in enumerate(words) if not w.startswith("-")), len(words))
            parser.read(words[:at])  # its own options: --help, --version, or a wrong one
            if at == len(words):
                raise UsageError("no command given", parser.prog, parser.format_help())
            name = words[at]
            if name not in parser.commands:
                raise UsageError(parser._no_such_command(name), parser.prog)
            parser, words = parser.commands[name], words[at + 1 :]
        values = parser.read(words)
        for dest, shown in parser.required:
            if values.get(dest) in (None, []):
                raise UsageError(f"Missing {shown}", parser.prog)
        return parser, values

    def read(self, words: list[str]) -> dict[str, Any]:
        """This parser's values in ``words``, options and arguments in any order."""
        self._add_help()
        try:
            namespace, extras = self.parse_known_intermixed_args(words)
        except argparse.ArgumentError as exc:
            raise UsageError(_problem(exc), self.prog) from None
        if extras:
            raise UsageError(self._unexpected(extras), self.prog)
        values = vars(namespace)
        eager = values.pop(_EAGER, None)
        if eager is not None:
            eager()
            self.exit()
        return values

    def error(self, message: str) -> NoReturn:
        """Whatever argparse still reports itself: one line too."""
        raise UsageError(message, self.prog)

    def _unexpected(self, extras: list[str]) -> str:
        option = next((w for w in extras if w.startswith("-") and w != "-"), None)
        if option is None:
            s = "s" if len(extras) > 1 else ""
            return f"Got unexpected extra argument{s} ({' '.join(extras)})"
        name = option.split("=", 1)[0]
        problem = f"No such option: {name}"
        if not name.startswith("--"):
            return problem
        import difflib  # only on this error path

        longs = [n for n in self.option_names if n.startswith("--")]
        close = sorted(difflib.get_close_matches(name, longs))
        if len(close) == 1:
            return f"{problem} Did you mean {close[0]}?"
        return f"{problem} (Possible options: {', '.join(close)})" if close else problem

    def _no_such_command(self, name: str) -> str:
        import difflib  # only on this error path

        close = difflib.get_close_matches(name, list(self.commands))
        if not close:
            return f"No such command '{name}'"
        return f"No such command '{name}'. Did you mean {', '.join(f'{c!r}' for c in close)}?"

    # help

    def format_help(self) -> str:
        """argparse's help, and for a group the list of its commands."""
        self._add_help()
        text = super().format_help()
        if not self.commands:
            return text
        width = shutil.get_terminal_size().columns - 2  # as argparse wraps
        column = max(map(len, self.commands)) + 4
        lines = ["Commands:"]
        for name, child in self.commands.items():
            first = f"  {name}".ljust(column)
            lines += textwrap.wrap(
                child.summary,
                max(width, column + 20),
                initial_indent=first,
                subsequent_indent=" " * column,
            )
        return text + "\n" + "\n".join(lines) + "\n"


def _escaped(help_text: str) -> str:
    """argparse expands %-placeholders in help: a literal % is written %%."""
    return help_text.replace("%", "%%")


def _problem(exc: argparse.ArgumentError) -> str:
    """An ArgumentError in click's words, which footfall has always used."""
    if not exc.argument_name:
        return exc.message
    names = exc.argument_name.split("/")
    name = max(names, key=len)
    if exc.message == "expected one argument":
        return f"Option '{name}' requires an argument"
    if exc.message.startswith("ignored explicit argument"):
        return f"Option '{name}' does not take a value"
    # a converter's ArgumentTypeError: its text says what is wrong with the value
    return f"Invalid value for {' / '.join(f'{n!r}' for n in names)}: {exc.message}"
