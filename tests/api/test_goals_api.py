"""GET /api/v1/goals/{year}: the five figures with progress and evidence ids, counted as the dashboard counts."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from matchmaker.extensions import db
from matchmaker.services import fields
from tests.api.test_errors import assert_error

YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year  # the app's year (config TIMEZONE), not the server's UTC one


@pytest.fixture(autouse=True)
def _late_in_the_year() -> Iterator[None]:
    """The scenario's March records have happened (future ones would be refused or not counted)."""
    with time_machine.travel(datetime(YEAR, 11, 15, 2, tzinfo=UTC)):
        yield


@pytest.fixture
def headers(staff: Any, bearer: Any) -> dict[str, str]:
    return bearer(staff)


def post(call: Any, headers: dict[str, str], path: str, data: dict[str, Any]) -> dict[str, Any]:
    response = call("POST", path, headers, json=data)
    assert response.status_code in (200, 201), response.json
    return response.json  # type: ignore[no-any-return]


@pytest.fixture
def scenario(call: Any, headers: dict[str, str], default_chains: Any, make_posting: Any, make_org: Any,
             make_user: Any) -> dict[str, Any]:
    """This year: one held event (firm A checks in), a planned one, an open intent (A) and a dropped one (B),
    a local transfer, a non-local one and a non-local one staff declared local; last year: one held event."""
    result = make_posting("result")
    result.published_at = datetime(YEAR, 3, 1, 4, tzinfo=UTC)
    db.session.commit()
    firm_a, firm_b = make_user("company").org, make_user("company").org
    event = {"name": "年度对接会", "type": "matchmaking", "chain_ids": [default_chains[0].id]}
    held = post(call, headers, "/api/v1/events", {**event, "starts_at": f"{YEAR}-03-01T09:00"})
    post(call, headers, f"/api/v1/events/{held['id']}/invitations", {"org_ids": [firm_a.id]})
    post(call, headers, f"/api/v1/events/{held['id']}/invitations/{firm_a.id}/check-in", {})
    post(call, headers, f"/api/v1/events/{held['id']}/status", {"status": "held"})
    post(call, headers, "/api/v1/events", {**event, "starts_at": f"{YEAR}-04-01T09:00"})  # planned: not counted
    last_year = post(call, headers, "/api/v1/events", {**event, "starts_at": f"{YEAR - 1}-06-01T09:00"})
    post(call, headers, f"/api/v1/events/{last_year['id']}/status", {"status": "held"})

    deal = {"result_id": result.id, "logged_on": f"{YEAR}-03-02", "mode": "license"}
    intent = post(call, headers, "/api/v1/intents", {**deal, "company_id": firm_a.id})
    dropped = post(call, headers, "/api/v1/intents", {**deal, "company_id": firm_b.id, "logged_on": f"{YEAR}-03-05"})
    post(call, headers, f"/api/v1/intents/{dropped['id']}/status", {"status": "dropped"})

    contract = {"result_id": result.id, "contract_type": "license", "signed_on": f"{YEAR}-03-03"}
    local = post(call, headers, "/api/v1/transfers", {**contract, "buyer_id": make_org(region="370303").id,
                                                       "contract_number": "LOCAL-1"})
    beijing = make_org(region="110108").id
    post(call, headers, "/api/v1/transfers", {**contract, "buyer_id": beijing, "contract_number": "FAR-1"})
    declared = post(call, headers, "/api/v1/transfers", {
        **contract, "buyer_id": beijing, "contract_number": "FAR-2", "signed_on": f"{YEAR}-03-04",
        "local_override": True, "override_reason": "在淄博的分公司实施"})
    return {"event": held["id"], "intent": intent["id"], "transfers": [local["id"], declared["id"]],
            "result": result.id, "firms": [firm_a.id, firm_b.id]}


def test_goals_of_the_year_with_evidence(call: Any, headers: dict[str, str], scenario: dict[str, Any]) -> None:
    response = call("GET", f"/api/v1/goals/{YEAR}", headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["year"] == YEAR and body["today"] == fields.today().isoformat()
    goals = {g["metric"]: g for g in body["items"]}
    assert list(goals) == ["events", "transfers", "results", "firms", "intents"]

    def evidence(metric: str) -> list[tuple[str, int]]:
        return [(e["kind"], e["id"]) for e in goals[metric]["evidence"]]

    assert evidence("events") == [("event", scenario["event"])]
    assert evidence("transfers") == [("transfer", t) for t in scenario["transfers"]]
    assert evidence("results") == [("result", scenario["result"])]
    assert evidence("firms") == [("organization", f) for f in scenario["firms"]]
    assert evidence("intents") == [("intent", scenario["intent"])]
    assert {m: g["actual"] for m, g in goals.items()} == {"events": 1, "transfers": 2, "results": 1, "firms": 2,
                                                          "intents": 1}
    assert goals["events"]["evidence"][0]["on"] == f"{YEAR}-03-01"
    assert goals["firms"]["evidence"][0]["on"] == f"{YEAR}-03-01"  # firm A: first reached at the event
    events = goals["events"]
    assert events["label"] == "对接活动" and events["target"] == 10 and events["percent"] == 10
    assert isinstance(events["forecast"], int) and events["forecast"] >= events["actual"]
    assert events["status"] in ("on_track", "behind") and events["status_label"]
    if events["status"] == "behind":
        assert events["behind_by"] == events["pace"] - 1 and events["status_label"] == f"落后 {events['behind_by']}"
    else:
        assert events["status_label"] == "进度正常"


def test_last_year_and_a_finished_year(call: Any, headers: dict[str, str], scenario: dict[str, Any]) -> None:
    last = {g["metric"]: g for g in call("GET", f"/api/v1/goals/{YEAR - 1}", headers).json["items"]}
    assert last["events"]["actual"] == 1 and last["intents"]["evidence"] == []
    empty = {g["metric"]: g for g in call("GET", "/api/v1/goals/2001", headers).json["items"]}
    events = empty["events"]
    assert (events["actual"], events["pace"], events["forecast"], events["status"], events["behind_by"]) == (
        0, 10, 0, "behind", 10)
    assert events["status_label"] == "落后 10" and events["evidence"] == []


def test_targets_and_done(call: Any, headers: dict[str, str], scenario: dict[str, Any], staff: Any) -> None:
    from matchmaker.services.goals import figures as goals

    goals.set_targets(YEAR, {"events": 1, "transfers": 10, "results": 100, "firms": 100, "intents": 100}, staff)
    events = call("GET", f"/api/v1/goals/{YEAR}", headers).json["items"][0]
    assert (events["target"], events["status"], events["status_label"], events["percent"]) == (1, "done", "已完成",
                                                                                                 100)


def test_english_labels(call: Any, headers: dict[str, str]) -> None:
    events = call("GET", "/api/v1/goals/2001?lang=en", headers).json["items"][0]
    assert events["label"] and events["status_label"]


@pytest.mark.parametrize("year", ["1999", "2101", "0", "-1", "abc", "99999999999999999999"])
def test_years_out_of_range_are_404(call: Any, headers: dict[str, str], year: str) -> None:
    assert_error(call("GET", f"/api/v1/goals/{year}", headers), 404, "not_found")


def test_staff_only(call: Any, make_user: Any, bearer: Any) -> None:
    assert_error(call("GET", f"/api/v1/goals/{YEAR}"), 401, "login_required")
    for role in ("company", "researcher"):
        assert_error(call("GET", f"/api/v1/goals/{YEAR}", bearer(make_user(role))), 403, "forbidden")
    assert call("GET", f"/api/v1/goals/{YEAR}", bearer(make_user("admin"))).status_code == 200
