"""Issue 7, defects 6 and 7 through the pages: editing a published posting keeps it online (and says so), and a
posting form shows every field error at once (WTForms' and the service's together)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result, User
from tests.web.support import sign_in

NEW_TITLE = "耐高温全氟醚橡胶密封圈"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


def _result_form(chain_id: int, **overrides: Any) -> dict[str, Any]:
    return {"title": "耐高温氟橡胶密封材料", "chain_id": str(chain_id), "keywords": "氟橡胶、密封件",
            "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。",
            "innovations": "硫化体系无铅化。", "indicators": "拉伸强度不低于十五兆帕。", "trl": "6", "stage": "pilot",
            "ip_type": "invention", "patent_numbers": "ZL202310000001.1", "price_wan": "80", "modes": ["license"],
            "contact_name": "王工", "contact_phone": "13812345678", "contact_email": "wang@example.edu.cn",
            "save": "1", **overrides}


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_editing_a_published_result_keeps_it_online(client: FlaskClient, make_user: Callable[..., User],
                                                    make_posting: Callable[..., Any],
                                                    default_chains: list[Chain]) -> None:
    owner, staff = make_user("researcher"), make_user("staff")
    posting = make_posting("result", owner=owner, status="published")
    year = date.today().year
    sign_in(client, owner)
    form_page = _text(client, f"/results/{posting.id}/edit")
    assert 'id="revision-notice"' in form_page and "审核通过前公开页面仍显示原来的内容" in form_page
    saved = client.post(f"/results/{posting.id}/edit", data=_result_form(posting.chain_id, title=NEW_TITLE),
                        follow_redirects=True).get_data(as_text=True)
    assert "修改已提交审核。审核通过前，公开页面仍显示原来的内容。" in saved and 'id="revision-waiting"' in saved
    assert NEW_TITLE in _text(client, f"/results/{posting.id}/edit")  # the owner goes on from the revision
    sign_in(client, None)
    public = _text(client, f"/results/{posting.id}")
    assert "耐高温氟橡胶密封材料" in public and NEW_TITLE not in public and "revision-waiting" not in public
    assert f'href="/results/{posting.id}"' in _text(client, "/results/?q=氟橡胶")  # the title is highlighted
    sign_in(client, staff)
    assert "耐高温氟橡胶密封材料" in _text(client, f"/dashboard/{year}/results")
    queue = _text(client, "/review/")
    assert "<del>耐高温氟橡胶密封材料</del>" in queue and f"<ins>{NEW_TITLE}</ins>" in queue
    reply = client.post(f"/review/result/{posting.id}/reject", data={"reason": "新标题与成果内容不符。"})
    assert reply.status_code == 302
    sign_in(client, owner)
    page = _text(client, f"/results/{posting.id}")
    assert 'id="revision-rejected"' in page and "新标题与成果内容不符。" in page and "耐高温氟橡胶密封材料" in page


def test_publishing_the_revision_shows_the_new_content(client: FlaskClient, make_user: Callable[..., User],
                                                       make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher")
    posting = make_posting("result", owner=owner, status="published")
    sign_in(client, owner)
    client.post(f"/results/{posting.id}/edit", data=_result_form(posting.chain_id, title=NEW_TITLE))
    sign_in(client, make_user("staff"))
    assert client.post(f"/review/result/{posting.id}/publish").status_code == 302
    sign_in(client, None)
    assert NEW_TITLE in _text(client, f"/results/{posting.id}")


def test_editing_a_draft_says_nothing_about_review(client: FlaskClient, make_user: Callable[..., User],
                                                   make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher")
    posting = make_posting("result", owner=owner, status="draft")
    sign_in(client, owner)
    assert "revision-notice" not in _text(client, f"/results/{posting.id}/edit")
    saved = client.post(f"/results/{posting.id}/edit", data=_result_form(posting.chain_id, title=NEW_TITLE),
                        follow_redirects=True).get_data(as_text=True)
    assert "修改已保存。" in saved and NEW_TITLE in saved


def test_all_errors_of_a_posting_form_show_at_once(client: FlaskClient, make_user: Callable[..., User],
                                                   default_chains: list[Chain]) -> None:
    sign_in(client, make_user("researcher"))
    data = {**_result_form(default_chains[0].id, title="长" * 201, summary="", contact_phone="12",
                           contact_email=""), "chain_id": ""}
    html = client.post("/results/new", data=data).get_data(as_text=True)
    assert "不能超过 200 个字" in html  # WTForms Length on the title
    assert "此项为必填项" in html  # the service: summary is required
    assert "请选择所属产业链" in html and "请输入有效的手机号" in html
    assert html.count("不能超过 200 个字") == 1  # one complaint per field, not WTForms' and the service's twice
    assert db.session.scalar(select(func.count(Result.id))) == 0


def test_a_draft_must_be_complete_to_save(client: FlaskClient, make_user: Callable[..., User],
                                          default_chains: list[Chain]) -> None:
    sign_in(client, make_user("company"))
    html = client.post("/needs/new", data={"title": "只有标题的需求", "save": "1"}).get_data(as_text=True)
    for message in ("请选择所属产业链", "此项为必填项", "请至少选择一项", "请至少填写联系电话或电子邮箱之一"):
        assert message in html, message
    assert db.session.scalar(select(func.count(Need.id))) == 0
