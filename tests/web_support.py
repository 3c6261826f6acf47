"""What the web tests share: a store with accounts (real argon2), run files with known
numbers, signing in, and a real ``footfall serve`` on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from footfall.store import Store
from footfall.store.accounts import Accounts
from tests import season_samples as ss
from tests.conftest import ROOT

PASSWORDS = {
    "kim": "kim coaches on tuesdays",
    "ana": "ana runs before breakfast",
    "bob": "bob runs after work daily",
    "cy": "cy only reads the numbers",
    "lee": "lee coaches another club",
}
#: how long a test waits for the server to answer its health check (a loaded 2-core
#: machine imports pandas and plotly in a few seconds) [heuristic]
SERVER_START_S = 90.0


def make_accounts(home: Path) -> None:
    """kim coaches ana (accepted); bob asked kim (not accepted yet); cy is an athlete with
    no runs; lee is another coach."""
    with Store(home) as store:
        accounts = Accounts(store)
        accounts.add("kim", "coach", PASSWORDS["kim"])
        accounts.add("lee", "coach", PASSWORDS["lee"])
        accounts.add("ana", "athlete", PASSWORDS["ana"], coach="kim")
        bob = accounts.add("bob", "athlete", PASSWORDS["bob"])
        accounts.ask_coach(bob, "kim")
        accounts.add("cy", "athlete", PASSWORDS["cy"])


def run_file(week: int = 0, day: int = 0, cadence: float = 168.0, seed: int = 1) -> bytes:
    """A synthetic FIT run with a known median cadence (spm) at 3.0 m/s."""
    run = ss.Run(ss.days(week, day), 3.0, cadence, seed=seed)
    return ss.run_fit(run)


def distinct_runs(count: int, cadence: float = 170.0) -> list[bytes]:
    """``count`` runs on different days (so none is the same run as another)."""
    base = ss.Run(ss.days(0, 0), 3.0, cadence, minutes=10)
    return [
        ss.run_fit(replace(base, start=base.start + timedelta(days=i, hours=i % 5), seed=i))
        for i in range(count)
    ]


def sign_in(client: Any, name: str) -> str:
    """Sign ``client`` in as ``name``; returns the CSRF token."""
    answer = client.post("/api/login", json={"username": name, "password": PASSWORDS[name]})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["csrf_token"]
    return token


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL the server and then what it started (its process group)."""
        pgid = os.getpgid(self.process.pid)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def start_server(home: Path, log: Path, workers: int = 2) -> Server:
    """``footfall serve`` (this checkout's code) on a free port, once it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "FOOTFALL_HOME": str(home)}
    command = [
        sys.executable,
        "-c",
        "from footfall.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    handle = log.open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(server.url + "/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.kill()
    raise AssertionError(f"the server did not answer in time: {log.read_text()[-2000:]}")


@contextmanager
def running_server(home: Path, log: Path) -> Iterator[Server]:
    server = start_server(home, log)
    try:
        yield server
    finally:
        server.stop()


def integrity(home: Path) -> str:
    with Store(home, readonly=True) as store:
        return store.integrity()
