"""A bounded schemathesis run over the API's OpenAPI schema, signed in as an athlete and as
a coach: every operation, schema-valid and schema-breaking requests, a fixed number of
examples each (derandomized, so a run is repeatable), and not one 5xx answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from footfall.web.app import create_app
from footfall.web.auth import COOKIE_NAME, CSRF_HEADER
from footfall.web.settings import WebSettings
from tests.web_support import make_accounts, run_file, sign_in

#: examples per operation, per generation mode, per account: 2 x 2 x 5 x 17 operations is
#: about 300 requests, under a minute on the shared 2-core machine [heuristic]
EXAMPLES = 5
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = tmp_path_factory.mktemp("web-fuzz")
    make_accounts(home)
    web = create_app(settings=WebSettings(home=home, workers=1))
    with TestClient(web) as client:
        token = sign_in(client, "ana")
        files = {"file": ("run.fit", run_file(seed=31))}
        stored = client.post("/api/athletes/ana/uploads", files=files, headers={CSRF_HEADER: token})
        assert stored.status_code == 201
        yield web


def fuzz(
    operation: Any, mode: GenerationMode, cookies: dict[str, str], token: str, seen: Counter[Any]
) -> None:
    """EXAMPLES requests of one operation in one generation mode; none may answer 5xx."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        response = case.call(cookies=cookies, headers={CSRF_HEADER: token})
        seen[(operation.label, response.status_code)] += 1
        case.validate_response(response, checks=[not_a_server_error])

    try:
        call()
    except Unsatisfiable:
        if mode != GenerationMode.NEGATIVE:
            raise  # an operation without parameters has no schema-breaking request


@pytest.mark.slow
@pytest.mark.parametrize("account", ["ana", "kim"])
def test_no_request_makes_the_api_fail(app: Any, account: str) -> None:
    with TestClient(app) as client:
        token = sign_in(client, account)
        cookies = {COOKIE_NAME: client.cookies[COOKIE_NAME]}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    # signing out would end the session the rest of the run uses
    schema = schema.exclude(path="/api/logout", method="POST")
    seen: Counter[tuple[str, int]] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:
        for mode in MODES:
            fuzz(operation, mode, cookies, token, seen)
    statuses = Counter(status for (_, status), n in seen.items() for _ in range(n))
    print(
        f"\n{account}: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}"
    )
    assert not [s for s in statuses if s >= 500]
    assert sum(statuses.values()) >= len(operations) * len(MODES)
    assert {200, 404, 422} <= set(statuses)  # it got through, and it was refused, both
