"""我的订阅 through the pages: subscribe from a search, 新匹配提醒 for one's own posting, errors, delete, the
e-mail frequency, the staff figures, and the English pages."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import DigestSetting, Subscription, User
from tests.conftest import login


def _count() -> int:
    return db.session.scalar(select(func.count(Subscription.id))) or 0


def _link(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    tag = html[html.rindex("<a", 0, start):html.index(">", start)]
    return tag.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_subscribe_from_the_search_page_keeps_query_and_filters(
        client: FlaskClient, make_user: Callable[..., User], make_posting: Callable[..., Any],
        default_chains: list[Any]) -> None:
    make_posting("need")
    user = make_user("researcher")
    login(client, user)
    chain = default_chains[0]
    page = client.get(f"/needs/?q=密封件&chain_id={chain.id}&trl_min=3&mode=joint").get_data(as_text=True)
    href = _link(page, "subscribe-search")
    args = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert args == {"q": "密封件", "target_kind": "need", "chain_id": str(chain.id), "trl_min": "3", "mode": "joint"}
    form = client.get(href).get_data(as_text=True)
    assert 'value="密封件"' in form and f'<option selected value="{chain.id}"' in form
    response = client.post("/alerts/new", data={**args, "form_token": "t1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/alerts/")
    sub = db.session.scalars(select(Subscription)).one()
    assert (sub.user_id, sub.q, sub.target_kind, sub.chain_id, sub.filters) == (
        user.id, "密封件", "need", chain.id, {"trl_min": 3, "mode": "joint"})
    listing = client.get("/alerts/").get_data(as_text=True)
    assert "密封件" in listing and chain.name in listing
    assert "subscribe-search" not in client.get("/needs/").get_data(as_text=True)  # no query, nothing to save


def test_bad_search_subscription_shows_field_errors_and_saves_nothing(client: FlaskClient,
                                                                      make_user: Callable[..., User]) -> None:
    login(client, make_user("company"))
    html = client.post("/alerts/new", data={"q": "", "target_kind": "need", "chain_id": "99999",
                                            "trl_min": "12"}).get_data(as_text=True)
    assert "此项为必填项" in html and "找不到该产业链" in html and "应在 1 到 9 之间" in html
    assert _count() == 0


def test_new_match_alert_for_ones_own_posting(client: FlaskClient, make_user: Callable[..., User],
                                              make_posting: Callable[..., Any]) -> None:
    owner, other = make_user("researcher"), make_user("researcher")
    posting = make_posting("result", owner=owner)
    login(client, other)
    assert "watch-matches" not in client.get(f"/results/{posting.id}").get_data(as_text=True)
    assert client.get(f"/alerts/watch/result/{posting.id}").status_code == 404
    login(client, owner)
    href = _link(client.get(f"/results/{posting.id}").get_data(as_text=True), "watch-matches")
    assert href == f"/alerts/watch/result/{posting.id}"
    form = client.get(href).get_data(as_text=True)
    threshold = round(client.application.config["MATCH_MIN_SCORE"] * 100)  # the site's, on the 0..100 scale
    assert posting.title in form and f'value="{threshold}"' in form
    html = client.post(href, data={"posting_kind": "result", "posting_id": posting.id, "min_score": "150"}
                       ).get_data(as_text=True)
    assert "应在 0 到 100 之间" in html and _count() == 0
    response = client.post(href, data={"posting_kind": "result", "posting_id": posting.id, "min_score": "40",
                                       "form_token": "w1"})
    assert response.status_code == 302
    sub = db.session.scalars(select(Subscription)).one()
    assert (sub.kind, sub.target_kind, sub.posting_id, sub.min_score) == ("posting", "need", posting.id, 40)


def test_delete_and_frequency(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user, other = make_user("company"), make_user("company")
    mine = Subscription(user_id=user.id, kind="search", target_kind="result", q="氟橡胶", filters={},
                        posting_kind="", min_score=0, active=True)
    theirs = Subscription(user_id=other.id, kind="search", target_kind="result", q="硅胶", filters={},
                          posting_kind="", min_score=0, active=True)
    db.session.add_all([mine, theirs])
    db.session.commit()
    login(client, user)
    assert client.post(f"/alerts/{theirs.id}/delete").status_code == 404
    assert client.post(f"/alerts/{mine.id}/delete").status_code == 302
    assert [s.id for s in db.session.scalars(select(Subscription))] == [theirs.id]
    client.post("/alerts/frequency", data={"frequency": "weekly"})
    assert db.session.get(DigestSetting, user.id).frequency == "weekly"
    page = client.post("/alerts/frequency", data={"frequency": "hourly"}, follow_redirects=True)
    assert "不是有效的选项" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DigestSetting, user.id).frequency == "weekly"


def test_staff_figures_page_and_english(client: FlaskClient, make_user: Callable[..., User],
                                        default_chains: list[Any]) -> None:
    login(client, make_user("staff"))
    html = client.get("/alerts/staff").get_data(as_text=True)
    assert default_chains[0].name in html and "带来对接申请" in html
    english = client.get("/alerts/staff?lang=en").get_data(as_text=True)
    assert "Led to a contact request" in english and "Subscriptions and alerts" in english
    assert "My subscriptions" in client.get("/alerts/?lang=en").get_data(as_text=True)
