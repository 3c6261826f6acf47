"""A real `footfall serve` (uvicorn, the analysis process pool) on a free 127.0.0.1 port:
20 uploads at once over loopback, each stored and analysed once, while another user's
request is answered; and the server SIGKILLed in the middle of uploads, after which nothing
that was stored is lost, the database passes ``PRAGMA integrity_check``, and the next start
analyses what was left pending."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from footfall.errors import FootfallError
from footfall.store import Store, queries
from footfall.web.auth import CSRF_HEADER
from tests.web_support import (
    Server,
    distinct_runs,
    integrity,
    make_accounts,
    running_server,
    sign_in,
    start_server,
)

pytestmark = pytest.mark.slow
CONCURRENT_UPLOADS = 20
#: a generous bound per request on a loaded machine; the test does not time anything
REQUEST_TIMEOUT_S = 300.0
#: how long the kill test polls the store for its first kept original [heuristic]
FIRST_KEPT_WITHIN_S = 120.0


def signed_client(server: Server, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S)
    return client, sign_in(client, name)


def post_upload(server: Server, cookies: Any, token: str, name: str, data: bytes) -> Any:
    """One upload on its own connection; the JSON answer, or None if the server went away."""
    with httpx.Client(base_url=server.url, cookies=cookies, timeout=REQUEST_TIMEOUT_S) as c:
        try:
            answer = c.post(
                "/api/athletes/ana/uploads",
                files={"file": (name, data)},
                headers={CSRF_HEADER: token},
            )
        except httpx.HTTPError:
            return None
    return (answer.status_code, answer.json())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    home = tmp_path_factory.mktemp("web-server")
    make_accounts(home)
    with running_server(home, home.parent / "server.log") as started:
        yield started, home


def test_twenty_uploads_at_once_are_each_stored_and_analysed_once(
    server: tuple[Server, Path],
) -> None:
    running, home = server
    client, token = signed_client(running, "ana")
    runs = distinct_runs(CONCURRENT_UPLOADS)
    order: list[str] = []
    lock = threading.Lock()

    def one(k: int) -> Any:
        result = post_upload(running, client.cookies, token, f"run-{k:02d}.fit", runs[k])
        with lock:
            order.append(f"upload {k}")
        return result

    def another_user() -> int:
        time.sleep(0.5)  # let the uploads start first; no timing is asserted
        kim, _ = signed_client(running, "kim")
        status = kim.get("/api/me").status_code
        with lock:
            order.append("kim")
        return status

    with ThreadPoolExecutor(max_workers=CONCURRENT_UPLOADS + 1) as pool:
        kim_status = pool.submit(another_user)
        answers = list(pool.map(one, range(CONCURRENT_UPLOADS)))
    assert kim_status.result() == 200
    assert order.index("kim") < len(order) - 1  # answered while uploads were still running
    shas = {hashlib.sha256(data).hexdigest() for data in runs}
    for status, body in answers:
        assert status == 201, body
        assert (body["sessions"], body["analysed"]) == (1, 1)
        assert body["files"][0]["outcome"] == "session"
    assert {body["files"][0]["sha256"] for _, body in answers} == shas
    listed = client.get("/api/athletes/ana/sessions").json()
    assert sorted(row["id"] for row in listed) == sorted(b["files"][0]["id"] for _, b in answers)
    with Store(home, readonly=True) as store:
        ana = store.require_athlete("ana")
        counts = queries.counts(store, ana)
        assert (counts["sessions"], counts["session"], counts["pending"]) == (20, 20, 0)
        (originals,) = store.conn.execute("SELECT count(*) FROM originals").fetchone()
        assert originals == CONCURRENT_UPLOADS
        for data in runs:
            assert store.originals.get(hashlib.sha256(data).hexdigest()) == data
        analysed_at = store.conn.execute("SELECT count(DISTINCT sha256) FROM sessions").fetchone()
        assert analysed_at == (20,)
        assert store.integrity() == "ok"


def _outcomes(home: Path) -> list[str]:
    """The ledger's outcomes so far (none while the store is being created)."""
    try:
        with Store(home, readonly=True) as store:
            return [str(r[0]) for r in store.conn.execute("SELECT outcome FROM files")]
    except FootfallError:
        return []


def test_a_killed_server_loses_nothing_it_stored(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_accounts(home)
    server = start_server(home, tmp_path / "killed.log")
    runs = distinct_runs(8, cadence=172.0)
    try:
        client, token = signed_client(server, "ana")
        with ThreadPoolExecutor(max_workers=len(runs)) as pool:
            pending = [
                pool.submit(post_upload, server, client.cookies, token, f"k-{k}.fit", data)
                for k, data in enumerate(runs)
            ]
            deadline = time.monotonic() + FIRST_KEPT_WITHIN_S
            # kill once a first file is recorded: others are then kept and still pending
            while "session" not in _outcomes(home) and time.monotonic() < deadline:
                time.sleep(0.05)
            server.kill()  # SIGKILL, mid-upload
            answers = [f.result() for f in pending]
    finally:
        if server.process.poll() is None:
            server.kill()
    assert integrity(home) == "ok"
    acknowledged = {answer[1]["files"][0]["sha256"] for answer in answers if answer}
    with Store(home, readonly=True) as store:
        ana = store.require_athlete("ana")
        kept = queries.files(store, ana)
        assert kept, "the kill came before any upload was stored"
        for row in kept:  # every original the ledger names is whole on disk
            data = store.originals.get(row["sha256"])
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
        sessions = {s for s, _, _ in queries.analyses(store, ana)}
        assert acknowledged <= sessions  # what was answered 201 is a session
        before = {row["sha256"]: row["outcome"] for row in kept}
    with running_server(home, tmp_path / "restarted.log") as again:
        client, _ = signed_client(again, "ana")
        deadline = time.monotonic() + FIRST_KEPT_WITHIN_S
        files = client.get("/api/athletes/ana/files").json()
        while any(f["outcome"] == "pending" for f in files) and time.monotonic() < deadline:
            time.sleep(0.25)
            files = client.get("/api/athletes/ana/files").json()
    after = {f["sha256"]: f["outcome"] for f in files}
    assert set(after) == set(before)  # nothing stored went missing
    assert set(after.values()) == {"session"}  # what was pending was analysed on restart
    assert integrity(home) == "ok"
    print(f"\nkilled with {list(before.values())}; {len(acknowledged)} acknowledged")
