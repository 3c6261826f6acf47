"""`footfall serve` and `footfall users add|list|grant|revoke`: the web app and its accounts.

Only typer and the standard library at import time (footfall --help stays light). The web
app is started by name (uvicorn imports ``footfall.web.app``), so the CLI never imports the
web layer itself. Passwords are read from standard input, never from an argument (which
would land in the shell history and in ``ps``): asked twice on a terminal, one line from a
pipe.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from footfall.cli import EXIT_USAGE, _err, app
from footfall.cli_values import PlainCommand, PlainGroup

#: the app factory uvicorn imports (footfall.web.app)
APP_FACTORY = "footfall.web.app:app_from_environment"
#: uvicorn's own default port
DEFAULT_PORT = 8000


class Role(StrEnum):
    coach = "coach"
    athlete = "athlete"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


users_app = typer.Typer(
    cls=PlainGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Web app accounts in the store: add one, list them, grant or revoke read access.",
)
app.add_typer(users_app, name="users")


def read_password() -> str:
    """The new password: twice on a terminal (they must agree), else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("password again: ") != first:
            _err("the two passwords differ; nothing was changed")
            raise typer.Exit(EXIT_USAGE)
        return first
    line = sys.stdin.readline()
    if not line:
        _err("give the password on standard input (echo ... | footfall users add ...)")
        raise typer.Exit(EXIT_USAGE)
    return line.rstrip("\r\n")


@users_app.command("add", cls=PlainCommand)
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="the account's name")],
    role: Annotated[Role, typer.Option("--role", help="coach or athlete")],
    coach: Annotated[
        str | None,
        typer.Option("--coach", metavar="COACH", help="an athlete's coach (accepted at once)"),
    ] = None,
) -> None:
    """Add an account; the password is read from standard input. An athlete's account is
    the athlete of that name in the store (created if new)."""
    password = read_password()
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        user = Accounts(store).add(name, role.value, password, coach=coach)
    coached = f", coached by {user.coach}" if user.coach else ""
    typer.echo(f"{user.name}: {user.role} account added{coached}")


@users_app.command("list", cls=PlainCommand)
def users_list(
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text (default) or json")
    ] = ListFormat.text,
) -> None:
    """List the accounts, their role, their coach and who may read each athlete."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    rows: list[dict[str, Any]] = []
    with open_store(readonly=True, missing_ok=True) as store:
        accounts = Accounts(store) if store else None
        for user in accounts.users() if accounts else []:
            readers = accounts.readers(user) if accounts and user.role == "athlete" else []
            rows.append({**user.to_dict(), "readers": readers})
    if output_format == ListFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no accounts yet (footfall users add NAME --role coach)")
    for row in rows:
        coach = ""
        if row["coach"]:
            coach = f", coach {row['coach']}" + ("" if row["coach_accepted"] else " (asked)")
        read_by = f", read by {', '.join(row['readers'])}" if row["readers"] else ""
        typer.echo(f"{row['name']}: {row['role']}{coach}{read_by}")


@users_app.command("grant", cls=PlainCommand)
def users_grant(
    athlete: Annotated[str, typer.Argument(metavar="ATHLETE", help="whose runs")],
    reader: Annotated[str, typer.Option("--to", metavar="NAME", help="the account that reads")],
) -> None:
    """Let another account read an athlete's season and sessions (read only)."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        accounts = Accounts(store)
        added = accounts.grant(accounts.require(athlete), reader)
    typer.echo(f"{athlete}: {reader} {'may now read' if added else 'could already read'} the runs")


@users_app.command("revoke", cls=PlainCommand)
def users_revoke(
    athlete: Annotated[str, typer.Argument(metavar="ATHLETE", help="whose runs")],
    reader: Annotated[
        str, typer.Option("--from", metavar="NAME", help="the account that loses access")
    ],
) -> None:
    """Take back an account's read access to an athlete's runs."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        accounts = Accounts(store)
        removed = accounts.revoke(accounts.require(athlete), reader)
    if not removed:
        _err(f"{reader} had no access to {athlete}'s runs")
        raise typer.Exit(EXIT_USAGE)
    typer.echo(f"{athlete}: {reader} can no longer read the runs")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only: ``localhost`` or a loopback address
    (127.0.0.0/8, ::1). Any other name may resolve to an address others can reach."""
    import ipaddress

    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _port_free(host: str, port: int) -> str | None:
    """None when ``host:port`` can be listened on, else why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


@app.command(cls=PlainCommand)
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="where to listen (default 127.0.0.1)")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", help=f"the port (default {DEFAULT_PORT})")
    ] = DEFAULT_PORT,
    workers: Annotated[
        int | None,
        typer.Option("--workers", metavar="N", help="analysis processes (default: the cores)"),
    ] = None,
    secure_cookies: Annotated[
        bool,
        typer.Option("--secure-cookies", help="mark cookies Secure (behind an HTTPS proxy)"),
    ] = False,
) -> None:
    """Run the web app on the store (FOOTFALL_HOME) until Ctrl-C."""
    if not 0 < port < 65536:
        _err(f"--port {port}: give 1-65535")
        raise typer.Exit(EXIT_USAGE)
    if workers is not None and workers < 1:
        _err(f"--workers {workers}: give at least 1")
        raise typer.Exit(EXIT_USAGE)
    try:
        import uvicorn
    except ImportError:
        _err("footfall serve needs the web extra: pip install 'footfall[web]'")
        raise typer.Exit(EXIT_USAGE) from None
    if not is_loopback(host) and not secure_cookies:
        # said before anything else, so it is seen even when the port then fails
        _err(
            f"warning: {host} is reachable from other machines and no TLS is in front "
            "(--secure-cookies says a proxy terminates HTTPS): passwords and cookies would "
            "cross the network in the clear"
        )
    problem = _port_free(host, port)
    if problem is not None:
        _err(f"cannot listen on {host}:{port}: {problem}")
        raise typer.Exit(EXIT_USAGE)
    from footfall.store import home_folder

    os.environ["FOOTFALL_HOME"] = str(home_folder())
    os.environ["FOOTFALL_WEB_SECURE_COOKIES"] = "1" if secure_cookies else "0"
    if workers is not None:
        os.environ["FOOTFALL_WEB_WORKERS"] = str(workers)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="info")
