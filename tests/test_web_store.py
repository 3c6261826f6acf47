"""The web app and the store's one writer: the app holds the writer lock only for a write
(the CLI imports while it runs), a writer busy for longer than the app waits is a 503 with
Retry-After, a version-2 store gains the accounts tables; `footfall users` reads the
password from standard input and never from an argument."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footfall.cli import main
from footfall.cli.users_commands import is_loopback
from footfall.store import Store
from footfall.store.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Accounts, hasher
from footfall.store.database import DATABASE_NAME
from footfall.store.schema import SCHEMA_VERSION, migrate
from footfall.web.app import create_app
from footfall.web.settings import RETRY_AFTER_S, WebSettings
from tests.conftest import ROOT
from tests.web_support import PASSWORDS, make_accounts, run_file, sign_in

#: how long the app waits for the writer lock in these tests: short, so a held lock is a
#: quick 503 [heuristic]
TEST_WRITER_WAIT_S = 0.3


@pytest.fixture(scope="module")
def busy_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, Path]]:
    home = tmp_path_factory.mktemp("web-store")
    make_accounts(home)
    settings = WebSettings(home=home, workers=1, writer_wait_s=TEST_WRITER_WAIT_S)
    with TestClient(create_app(settings=settings)) as client:
        yield client, sign_in(client, "ana"), home


def test_the_app_does_not_hold_the_writer_lock(busy_app: tuple[TestClient, str, Path]) -> None:
    client, _, home = busy_app
    assert client.get("/api/me").status_code == 200
    with Store(home, lock_wait_s=TEST_WRITER_WAIT_S) as cli_writer:  # what `footfall season` opens
        cli_writer.save_athlete("dee", height_cm=170)
    assert client.get("/api/me").status_code == 200


def test_a_busy_writer_is_503_with_retry_after_and_nothing_half_done(
    busy_app: tuple[TestClient, str, Path],
) -> None:
    client, token, home = busy_app
    files = {"file": ("held.fit", run_file(week=3, seed=21))}
    with Store(home):  # another writer holds the lock for longer than the app waits
        answer = client.post(
            "/api/athletes/ana/uploads", files=files, headers={"X-CSRF-Token": token}
        )
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == str(RETRY_AFTER_S)
        assert "writing to the store" in answer.json()["detail"]
        reads = client.get("/api/athletes/ana/files")
        assert reads.status_code == 200  # readers go on while a writer holds the lock
        symptom = {"date": "2026-05-03", "side": "left"}
        logged = client.post(
            "/api/athletes/ana/symptoms", json=symptom, headers={"X-CSRF-Token": token}
        )
        assert logged.status_code == 503
    assert client.get("/api/athletes/ana/files").json() == []  # the refused upload left nothing
    retried = client.post("/api/athletes/ana/uploads", files=files, headers={"X-CSRF-Token": token})
    assert retried.status_code == 201


def test_a_version_2_store_gains_accounts(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    migrate(db, "test", target=2)
    db.execute("INSERT INTO athletes (name, created_at) VALUES ('ana', 'then')")
    db.close()
    with Store(tmp_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        user = Accounts(store).add("ana", "athlete", PASSWORDS["ana"])
        assert store.require_athlete("ana").id == 1  # her account is the stored athlete
        assert user.to_dict() == {
            "name": "ana",
            "role": "athlete",
            "coach": None,
            "coach_accepted": False,
        }
        (stored,) = store.conn.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORDS["ana"] not in stored
    hasher().verify(stored, PASSWORDS["ana"])


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """cli(stdin, *args) -> (exit status, stdout, stderr)."""
    monkeypatch.setenv("FOOTFALL_HOME", str(tmp_path / "home"))

    def run(stdin: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["footfall", *args])
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as stop:
            main()
        out, err = capsys.readouterr()
        code = stop.value.code
        return (code if isinstance(code, int) else 0), out, err

    return run


def test_users_add_reads_the_password_from_a_pipe(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli(PASSWORDS["kim"] + "\n", "users", "add", "kim", "--role", "coach")
    assert (status, out, err) == (0, "kim: coach account added\n", "")
    status, out, _ = cli(
        PASSWORDS["ana"] + "\n", "users", "add", "ana", "--role", "athlete", "--coach", "kim"
    )
    assert status == 0 and out == "ana: athlete account added, coached by kim\n"
    status, out, _ = cli("", "users", "grant", "ana", "--to", "kim")
    assert status == 0
    status, out, _ = cli("", "users", "list", "--format", "json")
    assert json.loads(out) == [
        {
            "name": "ana",
            "role": "athlete",
            "coach": "kim",
            "coach_accepted": True,
            "readers": ["kim"],
        },
        {"name": "kim", "role": "coach", "coach": None, "coach_accepted": False, "readers": []},
    ]
    status, out, _ = cli("", "users", "revoke", "ana", "--from", "kim")
    assert status == 0 and out == "ana: kim can no longer read the runs\n"
    with Store(tmp_path / "home", readonly=True) as store:
        assert Accounts(store).verify("ana", PASSWORDS["ana"]) is not None
        assert Accounts(store).verify("ana", PASSWORDS["ana"] + "\n") is None


@pytest.mark.parametrize(
    ("stdin", "args", "message"),
    [
        ("short\n", ("users", "add", "x", "--role", "coach"), f"at least {MIN_PASSWORD_LENGTH}"),
        ("", ("users", "add", "x", "--role", "coach"), "give the password on standard input"),
        (
            "a long enough password\n",
            ("users", "add", "x", "--role", "boss"),
            "'boss' is not one of",
        ),
        (
            "a long enough password\n",
            ("users", "add", "x", "--role", "athlete", "--coach", "zed"),
            "no account named 'zed'",
        ),
        (
            "",
            ("users", "add", "x", "--role", "coach", "--password", "p"),
            "No such option: --password",
        ),
        ("", ("users", "revoke", "nobody", "--from", "kim"), "no account named 'nobody'"),
    ],
)
def test_users_errors_are_one_line(cli, stdin: str, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli(stdin, *args)
    assert status == 2, (out, err)
    assert err.startswith("footfall: ") and err.count("\n") == 1 and message in err, err


def _on_a_terminal(home: Path, args: list[str], typed: list[str]) -> tuple[int, str]:
    """Run footfall with a real pseudo-terminal as its controlling terminal, typing ``typed``
    line by line at each password prompt; (exit status, what the terminal showed)."""
    import os
    import pty
    import select
    import signal

    env = {**os.environ, "FOOTFALL_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    code = "from footfall.cli import main; main()"
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.execve(sys.executable, [sys.executable, "-c", code, *args], env)
    shown, answered = b"", 0
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:  # stuck: end the child rather than the test run
            os.kill(pid, signal.SIGKILL)
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        # answer each prompt once it is shown (getpass has turned echo off by then)
        if answered < len(typed) and shown.count(b"password") > answered:
            os.write(fd, typed[answered].encode() + b"\n")
            answered += 1
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_on_a_terminal_the_password_is_asked_twice(tmp_path: Path) -> None:
    home = tmp_path / "home"
    args = ["users", "add", "kim", "--role", "coach"]
    status, shown = _on_a_terminal(home, args, [PASSWORDS["kim"], PASSWORDS["kim"] + "x"])
    assert status == 2 and "the two passwords differ" in shown
    assert PASSWORDS["kim"] not in shown  # never echoed
    status, shown = _on_a_terminal(home, args, [PASSWORDS["kim"], PASSWORDS["kim"]])
    assert status == 0 and "kim: coach account added" in shown
    with Store(home, readonly=True) as store:
        assert Accounts(store).verify("kim", PASSWORDS["kim"]) is not None


def test_serve_refuses_a_port_in_use_on_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        status, out, err = cli("", "serve", "--port", port)
    assert status == 2 and out == ""
    assert err.startswith(f"footfall: cannot listen on 127.0.0.1:{port}: ") and err.count("\n") == 1
    status, _, err = cli("", "serve", "--port", "0")
    assert status == 2 and err == "footfall: --port 0: give 1-65535\n"


def test_serve_warns_on_one_line_when_reachable_without_tls_in_front(cli) -> None:  # type: ignore[no-untyped-def]
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): no machine has it, so nothing is ever served here
    status, out, err = cli("", "serve", "--host", "192.0.2.1", "--port", "8765")
    warning, refused = err.splitlines()
    assert status == 2 and out == "" and err.count("\n") == 2
    assert warning.startswith(
        "footfall: warning: 192.0.2.1 is reachable from other machines and no TLS is in front"
    )
    assert refused.startswith("footfall: cannot listen on 192.0.2.1:8765: ")
    status, _, err = cli("", "serve", "--host", "192.0.2.1", "--port", "8765", "--secure-cookies")
    assert status == 2 and err.startswith("footfall: cannot listen") and err.count("\n") == 1
    import socket

    with socket.socket() as taken:  # loopback: no warning, only the port's own error
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for host in ("localhost", "127.0.0.1"):
            status, _, err = cli("", "serve", "--host", host, "--port", port)
            assert status == 2 and err.startswith("footfall: cannot listen"), err
            assert err.count("\n") == 1
    assert all(is_loopback(h) for h in ("127.0.0.2", "::1", "[::1]", "LOCALHOST"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "example.org"))


def test_an_athlete_added_with_coach_is_on_the_roster_at_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name, role, *more in (
        ("kim", "coach"),
        ("ana", "athlete", "--coach", "kim"),
        ("bob", "athlete"),
    ):
        status, _, err = cli(PASSWORDS[name] + "\n", "users", "add", name, "--role", role, *more)
        assert status == 0, err
    settings = WebSettings(home=tmp_path / "home", workers=1, resume_pending=False)
    with TestClient(create_app(settings=settings)) as kim:
        sign_in(kim, "kim")
        roster = kim.get("/api/roster").json()
        assert [row["athlete"] for row in roster["athletes"]] == ["ana"]
        assert roster["requests"] == []  # nothing for the coach to accept: ana has accepted kim
        assert [(a["name"], a["access"]) for a in kim.get("/api/athletes").json()] == [
            ("ana", "coach")
        ]
        page = kim.get("/roster")
        assert page.status_code == 200 and 'data-athlete="ana"' in page.text


def test_a_password_matches_only_as_a_whole(tmp_path: Path) -> None:
    longest = "p" * MAX_PASSWORD_LENGTH
    with Store(tmp_path) as store:
        accounts = Accounts(store)
        accounts.add("max", "coach", longest)
        assert accounts.verify("max", longest) is not None
        assert accounts.verify("max", longest + "p") is None  # not its first 1024 characters
        assert accounts.verify("MAX", longest) is not None  # names match without case
        assert accounts.verify("max\x00", longest) is None
