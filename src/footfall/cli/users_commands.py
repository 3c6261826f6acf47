"""`footfall serve` and `footfall users add|list|grant|revoke`: the web app and its accounts.

Only the standard library at import time (footfall --help stays light). The web
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
from typing import Any

from footfall.cli import EXIT_OK, EXIT_USAGE, TextOrJson, _err, echo
from footfall.cli.parsing import CommandParser
from footfall.cli.values import whole_number

#: the app factory uvicorn imports (footfall.web.app)
APP_FACTORY = "footfall.web.app:app_from_environment"
#: uvicorn's own default port
DEFAULT_PORT = 8000


class Role(StrEnum):
    coach = "coach"
    athlete = "athlete"


def add_commands(root: CommandParser) -> None:
    """The users group and serve."""
    group = root.command(
        "users",
        "Web app accounts in the store: add one, list them, grant or revoke read access.",
    )
    cmd = group.command(
        "add",
        "Add an account; the password is read from standard input.",
        users_add,
        description="Add an account; the password is read from standard input. An athlete's "
        "account is the athlete of that name in the store (created if new).",
    )
    cmd.argument("name", "NAME", "the account's name")
    cmd.one_of(
        "--role",
        dest="role",
        enum=Role,
        help="coach or athlete",
        required=True,
    )
    cmd.option(
        "--coach", dest="coach", metavar="COACH", help="an athlete's coach (accepted at once)"
    )
    cmd = group.command(
        "list",
        "List the accounts, their role, their coach and who may read each athlete.",
        users_list,
    )
    cmd.one_of(
        "--format",
        "-f",
        dest="output_format",
        enum=TextOrJson,
        default=TextOrJson.text,
        help="text (default) or json",
    )
    cmd = group.command(
        "grant",
        "Let another account read an athlete's season and sessions (read only).",
        users_grant,
    )
    cmd.argument("athlete", "ATHLETE", "whose runs")
    cmd.option("--to", dest="reader", metavar="NAME", help="the account that reads", required=True)
    cmd = group.command(
        "revoke", "Take back an account's read access to an athlete's runs.", users_revoke
    )
    cmd.argument("athlete", "ATHLETE", "whose runs")
    cmd.option(
        "--from",
        dest="reader",
        metavar="NAME",
        help="the account that loses access",
        required=True,
    )

    cmd = root.command("serve", "Run the web app on the store (FOOTFALL_HOME) until Ctrl-C.", serve)
    cmd.option(
        "--host",
        dest="host",
        metavar="ADDRESS",
        default="127.0.0.1",
        help="where to listen (default 127.0.0.1)",
    )
    cmd.option(
        "--port",
        dest="port",
        metavar="PORT",
        type=whole_number,
        default=DEFAULT_PORT,
        help=f"the port (default {DEFAULT_PORT})",
    )
    cmd.option(
        "--workers",
        dest="workers",
        metavar="N",
        type=whole_number,
        help="analysis processes (default: the cores)",
    )
    cmd.flag(
        "--secure-cookies",
        dest="secure_cookies",
        help="mark cookies Secure (behind an HTTPS proxy)",
    )


def read_password() -> str:
    """The new password: twice on a terminal (they must agree), else one line of stdin."""
    if sys.stdin.isatty():
        import getpass

        try:
            first = getpass.getpass("password: ")
            again = getpass.getpass("password again: ")
        except EOFError:  # Ctrl-D at a prompt: giving up, as with Ctrl-C (click said so too)
            raise KeyboardInterrupt from None
        if again != first:
            _err("the two passwords differ; nothing was changed")
            raise SystemExit(EXIT_USAGE)
        return first
    line = sys.stdin.readline()
    if not line:
        _err("give the password on standard input (echo ... | footfall users add ...)")
        raise SystemExit(EXIT_USAGE)
    return line.rstrip("\r\n")


def users_add(name: str, role: Role, coach: str | None) -> None:
    """Add an account; the password is read from standard input. An athlete's account is
    the athlete of that name in the store (created if new)."""
    password = read_password()
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        user = Accounts(store).add(name, role.value, password, coach=coach)
    coached = f", coached by {user.coach}" if user.coach else ""
    echo(f"{user.name}: {user.role} account added{coached}")


def users_list(output_format: TextOrJson) -> None:
    """List the accounts, their role, their coach and who may read each athlete."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    rows: list[dict[str, Any]] = []
    with open_store(readonly=True, missing_ok=True) as store:
        accounts = Accounts(store) if store else None
        for user in accounts.users() if accounts else []:
            readers = accounts.readers(user) if accounts and user.role == "athlete" else []
            rows.append({**user.to_dict(), "readers": readers})
    if output_format == TextOrJson.json:
        echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        echo("no accounts yet (footfall users add NAME --role coach)")
    for row in rows:
        coach = ""
        if row["coach"]:
            coach = f", coach {row['coach']}" + ("" if row["coach_accepted"] else " (asked)")
        read_by = f", read by {', '.join(row['readers'])}" if row["readers"] else ""
        echo(f"{row['name']}: {row['role']}{coach}{read_by}")


def users_grant(athlete: str, reader: str) -> None:
    """Let another account read an athlete's season and sessions (read only)."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        accounts = Accounts(store)
        added = accounts.grant(accounts.require(athlete), reader)
    echo(f"{athlete}: {reader} {'may now read' if added else 'could already read'} the runs")


def users_revoke(athlete: str, reader: str) -> int:
    """Take back an account's read access to an athlete's runs."""
    from footfall.cli.outputs import open_store
    from footfall.store.accounts import Accounts

    with open_store() as store:
        accounts = Accounts(store)
        removed = accounts.revoke(accounts.require(athlete), reader)
    if not removed:
        _err(f"{reader} had no access to {athlete}'s runs")
        return EXIT_USAGE
    echo(f"{athlete}: {reader} can no longer read the runs")
    return EXIT_OK


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


def serve(host: str, port: int, workers: int | None, secure_cookies: bool) -> int:
    """Run the web app on the store (FOOTFALL_HOME) until Ctrl-C."""
    if not 0 < port < 65536:
        _err(f"--port {port}: give 1-65535")
        return EXIT_USAGE
    if workers is not None and workers < 1:
        _err(f"--workers {workers}: give at least 1")
        return EXIT_USAGE
    try:
        import uvicorn
    except ImportError:
        _err("footfall serve needs the web extra: pip install 'footfall[web]'")
        return EXIT_USAGE
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
        return EXIT_USAGE
    from footfall.store import home_folder

    os.environ["FOOTFALL_HOME"] = str(home_folder())
    os.environ["FOOTFALL_WEB_SECURE_COOKIES"] = "1" if secure_cookies else "0"
    if workers is not None:
        os.environ["FOOTFALL_WEB_WORKERS"] = str(workers)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="info")
    return EXIT_OK
