"""Every API error is JSON with a stable code; bad input is never a 500; pages keep their HTML errors."""
from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import result_data


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.json)
    body = response.json
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/v1/nowhere", 404, "not_found"),
    ("GET", "/api/v1/results/999999", 404, "not_found"),
    ("GET", "/api/v1/results/abc", 404, "not_found"),
    ("GET", "/api/v1/results/-1", 404, "not_found"),
    ("GET", "/api/v1/results/99999999999999999999999", 404, "not_found"),
    ("GET", "/api/v1/needs/2147483648", 404, "not_found"),
    ("GET", "/api/v1/organizations/99999999999999", 404, "not_found"),
    ("GET", "/api/v1/results/1/matches", 404, "not_found"),
    ("DELETE", "/api/v1/chains", 405, "method_not_allowed"),
    ("PUT", "/api/v1/results/1", 405, "method_not_allowed"),
    ("GET", "/api/v1/results/1/publish", 405, "method_not_allowed"),
])
def test_routing_errors_are_json(call: Any, method: str, path: str, status: int, code: str) -> None:
    response = call(method, path)
    assert_error(response, status, code)
    if status == 405:
        assert response.headers["Allow"]


def test_pages_keep_html_errors(client: Any) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "page=99999999999999999999", "per_page=101", "per_page=-5", "chain_id=abc",
    "chain_id=99999999999999999999", "org_id=1.5", "trl_min=10", "trl_max=x", "mine=maybe", "sort=best",
    "q=%00",
])
def test_bad_query_parameters_are_422(call: Any, query: str) -> None:
    body = assert_error(call("GET", f"/api/v1/results?{query}"), 422, "validation_failed")
    assert body["errors"] and query.split("=")[0] in body["errors"]


@pytest.mark.parametrize("query", ["page=100000&per_page=100", "q=%25_%5C", "q=' OR 1=1 --", "mode=%3Cb%3E",
                                   "q=😀🚀", "q=%ED%A0%80", "kind=nonsense", "lang=en", "unknown=1"])
def test_odd_but_valid_queries_are_fine(call: Any, query: str) -> None:
    for path in ("/api/v1/results", "/api/v1/needs", "/api/v1/organizations"):
        response = call("GET", f"{path}?{query}")
        assert response.status_code == 200 and response.json["items"] == []


@pytest.mark.parametrize(("payload", "field"), [
    ({"title": ["not", "a", "string"]}, "title"),
    ({"keywords": "密封件,氟橡胶"}, "keywords"),
    ({"keywords": [1, {"a": 1}]}, "keywords.1"),
    ({"chain_id": "one"}, "chain_id"),
    ({"chain_id": 10**30}, "chain_id"),
    ({"chain_id": True}, "chain_id"),
    ({"trl": 6.5}, "trl"),
    ({"price_wan": "NaN"}, "price_wan"),
    ({"price_wan": "lots"}, "price_wan"),
    ({"expires_on": "31/12/2030"}, "expires_on"),
    ({"title": "nul\u0000byte"}, "title"),
    ({"summary": "lone \ud800 surrogate"}, "summary"),
    ({"owner_id": 1}, "owner_id"),
    ({"status": "published"}, "status"),
    ({"submit": "sure"}, "submit"),
])
def test_wrong_types_are_422_per_field(call: Any, make_user: Any, bearer: Any, default_chains: Any,
                                       payload: dict[str, Any], field: str) -> None:
    data = {**result_data(default_chains[0].id), **payload}
    body = assert_error(call("POST", "/api/v1/results", bearer(make_user("researcher")), json=data),
                        422, "validation_failed")
    assert field in body["errors"], body["errors"]


@pytest.mark.parametrize("payload", [[], "text", 42, None, [result_data(1)]])
def test_body_that_is_not_an_object_is_422(call: Any, make_user: Any, bearer: Any, payload: Any) -> None:
    response = call("POST", "/api/v1/results", bearer(make_user("researcher")), json=payload)
    assert response.status_code == 422 and response.json["code"] == "validation_failed"


def test_huge_strings_are_refused_by_the_service_rules(call: Any, make_user: Any, bearer: Any,
                                                       default_chains: Any) -> None:
    big = "a" * 100_000  # within the API's JSON size limit: the service rules answer, field by field
    data = result_data(default_chains[0].id, title=big, summary=big, keywords=[big], contact_name=big)
    body = assert_error(call("POST", "/api/v1/results", bearer(make_user("researcher")), json=data),
                        422, "validation_failed")
    assert {"title", "summary", "keywords", "contact_name"} <= set(body["errors"])
    huge = "a" * 1_000_000  # past API_MAX_JSON_BYTES: refused before parsing
    too_big = result_data(default_chains[0].id, title=huge, summary=huge, keywords=[huge], contact_name=huge)
    assert_error(call("POST", "/api/v1/results", bearer(make_user("researcher")), json=too_big), 400, "bad_request")


def test_body_over_the_size_limit_is_413_json(app: Any, call: Any, make_user: Any, bearer: Any) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = call("POST", "/api/v1/results", bearer(make_user("researcher")), json={"title": "a" * 2000})
    assert_error(response, 413, "payload_too_large")


def test_malformed_json_is_400(call: Any, make_user: Any, bearer: Any) -> None:
    headers = {**bearer(make_user("researcher")), "Content-Type": "application/json"}
    body = assert_error(call("POST", "/api/v1/results", headers, data=b'{"title": "unterminated'),
                        400, "bad_request")
    assert "json" in body["errors"]
    assert_error(call("POST", "/api/v1/results", headers, data=b"\xff\xfe\x00garbage"), 400, "bad_request")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_wrong_content_type_is_415(call: Any, make_user: Any, bearer: Any, content_type: str) -> None:
    headers = {**bearer(make_user("researcher")), "Content-Type": content_type}
    assert_error(call("POST", "/api/v1/results", headers, data=b"title=x"), 415, "unsupported_media_type")


def test_conflicting_status_is_409(call: Any, make_posting: Any, bearer: Any) -> None:
    posting = make_posting("result", status="published")
    body = assert_error(call("POST", f"/api/v1/results/{posting.id}/submit", bearer(posting.owner)),
                        409, "bad_status")
    assert body["message"]


def test_errors_are_localized(call: Any) -> None:
    body = call("GET", "/api/v1/results?page=abc").json
    assert body["errors"]["page"] == ["请输入整数。"]
    assert call("GET", "/api/v1/results/12345").json["message"] == "找不到该记录。"
