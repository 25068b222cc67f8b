"""Intents and transfers over the API: staff only, the services' rules, locality and its override."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from matchmaker.services import fields
from tests.api.test_errors import assert_error

INTENTS, TRANSFERS = "/api/v1/intents", "/api/v1/transfers"


@pytest.fixture
def headers(staff: Any, bearer: Any) -> dict[str, str]:
    return bearer(staff)


@pytest.fixture
def deal(make_posting: Any, make_user: Any) -> dict[str, Any]:
    result = make_posting("result")
    firm = make_user("company")
    need = make_posting("need", owner=firm)
    return {"result_id": result.id, "company_id": firm.org_id, "need_id": need.id, "logged_on": "2025-03-01",
            "mode": "license", "amount_wan": "35.5"}


@pytest.fixture
def contract(make_posting: Any, make_org: Any) -> dict[str, Any]:
    result = make_posting("result")
    buyer = make_org(kind="company", region="370303")  # 淄博 张店: local
    return {"result_id": result.id, "buyer_id": buyer.id, "contract_number": "2025-zb-001",
            "contract_type": "license", "amount_wan": 120, "signed_on": "2025-06-01"}


def post(call: Any, headers: dict[str, str], path: str, data: dict[str, Any]) -> dict[str, Any]:
    response = call("POST", path, headers, json=data)
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


# ---- intents -----------------------------------------------------------------------------------------------------

@time_machine.travel(datetime(2025, 3, 10, 2, tzinfo=UTC))  # nine days after the intent: not stale yet
def test_intent_create_read_update(call: Any, headers: dict[str, str], deal: dict[str, Any]) -> None:
    made = post(call, headers, INTENTS, deal)
    assert made["status"] == "open" and made["transitions"] == ["negotiating", "dropped"]
    assert made["result"]["id"] == deal["result_id"] and made["company"]["id"] == deal["company_id"]
    assert made["need"]["id"] == deal["need_id"] and made["event"] is None and made["meeting_id"] is None
    assert made["amount_wan"] == 35.5 and made["logged_on"] == "2025-03-01" and made["notes"] == []
    assert made["last_activity_on"] == "2025-03-01" and made["stale"] is False
    url = f"{INTENTS}/{made['id']}"
    assert call("GET", url, headers).json == made

    changed = call("PATCH", url, headers, json={"mode": "joint", "amount_wan": None})
    assert changed.status_code == 200, changed.json
    assert changed.json["mode"] == "joint" and changed.json["amount_wan"] is None
    assert changed.json["need"]["id"] == deal["need_id"]  # untouched fields stay
    assert_error(call("PATCH", url, headers, json={"status": "signed"}), 422, "validation_failed")


def test_intent_notes_and_status(call: Any, headers: dict[str, str], deal: dict[str, Any]) -> None:
    url = f"{INTENTS}/{post(call, headers, INTENTS, deal)['id']}"
    noted = call("POST", f"{url}/notes", headers, json={"noted_on": "2025-04-02", "text": "企业已安排中试。"})
    assert noted.status_code == 201, noted.json
    assert [n["text"] for n in noted.json["notes"]] == ["企业已安排中试。"]
    assert noted.json["notes"][0]["noted_on"] == "2025-04-02" and noted.json["last_activity_on"] == "2025-04-02"
    errors = assert_error(call("POST", f"{url}/notes", headers, json={"text": ""}), 422, "validation_failed")
    assert {"noted_on", "text"} <= set(errors["errors"])

    assert_error(call("POST", f"{url}/status", headers, json={"status": "signed"}), 409, "bad_transition")
    moved = call("POST", f"{url}/status", headers, json={"status": "negotiating"})
    assert moved.status_code == 200 and moved.json["status"] == "negotiating"
    assert moved.json["transitions"] == ["signed", "dropped"]
    assert call("POST", f"{url}/status", headers, json={"status": "dropped"}).json["status"] == "dropped"
    assert_error(call("POST", f"{url}/status", headers, json={"status": "open"}), 409, "bad_transition")


def test_intent_list_filters(call: Any, headers: dict[str, str], deal: dict[str, Any]) -> None:
    old = post(call, headers, INTENTS, {**deal, "logged_on": (fields.today() - timedelta(days=400)).isoformat()})
    fresh = post(call, headers, INTENTS, {**deal, "logged_on": fields.today().isoformat()})
    call("POST", f"{INTENTS}/{fresh['id']}/status", headers, json={"status": "negotiating"})

    def ids(query: str) -> list[int]:
        response = call("GET", f"{INTENTS}?{query}", headers)
        assert response.status_code == 200, response.json
        return [i["id"] for i in response.json["items"]]

    assert ids("") == [fresh["id"], old["id"]]
    assert ids("status=negotiating") == [fresh["id"]]
    assert ids(f"year={fields.today().year}") == [fresh["id"]]
    assert ids("stale=true") == [old["id"]]
    assert ids("event_id=12345") == []
    listed = call("GET", f"{INTENTS}?stale=1", headers).json["items"][0]
    assert listed["stale"] is True and "notes" not in listed
    paged = call("GET", f"{INTENTS}?per_page=1&page=2", headers).json
    assert (paged["total"], paged["pages"], [i["id"] for i in paged["items"]]) == (2, 2, [old["id"]])


def test_intent_from_a_meeting_sets_its_outcome(call: Any, headers: dict[str, str], deal: dict[str, Any],
                                                default_chains: Any) -> None:
    event = post(call, headers, "/api/v1/events", {
        "name": "对接会", "type": "matchmaking", "starts_at": "2025-05-20T09:00", "chain_ids": [default_chains[0].id]})
    url = f"/api/v1/events/{event['id']}"
    call("POST", f"{url}/results", headers, json={"result_ids": [deal["result_id"]]})
    call("POST", f"{url}/invitations", headers, json={"org_ids": [deal["company_id"]]})
    meeting = call("POST", f"{url}/agenda", headers, json={"keep_existing": False}).json["meetings"][0]
    made = post(call, headers, INTENTS, {**deal, "event_id": event["id"], "meeting_id": meeting["id"]})
    assert made["event"] == {"id": event["id"], "name": "对接会"} and made["meeting_id"] == meeting["id"]
    assert call("GET", f"{url}/meetings", headers).json["items"][0]["outcome"] == "intent"
    wrong = assert_error(call("POST", INTENTS, headers, json={**deal, "meeting_id": meeting["id"]}),
                         422, "validation_failed")
    assert "meeting_id" in wrong["errors"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"result_id": None}, "result_id"),
    ({"result_id": 999999}, "result_id"),
    ({"result_id": "1"}, "result_id"),
    ({"result_id": 0}, "result_id"),
    ({"company_id": None}, "company_id"),
    ({"need_id": 999999}, "need_id"),
    ({"logged_on": None}, "logged_on"),
    ({"logged_on": "01/03/2025"}, "logged_on"),
    ({"mode": "barter"}, "mode"),
    ({"amount_wan": "-1"}, "amount_wan"),
    ({"amount_wan": "NaN"}, "amount_wan"),
    ({"amount_wan": "lots"}, "amount_wan"),
    ({"status": "signed"}, "status"),
])
def test_bad_intents_are_422(call: Any, headers: dict[str, str], deal: dict[str, Any], payload: dict[str, Any],
                             field: str) -> None:
    body = assert_error(call("POST", INTENTS, headers, json={**deal, **payload}), 422, "validation_failed")
    assert field in body["errors"], body["errors"]


def test_intent_company_must_be_a_company(call: Any, headers: dict[str, str], deal: dict[str, Any],
                                          make_org: Any) -> None:
    university = make_org(kind="university")
    body = assert_error(call("POST", INTENTS, headers, json={**deal, "company_id": university.id}),
                        422, "validation_failed")
    assert set(body["errors"]) == {"company_id", "need_id"}


# ---- transfers ---------------------------------------------------------------------------------------------------

def test_transfer_locality_derived_and_overridden(call: Any, headers: dict[str, str], contract: dict[str, Any],
                                                  make_org: Any, make_posting: Any) -> None:
    local = post(call, headers, TRANSFERS, contract)
    assert local["contract_number"] == "2025-ZB-001" and local["amount_wan"] == 120.0
    assert (local["local"], local["derived_local"], local["local_override"], local["override_reason"]) == (
        True, True, None, "")
    result = call("GET", f"/api/v1/results/{contract['result_id']}").json
    assert result["status"] == "transferred"

    beijing = make_org(kind="company", region="110108")
    far = post(call, headers, TRANSFERS, {**contract, "buyer_id": beijing.id, "contract_number": "2025-BJ-9"})
    assert (far["local"], far["derived_local"]) == (False, False)
    url = f"{TRANSFERS}/{far['id']}"
    assert call("GET", url, headers).json == far

    missing = assert_error(call("PATCH", url, headers, json={"local_override": True}), 422, "validation_failed")
    assert list(missing["errors"]) == ["override_reason"]
    reason = "在淄博设立的分公司实施转化"
    overridden = call("PATCH", url, headers, json={"local_override": True, "override_reason": reason})
    assert overridden.status_code == 200, overridden.json
    assert (overridden.json["local"], overridden.json["derived_local"], overridden.json["local_override"],
            overridden.json["override_reason"]) == (True, False, True, reason)
    kept = call("PATCH", url, headers, json={"amount_wan": 99}).json  # the override survives other edits
    assert kept["local_override"] is True and kept["override_reason"] == reason and kept["amount_wan"] == 99.0
    cleared = call("PATCH", url, headers, json={"local_override": None}).json
    assert (cleared["local"], cleared["local_override"], cleared["override_reason"]) == (False, None, "")

    def ids(query: str) -> list[int]:
        return [t["id"] for t in call("GET", f"{TRANSFERS}?{query}", headers).json["items"]]

    assert ids("local=true") == [local["id"]] and ids("local=false") == [far["id"]]
    assert ids("year=2025") == [far["id"], local["id"]] and ids("year=2024") == []
    assert call("GET", f"{TRANSFERS}?per_page=1", headers).json["pages"] == 2


def test_transfer_signs_its_intent(call: Any, headers: dict[str, str], deal: dict[str, Any],
                                   make_org: Any) -> None:
    intent = post(call, headers, INTENTS, deal)
    buyer = make_org(kind="company")
    post(call, headers, TRANSFERS, {"result_id": deal["result_id"], "buyer_id": buyer.id, "intent_id": intent["id"],
                                    "contract_number": "HT-1", "contract_type": "transfer", "signed_on": "2025-07-01"})
    assert call("GET", f"{INTENTS}/{intent['id']}", headers).json["status"] == "signed"


@pytest.mark.parametrize(("payload", "field"), [
    ({"result_id": None}, "result_id"),
    ({"buyer_id": 999999}, "buyer_id"),
    ({"contract_number": ""}, "contract_number"),
    ({"contract_number": "x" * 51}, "contract_number"),
    ({"contract_type": "gift"}, "contract_type"),
    ({"signed_on": "yesterday"}, "signed_on"),
    ({"signed_on": None}, "signed_on"),
    ({"local_override": "perhaps"}, "local_override"),
    ({"local_override": False}, "override_reason"),
    ({"intent_id": 999999}, "intent_id"),
    ({"local": "yes"}, "local"),
    ({"amount_wan": 10**12}, "amount_wan"),
])
def test_bad_transfers_are_422(call: Any, headers: dict[str, str], contract: dict[str, Any],
                               payload: dict[str, Any], field: str) -> None:
    body = assert_error(call("POST", TRANSFERS, headers, json={**contract, **payload}), 422, "validation_failed")
    assert field in body["errors"], body["errors"]


def test_transfer_rules_of_the_service(call: Any, headers: dict[str, str], contract: dict[str, Any],
                                       make_posting: Any, make_org: Any) -> None:
    post(call, headers, TRANSFERS, contract)
    duplicate = assert_error(call("POST", TRANSFERS, headers, json={**contract, "contract_number": "2025-ZB-001"}),
                             422, "validation_failed")
    assert "contract_number" in duplicate["errors"]
    draft = make_posting("result", status="draft")
    bureau = make_org(kind="bureau")
    body = assert_error(call("POST", TRANSFERS, headers, json={**contract, "result_id": draft.id,
                                                               "buyer_id": bureau.id, "contract_number": "N-2"}),
                        422, "validation_failed")
    assert {"result_id", "buyer_id"} <= set(body["errors"])


# ---- permissions -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "payload"), [
    ("GET", INTENTS, None),
    ("POST", INTENTS, {"mode": "joint"}),
    ("GET", INTENTS + "/{intent}", None),
    ("PATCH", INTENTS + "/{intent}", {"mode": "joint"}),
    ("POST", INTENTS + "/{intent}/notes", {"noted_on": "2025-01-01", "text": "偷偷加一条"}),
    ("POST", INTENTS + "/{intent}/status", {"status": "dropped"}),
    ("GET", TRANSFERS, None),
    ("POST", TRANSFERS, {"contract_number": "X-1"}),
    ("GET", TRANSFERS + "/{transfer}", None),
    ("PATCH", TRANSFERS + "/{transfer}", {"local_override": True, "override_reason": "偷偷改"}),
])
def test_anonymous_is_401_and_others_403(call: Any, headers: dict[str, str], deal: dict[str, Any],
                                         contract: dict[str, Any], make_user: Any, bearer: Any, method: str,
                                         path: str, payload: Any) -> None:
    intent = post(call, headers, INTENTS, deal)
    transfer = post(call, headers, TRANSFERS, contract)
    url = path.format(intent=intent["id"], transfer=transfer["id"])
    assert_error(call(method, url, json=payload), 401, "login_required")
    for role in ("company", "researcher"):
        assert_error(call(method, url, bearer(make_user(role)), json=payload), 403, "forbidden")
    assert call("GET", f"{INTENTS}/{intent['id']}", headers).json == intent
    assert call("GET", f"{TRANSFERS}/{transfer['id']}", headers).json == transfer


@pytest.mark.parametrize("path", [f"{INTENTS}/999999", f"{TRANSFERS}/999999", f"{INTENTS}/2147483648",
                                  f"{INTENTS}/999999/notes"])
def test_unknown_ids_are_404(call: Any, headers: dict[str, str], path: str) -> None:
    method = "POST" if path.endswith("notes") else "GET"
    payload = {"noted_on": "2025-01-01", "text": "某条记录"} if method == "POST" else None
    assert_error(call(method, path, headers, json=payload), 404, "not_found")


@pytest.mark.parametrize(("path", "query"), [(INTENTS, "year=1999"), (INTENTS, "event_id=0"), (INTENTS, "stale=maybe"),
                                             (TRANSFERS, "year=abc"), (TRANSFERS, "local=perhaps")])
def test_bad_list_queries_are_422(call: Any, headers: dict[str, str], path: str, query: str) -> None:
    body = assert_error(call("GET", f"{path}?{query}", headers), 422, "validation_failed")
    assert query.split("=")[0] in body["errors"]
