"""GET|POST|DELETE /api/v1/subscriptions: the caller's own subscriptions, the service's rules as JSON errors."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Subscription, User

URL = "/api/v1/subscriptions"


def test_create_list_delete(call: Callable[..., Any], bearer: Callable[..., dict[str, str]],
                            make_user: Callable[..., User], make_posting: Callable[..., Any],
                            default_chains: list[Any]) -> None:
    user, other = make_user("researcher"), make_user("researcher")
    own = make_posting("result", owner=user)
    headers = bearer(user)
    made = call("POST", URL, headers, json={"q": "密封件", "target_kind": "need", "chain_id": default_chains[0].id,
                                            "trl_min": 3, "mode": "joint"})
    assert made.status_code == 201, made.json
    assert made.json["filters"] == {"trl_min": 3, "mode": "joint"} and made.json["active"] is True
    watch = call("POST", URL, headers, json={"kind": "posting", "posting_kind": "result", "posting_id": own.id,
                                             "min_score": 35})
    assert watch.status_code == 201 and watch.json["target_kind"] == "need" and watch.json["min_score"] == 35
    listed = call("GET", URL, headers)
    assert [s["id"] for s in listed.json] == [watch.json["id"], made.json["id"]]
    assert call("GET", URL, bearer(other)).json == []
    assert call("DELETE", f"{URL}/{made.json['id']}", bearer(other)).status_code == 404


def test_delete_answers_204(client: Any, bearer: Callable[..., dict[str, str]], make_user: Callable[..., User]) -> None:
    user = make_user("company")
    headers = bearer(user)
    made = client.post(URL, headers=headers, json={"q": "氟橡胶", "target_kind": "result"})
    response = client.delete(f"{URL}/{made.json['id']}", headers=headers)
    assert response.status_code == 204
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_bad_input_is_422_with_field_errors_and_nothing_written(call: Callable[..., Any],
                                                                bearer: Callable[..., dict[str, str]],
                                                                make_user: Callable[..., User],
                                                                make_posting: Callable[..., Any]) -> None:
    user = make_user("researcher")
    someone_elses = make_posting("result")
    headers = bearer(user)
    cases = [({"q": "", "target_kind": "need"}, "q"),
             ({"q": "x", "target_kind": "need", "chain_id": 99999}, "chain_id"),
             ({"kind": "posting", "posting_kind": "result", "posting_id": someone_elses.id, "min_score": 30},
              "posting_id"),
             ({"kind": "posting", "posting_kind": "result", "posting_id": someone_elses.id, "min_score": 101},
              "min_score")]
    for body, field in cases:
        response = call("POST", URL, headers, json=body)
        assert response.status_code == 422 and field in response.json["errors"], (body, response.json)
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_needs_a_token(call: Callable[..., Any]) -> None:
    assert call("GET", URL).status_code in (401, 403)
    assert call("POST", URL, json={"q": "x", "target_kind": "need"}).status_code == 401
