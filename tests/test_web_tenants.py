"""Who sees whom, across accounts (real store, real argon2): an athlete sees only their own
runs, a coach only the athletes who asked them and were accepted, a granted reader reads
but never writes, and a grant taken back is gone. Unseen athletes are 404 whether or not
they exist; read-only ones are 403 on writes."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from footfall.store import Store, queries
from footfall.web.app import create_app
from footfall.web.auth import COOKIE_NAME, COOKIE_SALT, app_secret
from footfall.web.settings import SESSION_MAX_AGE_S, WebSettings
from tests.web_support import make_accounts, run_file, sign_in

#: what only a session report page holds (its header)
REPORT_MARK = "footfall · session report"


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("web-tenants")
    make_accounts(home)
    return home


@pytest.fixture(scope="module")
def clients(app_home: Path) -> Iterator[dict[str, tuple[TestClient, str]]]:
    """One signed-in client per account, all on one app: name -> (client, CSRF token)."""
    app = create_app(settings=WebSettings(home=app_home, workers=1))
    opened: dict[str, tuple[TestClient, str]] = {}
    with TestClient(app) as first:
        opened["ana"] = (first, sign_in(first, "ana"))
        others = {name: TestClient(app) for name in ("bob", "cy", "kim", "lee")}
        for name, client in others.items():
            opened[name] = (client, sign_in(client, name))
        files = {"file": ("ana.fit", run_file(cadence=171.0, seed=5))}
        ana, token = opened["ana"]
        stored = ana.post("/api/athletes/ana/uploads", files=files, headers={"X-CSRF-Token": token})
        assert stored.status_code == 201, stored.text
        yield opened


def csrf(clients: dict[str, tuple[TestClient, str]], name: str) -> dict[str, str]:
    return {"X-CSRF-Token": clients[name][1]}


def test_an_athlete_sees_only_their_own_runs(clients: dict[str, tuple[TestClient, str]]) -> None:
    bob, _ = clients["bob"]
    assert bob.get("/api/me").json()["athletes"] == {"bob": "own"}
    for path in ("/api/athletes/ana/season", "/api/athletes/ana/files", "/athletes/ana"):
        answer = bob.get(path)
        assert answer.status_code == 404, path
    assert bob.get("/api/athletes/ana/season").json() == {
        "detail": "no athlete named 'ana' that you can see"
    }
    assert bob.get("/api/athletes/nobody/season").json() == {
        "detail": "no athlete named 'nobody' that you can see"
    }  # the same answer: nothing tells whether ana exists
    files = {"file": ("x.fit", run_file(seed=9))}
    upload = bob.post("/api/athletes/ana/uploads", files=files, headers=csrf(clients, "bob"))
    assert upload.status_code == 404
    assert bob.get("/api/roster").status_code == 403


def test_a_coach_sees_accepted_athletes_only(clients: dict[str, tuple[TestClient, str]]) -> None:
    kim, _ = clients["kim"]
    lee, _ = clients["lee"]
    me = kim.get("/api/me").json()
    assert me["athletes"] == {"ana": "coach"} and me["requests"] == ["bob"]
    assert kim.get("/api/athletes/bob/season").status_code == 404  # asked, not accepted
    roster = kim.get("/api/roster").json()
    assert [a["athlete"] for a in roster["athletes"]] == ["ana"]
    assert roster["requests"] == ["bob"]
    assert lee.get("/api/athletes/ana/season").status_code == 404  # another coach
    assert lee.get("/api/roster").json()["athletes"] == []
    accepted = kim.post("/api/roster/bob/accept", headers=csrf(clients, "kim"))
    assert accepted.status_code == 200
    assert kim.get("/api/me").json()["athletes"] == {"ana": "coach", "bob": "coach"}
    assert kim.get("/api/athletes/bob/files").json() == []
    assert kim.delete("/api/roster/bob", headers=csrf(clients, "kim")).status_code == 204
    assert kim.get("/api/athletes/bob/files").status_code == 404
    assert kim.post("/api/roster/cy/accept", headers=csrf(clients, "kim")).status_code == 404


def test_a_coach_uploads_for_their_athlete_but_cannot_grant(
    clients: dict[str, tuple[TestClient, str]],
) -> None:
    kim, _ = clients["kim"]
    files = {"file": ("by-kim.fit", run_file(week=1, cadence=174.0, seed=11))}
    upload = kim.post("/api/athletes/ana/uploads", files=files, headers=csrf(clients, "kim"))
    assert upload.status_code == 201
    grant = kim.put("/api/athletes/ana/grants/lee", headers=csrf(clients, "kim"))
    assert grant.status_code == 403
    assert grant.json() == {"detail": "only ana can change who reads their runs"}


def test_a_grant_reads_only_and_is_taken_back(clients: dict[str, tuple[TestClient, str]]) -> None:
    ana, _ = clients["ana"]
    cy, _ = clients["cy"]
    assert cy.get("/api/athletes/ana/season").status_code == 404
    given = ana.put("/api/athletes/ana/grants/cy", headers=csrf(clients, "ana"))
    assert given.status_code == 201
    assert ana.put("/api/athletes/ana/grants/cy", headers=csrf(clients, "ana")).status_code == 200
    assert ana.get("/api/athletes/ana/grants").json() == {"athlete": "ana", "readers": ["cy"]}
    season = cy.get("/api/athletes/ana/season")
    assert season.status_code == 200 and season.json()["athlete"]["name"] == "ana"
    assert cy.get("/athletes/ana").status_code == 200
    files = {"file": ("cy.fit", run_file(week=2, seed=13))}
    upload = cy.post("/api/athletes/ana/uploads", files=files, headers=csrf(clients, "cy"))
    assert upload.status_code == 403
    assert upload.json() == {"detail": "you have read-only access to ana"}
    symptom = {"date": "2026-05-02", "side": "right"}
    logged = cy.post("/api/athletes/ana/symptoms", json=symptom, headers=csrf(clients, "cy"))
    assert logged.status_code == 403
    assert cy.get("/api/athletes/ana/grants").status_code == 403
    taken = ana.delete("/api/athletes/ana/grants/cy", headers=csrf(clients, "ana"))
    assert taken.status_code == 204
    assert cy.get("/api/athletes/ana/season").status_code == 404
    again = ana.delete("/api/athletes/ana/grants/cy", headers=csrf(clients, "ana"))
    assert again.status_code == 404
    nobody = ana.put("/api/athletes/ana/grants/nobody", headers=csrf(clients, "ana"))
    assert nobody.status_code == 404 and nobody.json() == {"detail": "no account named 'nobody'"}


def test_an_athlete_asks_a_coach_who_must_accept(
    clients: dict[str, tuple[TestClient, str]],
) -> None:
    cy, _ = clients["cy"]
    lee, _ = clients["lee"]
    asked = cy.put("/api/me/coach", json={"coach": "lee"}, headers=csrf(clients, "cy"))
    assert asked.status_code == 202
    assert asked.json() == {
        "name": "cy",
        "role": "athlete",
        "coach": "lee",
        "coach_accepted": False,
    }
    assert lee.get("/api/athletes/cy/files").status_code == 404
    assert lee.post("/api/roster/cy/accept", headers=csrf(clients, "lee")).status_code == 200
    assert lee.get("/api/athletes/cy/files").status_code == 200
    not_a_coach = cy.put("/api/me/coach", json={"coach": "ana"}, headers=csrf(clients, "cy"))
    assert not_a_coach.status_code == 404
    assert cy.delete("/api/me/coach", headers=csrf(clients, "cy")).status_code == 204
    assert lee.get("/api/athletes/cy/files").status_code == 404


def ana_session(clients: dict[str, tuple[TestClient, str]]) -> dict[str, Any]:
    """The first of ana's sessions, as the sessions list gives it to her."""
    ana, _ = clients["ana"]
    listed = ana.get("/api/athletes/ana/sessions")
    assert listed.status_code == 200
    row: dict[str, Any] = listed.json()[0]
    return row


def assert_refused(answer: Any, status: int, detail: str, path: str) -> None:
    """``status`` and nothing but the one line: no analysis, no season, no report."""
    assert answer.status_code == status, (path, answer.status_code)
    if path.startswith("/api/"):
        assert answer.json() == {"detail": detail}, path
    else:
        assert detail in html.unescape(answer.text) and REPORT_MARK not in answer.text, path
        assert "median_cadence" not in answer.text and "plotly" not in answer.text, path


def by_id_paths(row: dict[str, Any]) -> list[str]:
    return [f"/api/sessions/{row['id']}", row["report"]]


def test_by_id_a_session_and_its_report_are_only_the_readers(
    clients: dict[str, tuple[TestClient, str]], app_home: Path
) -> None:
    row = ana_session(clients)
    kim, _ = clients["kim"]  # her accepted coach reads them
    analysis = kim.get(f"/api/sessions/{row['id']}")
    assert analysis.status_code == 200 and analysis.json()["source"]["sha256"] == row["sha256"]
    assert REPORT_MARK in kim.get(row["report"]).text
    nothing = "no session {!r} that you can see"
    for name in ("bob", "lee"):  # another athlete; a coach who is not hers
        client, _ = clients[name]
        for path in by_id_paths(row):
            assert_refused(client.get(path), 404, nothing.format(row["id"]), path)
        for path in ("/api/athletes/ana/season", "/api/athletes/ana/sessions", "/athletes/ana"):
            answer = client.get(path)
            assert_refused(answer, 404, "no athlete named 'ana' that you can see", path)
    with Store(app_home, readonly=True) as store:
        bob_id = store.require_athlete("bob").id
    bob, _ = clients["bob"]
    hers_as_his = f"{bob_id}-{row['sha256']}"  # her run under his id: nobody holds it
    for path in (f"/api/sessions/{hers_as_his}", f"/sessions/{hers_as_his}/report"):
        assert_refused(bob.get(path), 404, nothing.format(hers_as_his), path)
    missing = f"{bob_id}-{'0' * 64}"  # the same answer whether the session exists or not
    assert_refused(bob.get(f"/api/sessions/{missing}"), 404, nothing.format(missing), "/api/")
    assert bob.get("/sessions/not-an-id/report").status_code == 404
    assert bob.get("/api/sessions/not-an-id").status_code == 422


def test_without_a_valid_session_nothing_is_served(
    clients: dict[str, tuple[TestClient, str]], app_home: Path
) -> None:
    row = ana_session(clients)
    ana, _ = clients["ana"]
    api = [f"/api/sessions/{row['id']}", "/api/athletes/ana/season", "/api/athletes/ana/sessions"]
    pages = [row["report"], "/athletes/ana", "/roster"]
    secret = app_secret(app_home)
    real = URLSafeTimedSerializer(secret, salt=COOKIE_SALT).loads(ana.cookies[COOKIE_NAME])

    class SignedLongAgo(TimestampSigner):  # ana's own session, signed 13 hours ago
        def get_timestamp(self) -> int:
            return int(time.time()) - SESSION_MAX_AGE_S - 3600

    cookies = {
        "none": None,
        "forged": ana.cookies[COOKIE_NAME][:-4] + "AAAA",
        "another key": URLSafeTimedSerializer(b"k" * 32, salt=COOKIE_SALT).dumps(real),
        "expired": URLSafeTimedSerializer(secret, COOKIE_SALT, signer=SignedLongAgo).dumps(real),
    }
    app = ana.app
    for what, cookie in cookies.items():
        with TestClient(app) as anon:
            if cookie is not None:
                anon.cookies.set(COOKIE_NAME, cookie)
            for path in api:
                answer = anon.get(path)
                assert_refused(answer, 403, "sign in first (POST /api/login)", path)
            for path in pages:
                page = anon.get(path, follow_redirects=False)
                assert (page.status_code, page.headers.get("location")) == (303, "/sign-in"), (
                    what,
                    path,
                )
                assert REPORT_MARK not in page.text
            upload = anon.post(
                "/api/athletes/ana/uploads",
                files={"file": ("x.fit", run_file(week=6, seed=61))},
                headers={"X-CSRF-Token": clients["ana"][1]},
            )
            assert upload.status_code == 403, what
    assert ana.get("/api/me").status_code == 200  # her real session still works


def test_a_change_without_its_csrf_token_is_403_and_changes_nothing(
    clients: dict[str, tuple[TestClient, str]], app_home: Path
) -> None:
    ana, token = clients["ana"]

    def state() -> tuple[Any, ...]:
        with Store(app_home, readonly=True) as store:
            athlete = store.require_athlete("ana")
            files = len(queries.files(store, athlete))
            return files, len(store.symptoms(athlete)), tuple(ana.get("/api/me").json()["readers"])

    before = state()
    data = run_file(week=7, seed=71)
    forms = [
        ("/upload", {"athlete": "ana"}, {"file": ("form.fit", data)}),
        ("/symptoms", {"athlete": "ana", "date": "2026-06-01", "side": "left"}, None),
        ("/grants", {"reader": "lee", "action": "grant"}, None),
        ("/coaching", {"action": "leave"}, None),
        ("/sign-out", {}, None),
    ]
    for path, fields, files in forms:
        for wrong in ({}, {"csrf": "not the token"}):
            answer = ana.post(path, data={**fields, **wrong}, files=files)
            assert answer.status_code == 403, path
            assert "CSRF token" in answer.text and REPORT_MARK not in answer.text
    api = ana.post("/api/athletes/ana/uploads", files={"file": ("api.fit", data)})
    assert api.status_code == 403 and "CSRF" in api.json()["detail"]
    assert ana.post("/api/logout").status_code == 403
    assert state() == before  # nothing stored, logged, granted, left or signed out
    assert ana.get("/api/me").json()["coach"] == "kim"
    assert token  # the token the forms left out is the one the other tests send


def test_numbness_is_logged_against_a_run_only_by_its_writers(
    clients: dict[str, tuple[TestClient, str]], app_home: Path
) -> None:
    """Issue 13: a numbness entry logged against a session takes the run's athlete and day;
    whoever may not write for that athlete gets no entry (404 unseen, 403 read-only)."""
    row = ana_session(clients)
    day = str(row["start_time"])[:10]
    entry = {"side": "left", "at": "25m", "note": "pins and needles"}
    path = f"/api/sessions/{row['id']}/symptoms"
    kim, _ = clients["kim"]  # her coach writes for her
    logged = kim.post(path, json=entry, headers=csrf(clients, "kim"))
    assert logged.status_code == 201, logged.text
    assert logged.json() | {"id": 0} == {
        "id": 0,
        "athlete": "ana",
        "date": day,
        "side": "left",
        "onset_s": 1500,
    }
    nothing = f"no session {row['id']!r} that you can see"
    for name in ("bob", "lee"):
        assert_refused(
            clients[name][0].post(path, json=entry, headers=csrf(clients, name)), 404, nothing, path
        )
    ana, token = clients["ana"]
    form = {"session": row["id"], "side": "right", "csrf": token}
    page = ana.post("/symptoms", data=form)
    assert page.status_code == 200 and f"ana: numbness (right) on {day} logged" in page.text
    assert "another day (below)" in ana.get("/").text  # the home page offers her runs
    bob, bob_token = clients["bob"]
    assert bob.post("/symptoms", data={**form, "csrf": bob_token}).status_code == 404
    assert ana.post("/symptoms", data={"side": "left", "csrf": token}).status_code == 422
    with Store(app_home, readonly=True) as store:
        logged_days = [(s["date"], s["side"]) for s in store.symptoms(store.require_athlete("ana"))]
    assert (day, "left") in logged_days and (day, "right") in logged_days
