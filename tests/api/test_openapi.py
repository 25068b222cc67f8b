"""The OpenAPI document, and a bounded schemathesis run over every operation in it: no 500s, responses conform."""
from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from matchmaker.extensions import db

WRITES = {"post", "patch", "put", "delete"}
EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_openapi_document(call: Any) -> None:
    doc = call("GET", "/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.") and doc["info"]["version"] == "v1"
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        **doc["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    error = doc["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "errors"}
    expected = {"/api/v1/results", "/api/v1/needs", "/api/v1/organizations", "/api/v1/chains",
                "/api/v1/chains/suggest", "/api/v1/match", "/api/v1/review", "/api/v1/needs/{posting_id}/matches",
                "/api/v1/results/{posting_id}/matches", "/api/v1/results/{posting_id}/submit",
                "/api/v1/results/{posting_id}/withdraw", "/api/v1/results/{posting_id}/publish",
                "/api/v1/results/{posting_id}/reject"}
    assert expected <= set(doc["paths"])
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in WRITES:
                assert operation["security"] == [{"bearerAuth": []}], (method, path)
            elif method == "get":
                assert operation["responses"]["200"]["content"]["application/json"]["schema"], path
            if method in WRITES | {"get"}:
                assert operation["responses"]["default"]["$ref"].endswith("DEFAULT_ERROR")


@pytest.mark.parametrize("path", ["/api/v1/swagger-ui", "/api/v1/redoc", "/api/v1/rapidoc", "/api/v1/docs"])
def test_no_documentation_ui_is_served(client: Any, path: str) -> None:
    assert client.get(path).status_code == 404


# ---- contract: schemathesis against the document ------------------------------------------------------------------

@pytest.fixture
def seeded(make_posting: Any, make_user: Any, bearer: Any) -> dict[str, Any]:
    """A few postings of each kind and status for generated ids to land on, and a staff token."""
    made = [make_posting(kind, status=status) for kind in ("result", "need")
            for status in ("published", "pending", "draft")]
    return {"headers": bearer(make_user("staff")), "ids": sorted({p.id for p in made})}


def _aim_at_existing_rows(case: Any, ids: list[int]) -> None:
    """Half the generated ids are mapped onto rows that exist, so detail, edit and actions run for real."""
    for name in ("posting_id", "org_id"):
        value = (case.path_parameters or {}).get(name)
        if isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = ids[value // 2 % len(ids)]


def _fuzz(strategy: Any, seeded: dict[str, Any]) -> None:
    @given(case=strategy)
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        _aim_at_existing_rows(case, seeded["ids"])
        try:
            case.call_and_validate(headers=seeded["headers"], checks=CHECKS)
        finally:
            db.session.rollback()  # a failed request must not leave the shared session dirty for the next one

    run()


def test_contract_every_operation(app: Any, seeded: dict[str, Any]) -> None:
    """schemathesis, positive and negative, a bounded number of examples per operation, with a staff token.

    Driven through `operation.as_strategy()` rather than `schemathesis.pytest.from_fixture`: the latter breaks on
    pytest 9 (schemathesis 4.32 reads the removed `Node._nodeid`), and the app is a per-test fixture.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    for operation in operations:
        strategies = {"examples": schema.get_strategies_from_examples(operation)}
        strategies.update({mode.value: [operation.as_strategy(generation_mode=mode)] for mode in GenerationMode})
        for name, strategy in ((n, s) for n, group in strategies.items() for s in group):
            try:
                _fuzz(strategy, seeded)
            except Unsatisfiable:
                continue  # nothing to negate: the operation takes no parameters and no body
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
                failures.append(f"{operation.label} [{name}]: {exc}")
    assert not failures, "\n\n".join(failures)
