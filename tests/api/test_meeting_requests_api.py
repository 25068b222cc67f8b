"""约见 over the API: create, list one's own, accept/decline/withdraw, errors as JSON with stable codes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import MeetingRequest
from tests.api.test_errors import assert_error
from tests.services.events.test_meeting_requests import Cast, cast  # noqa: F401 - the shared event fixture


def count() -> int:
    return db.session.scalar(select(func.count(MeetingRequest.id))) or 0


def test_request_list_accept(call: Any, bearer: Any, cast: Cast) -> None:  # noqa: F811
    firm, owner = bearer(cast.firms[0]), bearer(cast.researchers[0])
    url = f"/api/v1/events/{cast.event.id}/meeting-requests"
    made = call("POST", url, firm, json={"result_id": cast.results[0].id, "message": "想了解中试条件"})
    assert made.status_code == 201, made.json
    body = made.json
    assert (body["status"], body["to_org_id"], body["actions"]) == ("requested", cast.researchers[0].org_id,
                                                                     ["withdraw"])
    received = call("GET", "/api/v1/meeting-requests", owner).json
    assert received["total"] == 1 and received["items"][0]["actions"] == ["accept", "decline"]
    assert call("GET", "/api/v1/meeting-requests?box=sent", firm).json["items"][0]["id"] == body["id"]
    assert call("GET", f"/api/v1/meeting-requests/{body['id']}", bearer(cast.firms[2])).status_code == 404
    assert call("POST", f"/api/v1/meeting-requests/{body['id']}/accept", firm).status_code == 403
    accepted = call("POST", f"/api/v1/meeting-requests/{body['id']}/accept", owner)
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    again = call("POST", f"/api/v1/meeting-requests/{body['id']}/decline", owner)
    assert_error(again, 409, "bad_status")


def test_errors_write_nothing(call: Any, bearer: Any, cast: Cast) -> None:  # noqa: F811
    url = f"/api/v1/events/{cast.event.id}/meeting-requests"
    before = count()
    assert_error(call("POST", url, bearer(cast.outsider), json={"result_id": cast.results[0].id, "message": "x"}),
                 403, "not_registered")
    assert_error(call("POST", url, bearer(cast.firms[0]), json={"org_id": cast.firms[0].org_id, "message": "x"}),
                 409, "self_request")
    assert_error(call("POST", url, bearer(cast.firms[0]), json={"org_id": cast.outsider.org_id, "message": "x"}),
                 409, "not_a_participant")
    assert_error(call("POST", url, bearer(cast.firms[0]), json={"result_id": cast.results[0].id, "message": ""}),
                 422, "validation_failed")
    assert count() == before


def test_withdraw(call: Any, bearer: Any, cast: Cast) -> None:  # noqa: F811
    firm = bearer(cast.firms[1])
    made = call("POST", f"/api/v1/events/{cast.event.id}/meeting-requests", firm,
                json={"result_id": cast.results[1].id, "message": "交流"}).json
    done = call("POST", f"/api/v1/meeting-requests/{made['id']}/withdraw", firm)
    assert done.status_code == 200 and done.json["status"] == "withdrawn" and done.json["actions"] == []


def test_in_the_openapi_document(call: Any) -> None:
    paths = call("GET", "/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/events/{event_id}/meeting-requests"]
    assert "get" in paths["/api/v1/meeting-requests"]
    for action in ("accept", "decline", "withdraw"):
        assert "post" in paths[f"/api/v1/meeting-requests/{{request_id}}/{action}"]
