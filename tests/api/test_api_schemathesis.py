"""schemathesis over /openapi.json of a live `workshop-tui serve` (the SSE route excluded).

Every generated request is sent three ways (no token, a participant's token, the admin token) and
again with the path's workshop code replaced by a real one, so the checks reach the real rules, not
only 404s. Checks: no server error, every status documented, content types and bodies as documented.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers.serve import Served, start_serve
from tests.helpers.waiting import wait_until_sync

EXAMPLES = 10
# The operations are dealt round-robin into this many tests, so pytest-xdist spreads the fuzzing over its
# workers (one server each) instead of one worker running it all while the others finish early.
SHARDS = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Live:
    served: Served
    code: str
    participant_token: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    served = start_serve(Path(tmp_path_factory.mktemp("fuzz")), "--port", "0")
    try:
        admin = {"Authorization": f"Bearer {served.admin_token}"}
        with httpx.Client(base_url=served.url, timeout=30) as c:
            code = c.post("/api/v1/admin/workshops", json={"title": "Fuzz"}, headers=admin).json()["code"]
            c.post(f"/api/v1/admin/w/{code}/phase", json={"phase": "ideate"}, headers=admin)
            token = c.post(f"/api/v1/w/{code}/join", json={"name": "Fuzzy"}).json()["token"]
            c.post(f"/api/v1/w/{code}/ideas", json={"text": "a note"}, headers={"Authorization": f"Bearer {token}"})
        yield Live(served, code, token)
    finally:
        served.process.terminate()
        try:
            assert served.process.wait(timeout=20) == 0  # and it still shuts down cleanly after the fuzzing
        finally:
            if served.process.poll() is None:
                served.process.kill()
            _, err = served.process.communicate(timeout=10)
        assert "Traceback" not in err, err


def _load(url: str) -> Any:
    """The live schema; retried only while a first request fails (the server is up already)."""
    loaded: list[Any] = []
    errors: list[Exception] = []

    def fetched() -> bool:
        try:
            loaded.append(schemathesis.openapi.from_url(url))
        except Exception as exc:
            errors.append(exc)
        return bool(loaded)

    try:
        wait_until_sync(fetched, what=f"the schema at {url}")
    except AssertionError as timeout:
        raise timeout from errors[-1]
    return loaded[0]


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_api_conforms_to_its_schema(live: Live, shard: int) -> None:
    """schemathesis's Python API (its pytest plugin does not run under pytest 9): each operation, positive
    and negative data, a bounded number of examples each.

    Ten examples per operation and mode: in a run of 25, 95% of the distinct outcomes (operation, mode,
    token, status, real or random code) had appeared by the tenth; the later ones were more 4xx of the
    same routes (413, 422, 429), which the route tests assert one by one. Each run draws afresh
    (no example database), so runs together keep widening what was tried. Each shard fuzzes every
    SHARDS-th operation of the live schema, so together they cover all of it."""
    schema = _load(f"{live.served.url}/openapi.json").exclude(path_regex=r"/events$")
    variants: list[dict[str, str]] = [
        {},
        {"Authorization": f"Bearer {live.participant_token}"},
        {"Authorization": f"Bearer {live.served.admin_token}"},
    ]
    failures: list[str] = []
    calls = 0
    # One keep-alive connection for every call (a new one each time cost more than the checks), with no
    # cookie kept, so the variant without a token really has none, and no proxy looked up in the environment.
    session = requests.Session()
    session.trust_env = False
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def check(case: Any) -> None:
        nonlocal calls
        for headers in variants:
            calls += 1
            response = case.call(base_url=live.served.url, session=session, headers=headers, timeout=30)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except Exception as exc:  # schemathesis raises a FailureGroup (or an AssertionError) per failure
                failures.append(f"{case.method} {case.formatted_path} {response.status_code}: {exc}"[:2000])

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    mine = operations[shard::SHARDS]
    for operation in mine:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case: Any) -> None:
                check(case)
                if case.path_parameters and "code" in case.path_parameters:
                    case.path_parameters = {**case.path_parameters, "code": live.code}
                    check(case)

            try:
                run()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # nothing to negate (no parameters, no body)
    assert calls > 1000 * len(mine) / len(operations)  # what the whole schema had, pro rata
    assert failures == [], "\n\n".join(failures[:10])
