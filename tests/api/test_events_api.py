"""Events and meetings over the API: staff only, the services' rules, JSON errors, the 1:1 agenda."""
from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_errors import assert_error

EVENTS = "/api/v1/events"


@pytest.fixture
def body(default_chains: Any) -> dict[str, Any]:
    return {"name": "新材料成果对接会", "type": "matchmaking", "starts_at": "2025-05-20T09:00",
            "venue": "淄博市科技大厦", "chain_ids": [default_chains[0].id], "capacity": 80, "slot_minutes": 20,
            "slot_count": 4, "table_count": 2, "meeting_cap": 2}


@pytest.fixture
def headers(staff: Any, bearer: Any) -> dict[str, str]:
    return bearer(staff)


def create(call: Any, headers: dict[str, str], body: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    response = call("POST", EVENTS, headers, json={**body, **overrides})
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def test_create_read_update(call: Any, headers: dict[str, str], body: dict[str, Any], default_chains: Any) -> None:
    made = create(call, headers, body)
    assert made["status"] == "planned" and made["transitions"] == ["held", "cancelled"]
    assert made["starts_at"] == "2025-05-20T09:00:00+08:00"
    assert made["chain_ids"] == [default_chains[0].id] and made["capacity"] == 80
    assert made["presented"] == [] and made["invitations"] == [] and made["meetings"] == []
    url = f"{EVENTS}/{made['id']}"
    assert call("GET", url, headers).json == made

    changed = call("PATCH", url, headers, json={"venue": "高新区会展中心", "starts_at": "2025-05-21T02:30:00Z"})
    assert changed.status_code == 200, changed.json
    assert changed.json["venue"] == "高新区会展中心" and changed.json["name"] == body["name"]
    assert changed.json["starts_at"] == "2025-05-21T10:30:00+08:00"  # an offset is converted to local time
    assert changed.json["slot_count"] == 4  # untouched fields stay


def test_list_filters_and_pagination(call: Any, headers: dict[str, str], body: dict[str, Any]) -> None:
    old = create(call, headers, body, starts_at="2024-04-01T09:00", type="roadshow")
    new = [create(call, headers, body, starts_at=f"2025-0{m}-01T09:00") for m in (3, 6)]
    call("POST", f"{EVENTS}/{new[0]['id']}/status", headers, json={"status": "cancelled"})

    def ids(query: str) -> list[int]:
        response = call("GET", f"{EVENTS}?{query}", headers)
        assert response.status_code == 200, response.json
        return [e["id"] for e in response.json["items"]]

    assert ids("") == [new[1]["id"], new[0]["id"], old["id"]]  # newest first
    assert ids("year=2024") == [old["id"]]
    assert ids("type=roadshow") == [old["id"]]
    assert ids("status=cancelled") == [new[0]["id"]]
    assert ids("status=planned&year=2025") == [new[1]["id"]]
    paged = call("GET", f"{EVENTS}?per_page=2&page=2", headers).json
    assert (paged["total"], paged["pages"], [e["id"] for e in paged["items"]]) == (3, 2, [old["id"]])


def test_status_transitions(call: Any, headers: dict[str, str], body: dict[str, Any]) -> None:
    event = create(call, headers, body)
    url = f"{EVENTS}/{event['id']}"
    held = call("POST", f"{url}/status", headers, json={"status": "held"})
    assert held.status_code == 200 and held.json["status"] == "held" and held.json["transitions"] == []
    assert_error(call("POST", f"{url}/status", headers, json={"status": "planned"}), 409, "bad_transition")
    assert_error(call("POST", f"{url}/status", headers, json={"status": "nonsense"}), 409, "bad_transition")

    other = create(call, headers, body)
    call("POST", f"{EVENTS}/{other['id']}/status", headers, json={"status": "cancelled"})
    assert_error(call("PATCH", f"{EVENTS}/{other['id']}", headers, json={"name": "再改一次名字"}), 409, "bad_status")


@pytest.fixture
def planned(call: Any, headers: dict[str, str], body: dict[str, Any], make_posting: Any,
            make_user: Any) -> dict[str, Any]:
    """Three results × three firms with a matching need each, presented and invited; 4 slots × 2 tables, cap 2."""
    results = [make_posting("result") for _ in range(3)]
    firms = [make_user("company") for _ in range(3)]
    for firm in firms:
        make_posting("need", owner=firm)
    event = create(call, headers, body)
    url = f"{EVENTS}/{event['id']}"
    presented = call("POST", f"{url}/results", headers, json={"result_ids": [r.id for r in results] + [999999]})
    assert presented.status_code == 200 and presented.json["added"] == 3
    invited = call("POST", f"{url}/invitations", headers, json={"org_ids": [f.org_id for f in firms]})
    assert invited.status_code == 200 and invited.json["added"] == 3
    again = call("POST", f"{url}/invitations", headers, json={"org_ids": [firms[0].org_id, 999999]})
    assert again.json["added"] == 0 and len(again.json["event"]["invitations"]) == 3
    return {"url": url, "firms": firms, "results": results, "event": again.json["event"]}


def test_lists_check_in_and_agenda(call: Any, headers: dict[str, str], planned: dict[str, Any]) -> None:
    url, firm = planned["url"], planned["firms"][0]
    assert [p["result"]["id"] for p in planned["event"]["presented"]] == [r.id for r in planned["results"]]
    assert {i["status"] for i in planned["event"]["invitations"]} == {"invited"}

    checked = call("POST", f"{url}/invitations/{firm.org_id}/check-in", headers)
    assert checked.status_code == 200 and checked.json["status"] == "attended" and checked.json["checked_in_at"]
    assert checked.json["org"]["id"] == firm.org_id
    assert_error(call("POST", f"{url}/invitations/999999/check-in", headers), 404, "not_found")

    built = call("POST", f"{url}/agenda", headers, json={"keep_existing": False})
    assert built.status_code == 200, built.json
    assert built.json["placed"] == 6 and built.json["kept"] == 0 and built.json["total_score"] > 0
    meetings = call("GET", f"{url}/meetings", headers).json["items"]
    assert [m["id"] for m in meetings] == [m["id"] for m in built.json["meetings"]] and len(meetings) == 6
    first = meetings[0]
    assert first["need"]["kind"] == "need" and first["result"]["kind"] == "result" and first["outcome"] == "none"
    assert first["starts_at"].endswith("+08:00")
    kept = call("POST", f"{url}/agenda", headers)  # keep_existing defaults to true: nothing moves
    assert kept.json["kept"] == 6 and [m["id"] for m in kept.json["meetings"]] == [m["id"] for m in meetings]


def test_meeting_moves_and_outcomes(call: Any, headers: dict[str, str], planned: dict[str, Any]) -> None:
    url = planned["url"]
    meetings = call("POST", f"{url}/agenda", headers, json={"keep_existing": False}).json["meetings"]
    taken = {(m["slot"], m["table_no"]) for m in meetings}
    free = next((s, t) for s in range(4) for t in (1, 2) if (s, t) not in taken and (s, 3 - t) in taken)
    mover = next(m for m in meetings if (m["slot"], m["table_no"]) == (free[0], 3 - free[1]))
    moved = call("PATCH", f"/api/v1/meetings/{mover['id']}", headers, json={"table_no": free[1]})
    assert moved.status_code == 200, moved.json
    assert (moved.json["slot"], moved.json["table_no"]) == free

    other = next(m for m in meetings if m["id"] != mover["id"])
    busy = call("PATCH", f"/api/v1/meetings/{other['id']}", headers,
                json={"slot": free[0], "table_no": free[1]})
    assert busy.status_code == 409 and busy.json["code"] in ("table_busy", "org_busy")
    body = assert_error(call("PATCH", f"/api/v1/meetings/{other['id']}", headers, json={"slot": 9}),
                        422, "validation_failed")
    assert "slot" in body["errors"]

    outcome = call("PATCH", f"/api/v1/meetings/{other['id']}", headers, json={"outcome": "follow_up"})
    assert outcome.status_code == 200 and outcome.json["outcome"] == "follow_up"
    assert_error(call("PATCH", f"/api/v1/meetings/{other['id']}", headers, json={"outcome": "great"}),
                 409, "bad_outcome")
    assert_error(call("PATCH", "/api/v1/meetings/999999", headers, json={"outcome": "none"}), 404, "not_found")

    call("POST", f"{url}/status", headers, json={"status": "held"})
    same_place = {"slot": other["slot"], "table_no": other["table_no"], "outcome": "no_interest"}
    after = call("PATCH", f"/api/v1/meetings/{other['id']}", headers, json=same_place)
    assert after.status_code == 200 and after.json["outcome"] == "no_interest"  # no move, so a held event is fine
    assert_error(call("PATCH", f"/api/v1/meetings/{other['id']}", headers, json={"slot": 3}), 409, "bad_status")
    assert_error(call("POST", f"{url}/agenda", headers), 409, "bad_status")


# ---- permissions -------------------------------------------------------------------------------------------------

OPERATIONS = [
    ("GET", "/api/v1/events", None),
    ("POST", "/api/v1/events", {"name": "某对接会"}),
    ("GET", "/api/v1/events/{id}", None),
    ("PATCH", "/api/v1/events/{id}", {"name": "某对接会"}),
    ("POST", "/api/v1/events/{id}/status", {"status": "held"}),
    ("POST", "/api/v1/events/{id}/results", {"result_ids": [1]}),
    ("POST", "/api/v1/events/{id}/invitations", {"org_ids": [1]}),
    ("POST", "/api/v1/events/{id}/invitations/1/check-in", None),
    ("POST", "/api/v1/events/{id}/agenda", {"keep_existing": True}),
    ("GET", "/api/v1/events/{id}/meetings", None),
    ("PATCH", "/api/v1/meetings/1", {"outcome": "none"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), OPERATIONS)
def test_anonymous_is_401_and_others_403(call: Any, headers: dict[str, str], body: dict[str, Any], make_user: Any,
                                         bearer: Any, method: str, path: str, payload: Any) -> None:
    event = create(call, headers, body)
    url = path.format(id=event["id"])
    anonymous = assert_error(call(method, url, json=payload), 401, "login_required")
    assert anonymous["message"]
    for role in ("company", "researcher"):
        assert_error(call(method, url, bearer(make_user(role)), json=payload), 403, "forbidden")
    assert call("GET", f"{EVENTS}/{event['id']}", headers).json["status"] == "planned"


# ---- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("payload", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"type": "party"}, "type"),
    ({"type": None}, "type"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"starts_at": "0999-01-01T09:00"}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"chain_ids": []}, "chain_ids"),
    ({"chain_ids": [999999]}, "chain_ids"),
    ({"chain_ids": "1,2"}, "chain_ids"),
    ({"chain_ids": [0]}, "chain_ids.0"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": 1.5}, "capacity"),
    ({"capacity": 10**30}, "capacity"),
    ({"slot_count": 49}, "slot_count"),
    ({"table_count": "five"}, "table_count"),
    ({"venue": "nul\u0000"}, "venue"),
    ({"status": "held"}, "status"),
])
def test_bad_fields_are_422(call: Any, headers: dict[str, str], body: dict[str, Any], payload: dict[str, Any],
                            field: str) -> None:
    created = assert_error(call("POST", EVENTS, headers, json={**body, **payload}), 422, "validation_failed")
    assert field in created["errors"], created["errors"]
    event = create(call, headers, body)
    changed = assert_error(call("PATCH", f"{EVENTS}/{event['id']}", headers, json=payload), 422, "validation_failed")
    assert field in changed["errors"], changed["errors"]


def test_bad_starts_at_message_is_localized(call: Any, headers: dict[str, str], body: dict[str, Any]) -> None:
    response = call("POST", EVENTS, headers, json={**body, "starts_at": "5月20日"})
    assert response.json["errors"]["starts_at"] == ["时间格式应为 YYYY-MM-DD HH:MM。"]


@pytest.mark.parametrize(("method", "path", "payload", "field"), [
    ("POST", "/status", {}, "status"),
    ("POST", "/status", {"status": 1}, "status"),
    ("POST", "/invitations", {"org_ids": "1"}, "org_ids"),
    ("POST", "/invitations", {}, "org_ids"),
    ("POST", "/results", {"result_ids": [-1]}, "result_ids.0"),
    ("POST", "/agenda", {"keep_existing": "perhaps"}, "keep_existing"),
])
def test_bad_action_bodies_are_422(call: Any, headers: dict[str, str], body: dict[str, Any], method: str, path: str,
                                   payload: dict[str, Any], field: str) -> None:
    event = create(call, headers, body)
    errors = assert_error(call(method, f"{EVENTS}/{event['id']}{path}", headers, json=payload),
                          422, "validation_failed")["errors"]
    assert field in errors, errors


@pytest.mark.parametrize("query", ["year=1999", "year=2101", "year=abc", "page=0", "per_page=101",
                                   "status=" + "x" * 21])
def test_bad_list_queries_are_422(call: Any, headers: dict[str, str], query: str) -> None:
    body = assert_error(call("GET", f"{EVENTS}?{query}", headers), 422, "validation_failed")
    assert query.split("=")[0] in body["errors"]


@pytest.mark.parametrize("path", ["/api/v1/events/999999", "/api/v1/events/2147483648",
                                  "/api/v1/events/999999/meetings", "/api/v1/meetings/abc"])
def test_unknown_ids_are_404(call: Any, headers: dict[str, str], path: str) -> None:
    method = "PATCH" if path.startswith("/api/v1/meetings") else "GET"
    assert_error(call(method, path, headers, json={} if method == "PATCH" else None), 404, "not_found")
