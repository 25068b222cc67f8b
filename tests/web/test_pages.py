"""The review flow through the pages, contact masking, language choice and no external URLs."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matchmaker.extensions import db
from matchmaker.models import Chain, Result, User
from tests.web.access_rules import API, rule_for
from tests.web.support import World, sign_in, url_rules

ENGLISH_TITLE = "Tech-Transfer Matchmaking Platform"
CHINESE_TITLE = "科技成果转化对接平台"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


def _result_form(chain_id: int, **overrides: Any) -> dict[str, Any]:
    return {"title": "耐高温氟橡胶密封材料", "chain_id": str(chain_id), "keywords": "氟橡胶、密封件",
            "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。",
            "trl": "6", "stage": "pilot", "ip_type": "invention", "price_wan": "80", "modes": ["license"],
            "contact_name": "王工", "contact_phone": "13812345678", "contact_email": "wang@example.edu.cn",
            **overrides}


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def test_submit_publish_then_public(client: FlaskClient, make_user: Callable[..., User],
                                    default_chains: list[Chain]) -> None:
    researcher, staff = make_user("researcher"), make_user("staff")
    sign_in(client, researcher)
    response = client.post("/results/new", data=_result_form(default_chains[0].id, submit_review="1"))
    assert response.status_code == 302
    posting = db.session.scalar(db.select(Result))
    assert posting is not None and posting.status == "pending"
    sign_in(client, None)
    assert client.get(f"/results/{posting.id}").status_code == 404
    assert "耐高温氟橡胶密封材料" not in _text(client, "/results/?q=氟橡胶")
    sign_in(client, staff)
    assert "耐高温氟橡胶密封材料" in _text(client, "/review/")
    assert client.post(f"/review/result/{posting.id}/publish").status_code == 302
    assert "耐高温氟橡胶密封材料" not in _text(client, "/review/")
    sign_in(client, None)
    assert "耐高温氟橡胶密封材料" in _text(client, f"/results/{posting.id}")
    assert "耐高温<mark>氟橡胶</mark>密封材料" in _text(client, "/results/?q=氟橡胶")
    assert "耐高温氟橡胶密封材料" in _text(client, "/")


def test_reject_reason_is_shown_to_the_owner(client: FlaskClient, make_user: Callable[..., User],
                                             make_posting: Callable[..., Any]) -> None:
    owner, staff = make_user("researcher"), make_user("staff")
    posting = make_posting("result", owner=owner, status="pending")
    sign_in(client, staff)
    response = client.post(f"/review/result/{posting.id}/reject", data={"reason": "请补充技术指标和专利证书。"})
    assert response.status_code == 302
    sign_in(client, owner)
    detail = _text(client, f"/results/{posting.id}")
    assert 'id="reject-reason"' in detail and "请补充技术指标和专利证书。" in detail
    assert "请补充技术指标和专利证书。" in _text(client, "/results/mine")
    sign_in(client, make_user("researcher"))
    assert client.get(f"/results/{posting.id}").status_code == 404


def test_owner_edit_of_published_waits_for_review_while_online(client: FlaskClient, make_user: Callable[..., User],
                                                              make_posting: Callable[..., Any],
                                                              default_chains: list[Chain]) -> None:
    owner = make_user("researcher")
    posting = make_posting("result", owner=owner, status="published")
    sign_in(client, owner)
    assert "审核通过前公开页面仍显示原来的内容" in _text(client, f"/results/{posting.id}/edit")
    response = client.post(f"/results/{posting.id}/edit",
                           data=_result_form(default_chains[0].id, title="耐高温氟橡胶密封材料（第二版）", save="1"))
    assert response.status_code == 302
    db.session.refresh(posting)
    assert posting.status == "published"
    sign_in(client, None)
    assert "第二版" not in _text(client, f"/results/{posting.id}")
    sign_in(client, make_user("staff"))
    assert "第二版" in _text(client, "/review/")


def test_staff_edit_of_published_stays_published(client: FlaskClient, make_user: Callable[..., User],
                                                 make_posting: Callable[..., Any],
                                                 default_chains: list[Chain]) -> None:
    posting = make_posting("result", status="published")
    sign_in(client, make_user("staff"))
    client.post(f"/results/{posting.id}/edit", data=_result_form(default_chains[0].id, title="更正后的标题", save="1"))
    db.session.refresh(posting)
    assert (posting.title, posting.status) == ("更正后的标题", "published")


@pytest.mark.parametrize(("viewer", "masked"), [("anonymous", True), ("other", True), ("company", True),
                                                ("owner", False), ("staff", False)])
@pytest.mark.parametrize("kind", ["result", "need"])
def test_contact_masking(viewer: str, masked: bool, kind: str, client: FlaskClient,
                         make_user: Callable[..., User], make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher" if kind == "result" else "company")
    posting = make_posting(kind, owner=owner, status="published", contact_phone="13812345678",
                           contact_email="wang@example.edu.cn")
    users = {"anonymous": None, "other": make_user("researcher"), "company": make_user("company"),
             "owner": owner, "staff": make_user("staff")}
    sign_in(client, users[viewer])
    html = _text(client, f"/{kind}s/{posting.id}")
    contact = html[html.index('id="contact"'):]
    if masked:
        assert "138****5678" in contact and "13812345678" not in html
        assert "w***@example.edu.cn" in contact and "wang@example.edu.cn" not in html
    else:
        assert "13812345678" in contact and "wang@example.edu.cn" in contact


def test_chinese_by_default_english_on_request(client: FlaskClient) -> None:
    html = _text(client, "/")
    assert CHINESE_TITLE in html and '<html lang="zh-CN">' in html
    english = _text(client, "/?lang=en")
    assert ENGLISH_TITLE in english and '<html lang="en">' in english
    assert CHINESE_TITLE not in english
    assert ENGLISH_TITLE in _text(client, "/results/"), "the choice is remembered for the session"
    assert CHINESE_TITLE in _text(client, "/?lang=zh_Hans_CN")


def test_language_switch_link_keeps_the_page(client: FlaskClient) -> None:
    response = client.get("/lang/en?next=/results/?q=%E5%AF%86%E5%B0%81")
    assert response.status_code == 302 and response.headers["Location"].startswith("/results/")
    assert "Research results" in _text(client, "/results/")
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"


def test_english_labels_are_translated(client: FlaskClient, make_posting: Callable[..., Any]) -> None:
    posting = make_posting("result", status="published")
    html = _text(client, f"/results/{posting.id}?lang=en")
    for english in ("Contact", "Licensing", "Invention patent", "Pilot stage"):
        assert english in html, english


EXTERNAL = re.compile(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)
GET_RULES = [r for r in url_rules()
             if "GET" in (r.methods or set()) and rule_for(r.endpoint, r.rule) not in (API, None)]


@pytest.mark.parametrize("viewer", ["anonymous", "admin"])
def test_no_page_links_outside(viewer: str, app: Flask, client: FlaskClient, world: Callable[..., World]) -> None:
    """Every GET page, signed out and as an administrator (who sees the most), in both languages."""
    scanned = 0
    for url_rule in GET_RULES:
        rule = rule_for(url_rule.endpoint, url_rule.rule)
        assert rule is not None
        w = world(viewer, rule, owner=True, status="published")
        sign_in(client, w.actor)
        for lang in ("zh_Hans_CN", "en"):
            url = w.url(app, url_rule, rule)
            response = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}", follow_redirects=True)
            if not response.content_type.startswith("text/html"):
                continue
            html = response.get_data(as_text=True)
            found = EXTERNAL.findall(html)
            assert not found, f"{url} ({viewer}, {lang}) links outside: {found}"
            assert "http://" not in html and "https://" not in html, f"{url} ({viewer}, {lang})"
            scanned += 1
    assert scanned > 20
