"""Who sees whom, across accounts (real store, real argon2): an athlete sees only their own
runs, a coach only the athletes who asked them and were accepted, a granted reader reads
but never writes, and a grant taken back is gone. Unseen athletes are 404 whether or not
they exist; read-only ones are 403 on writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footfall.web.app import create_app
from footfall.web.settings import WebSettings
from tests.web_support import make_accounts, run_file, sign_in


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


def test_a_session_page_of_another_athlete_is_404(
    clients: dict[str, tuple[TestClient, str]],
) -> None:
    ana, _ = clients["ana"]
    bob, _ = clients["bob"]
    sha = ana.get("/api/athletes/ana/files").json()[0]["sha256"]
    assert bob.get(f"/athletes/ana/sessions/{sha}").status_code == 404
    assert bob.get(f"/athletes/bob/sessions/{sha}").status_code == 404  # her run under his name
    assert bob.get(f"/api/athletes/bob/sessions/{sha}").status_code == 404
