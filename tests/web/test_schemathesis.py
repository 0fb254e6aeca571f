"""Property-based run of the whole API from its OpenAPI schema (schemathesis 4, in-process): no 5xx.

Requests carry an admin token, so writes go past authentication and hit the
real handlers (deleting plans, loading paths, posting reports); the service
has a database, so monitoring endpoints run too. Bounded in time: each
operation gets a few examples, and the run stops after ``BUDGET_S``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from accord.web.app import create_app

BUDGET_S = 60.0
EXAMPLES = 20


def test_no_server_errors(tmp_path: Path, toy_dir: Path) -> None:
    app = create_app(case=[str(toy_dir), "ukraine_2025"], workspace=toy_dir.parent, reads="open",
                     db_url="sqlite:///:memory:", hosts=["testserver"])  # schemathesis's in-process Host
    token = app.state.accord.tokens.create("admin")[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    ran = 0
    start = time.monotonic()
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 40
    for op in operations:
        if time.monotonic() - start > BUDGET_S:
            break

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case: schemathesis.Case) -> None:
            nonlocal ran
            response = case.call(headers=headers)
            ran += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{response.text[:200]}")

        check()
    app.state.accord.jobs.shutdown()
    print(f"schemathesis: {ran} requests over {len(operations)} operations in {time.monotonic() - start:.1f} s")
    assert ran >= len(operations)
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("path", ["/api/v1/cases/%2e%2e/plans", "/api/v1/cases/toy/plans/%00"])
def test_odd_paths_are_client_errors(tmp_path: Path, toy_dir: Path, path: str) -> None:
    from fastapi.testclient import TestClient

    app = create_app(case=str(toy_dir), workspace=toy_dir.parent, reads="open")
    r = TestClient(app, base_url="http://localhost").get(path)
    assert 400 <= r.status_code < 500 and "error" in r.json()
